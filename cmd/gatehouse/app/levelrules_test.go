package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/levelrules"
)

const (
	mAddLevelRule    = `mutation($input: AddLevelRuleInput!) { addLevelRule(input: $input) { level rule { key value } job { id state total done } } }`
	mRemoveLevelRule = `mutation($input: RemoveLevelRuleInput!) { removeLevelRule(input: $input) { removed job { id state } } }`
	qLevelJob        = `query($id: ID!) { levelJob(id: $id) { id state action minLevel done total changed finishedAt } }`
)

// gatedUsers holds each batch of a level job until the test lets it run,
// so the test sees the job between batches.
type gatedUsers struct {
	levelrules.Users
	next chan struct{}
}

func (g gatedUsers) UsersFrom(ctx context.Context, minLevel int, after *uuid.UUID, limit int) ([]levelrules.UserLevel, error) {
	select {
	case <-g.next:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.Users.UsersFrom(ctx, minLevel, after, limit)
}

type gqlLevelJob struct {
	ID, State, Action              string
	MinLevel, Done, Total, Changed int
	FinishedAt                     *string
}

// TestALevelRuleChangeRecomputesLevelsInTheBackground: an ADMIN adds a
// level-3 rule; the request answers at once with a RUNNING job, staff
// watch its progress batch by batch through GraphQL to DONE, and the
// seeded level-3 users who lack the label are at level 2, the others
// untouched; removing the rule lifts them back. MEMBER and SUPPORT are
// refused.
func TestALevelRuleChangeRecomputesLevelsInTheBackground(t *testing.T) {
	t.Parallel()
	gate := make(chan struct{})
	h := newHarnessWith(t, []fx.Option{fx.Decorate(func(u levelrules.Users) levelrules.Users {
		return gatedUsers{Users: u, next: gate}
	})}, func(c *app.Config) { c.LevelJobBatch = 50 })
	admin := h.staff("ADMIN", "+447911125301")
	support := h.staff("SUPPORT", "+447911125302")
	member := h.signUp("+447911125303", "4831", "device-A")
	ctx := t.Context()

	// 120 verified users at level 3 (every third also with the address),
	// and 40 at level 1 whom no change of level 3 can move.
	_, err := h.db.NewRaw(`WITH u AS (
			INSERT INTO users (id, phone, referral_code, level, created_at, updated_at)
			SELECT gen_random_uuid(), '+4479112' || lpad(i::text, 5, '0'), 'LV' || i, CASE WHEN i <= 120 THEN 3 ELSE 1 END, now(), now()
			FROM generate_series(1, 160) AS i RETURNING id, level, phone)
		INSERT INTO labels (user_id, key, value, scope, description, created_at, updated_at)
		SELECT u.id, k, 'verified', 'PRIVATE', '', now(), now() FROM u
		CROSS JOIN unnest(ARRAY['phone', 'email', 'profile', 'document', 'selfie', 'address']) AS k
		WHERE (u.level = 3 AND (k <> 'address' OR right(u.phone, 5)::int % 3 = 0)) OR k = 'phone'`).Exec(ctx)
	must(t, err == nil, "seed users: %v", err)
	count := func(level int) int {
		t.Helper()
		var n int
		must(t, h.db.NewRaw(`SELECT count(*) FROM users WHERE phone LIKE '+4479112%' AND level = ?`, level).Scan(ctx, &n) == nil, "count")
		return n
	}
	must(t, count(3) == 120 && count(1) == 40, "seeded: %d at 3, %d at 1", count(3), count(1))

	in := in("level", 3, "key", "address", "value", "verified", "description", "Proof of address", "reason", "regulator")
	h.fails(member.AccessToken, mAddLevelRule, in, "FORBIDDEN")
	h.fails(support.token, mAddLevelRule, in, "FORBIDDEN")
	h.fails(support.token, `{ levelJobs { id } }`, nil, "FORBIDDEN")

	var add struct {
		AddLevelRule struct {
			Level int
			Rule  struct{ Key, Value string }
			Job   struct {
				ID, State   string
				Total, Done int
			}
		}
	}
	row := h.audited("addLevelRule", func() { h.ok(admin.token, mAddLevelRule, in, &add) })
	must(t, row.Reason == "regulator" && row.Result == "SUCCEEDED", "row %+v", row)
	job := add.AddLevelRule.Job
	must(t, job.State == "RUNNING" && job.Done == 0 && job.Total >= 120, "job at once: %+v", job)
	r := h.fails(admin.token, mAddLevelRule, in, "CONFLICT")
	must(t, r.Errors[0].Extensions["reason"] == "LEVEL_RULE_EXISTS", "again: %+v", r.Errors)

	read := func() gqlLevelJob {
		t.Helper()
		var d struct{ LevelJob gqlLevelJob }
		h.ok(admin.token, qLevelJob, vars("id", job.ID), &d)
		return d.LevelJob
	}
	// Batch by batch: each one committed shows as progress.
	last := read()
	must(t, last.State == "RUNNING" && last.MinLevel == 2 && last.Action == "addLevelRule 3 address", "before a batch: %+v", last)
	batches := 0
	for last.State == "RUNNING" {
		gate <- struct{}{}
		batches++
		deadline := time.Now().Add(10 * time.Second)
		for {
			j := read()
			if j.Done > last.Done || j.State == "DONE" {
				must(t, j.Done <= j.Total || j.State == "DONE", "progress past total: %+v", j)
				last = j
				break
			}
			must(t, time.Now().Before(deadline), "no progress after batch %d: %+v", batches, j)
			time.Sleep(5 * time.Millisecond)
		}
		must(t, batches < 20, "the job never ends: %+v", last)
	}
	must(t, batches >= 3 && last.Done == last.Total && last.Changed == 80 && last.FinishedAt != nil,
		"done after %d batches: %+v", batches, last)
	must(t, count(3) == 40 && count(2) == 80 && count(1) == 40, "levels: %d at 3, %d at 2, %d at 1", count(3), count(2), count(1))

	var list struct{ LevelJobs []struct{ ID, State string } }
	h.ok(admin.token, `{ levelJobs(first: 5) { id state } }`, nil, &list)
	must(t, len(list.LevelJobs) == 1 && list.LevelJobs[0].ID == job.ID && list.LevelJobs[0].State == "DONE", "jobs: %+v", list)

	var rm struct {
		RemoveLevelRule struct {
			Removed bool
			Job     *struct{ ID, State string }
		}
	}
	h.audited("removeLevelRule", func() {
		h.ok(admin.token, mRemoveLevelRule, vars("input", vars("level", 3, "key", "address", "reason", "withdrawn")), &rm)
	})
	must(t, rm.RemoveLevelRule.Removed && rm.RemoveLevelRule.Job != nil, "removed: %+v", rm)
	go func() {
		for {
			select {
			case gate <- struct{}{}:
			case <-ctx.Done():
				return
			}
		}
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var d struct{ LevelJob gqlLevelJob }
		h.ok(admin.token, qLevelJob, vars("id", rm.RemoveLevelRule.Job.ID), &d)
		if d.LevelJob.State == "DONE" {
			must(t, d.LevelJob.Changed == 80, "lifted: %+v", d.LevelJob)
			break
		}
		must(t, time.Now().Before(deadline), "the removal's job did not end: %+v", d.LevelJob)
		time.Sleep(10 * time.Millisecond)
	}
	must(t, count(3) == 120, "back at 3: %d", count(3))
	h.ok(admin.token, mRemoveLevelRule, vars("input", vars("level", 3, "key", "address", "reason", "again")), &rm)
	must(t, !rm.RemoveLevelRule.Removed && rm.RemoveLevelRule.Job == nil, "nothing to remove: %+v", rm)
	h.fails(admin.token, mAddLevelRule, vars("input", vars("level", 0, "key", "K", "value", "", "reason", "")), "VALIDATION_FAILED")
	h.fails(admin.token, qLevelJob, vars("id", uuid.NewString()), "NOT_FOUND")
}
