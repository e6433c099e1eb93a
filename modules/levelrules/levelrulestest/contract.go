package levelrulestest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/ports"
)

// Seeder writes what the stores only read: users at a level, and labels.
type Seeder interface {
	// PutUser adds a user at level and returns its id.
	PutUser(level int) uuid.UUID
	// PutLabel sets a user's label key=value of scope (PUBLIC, PRIVATE).
	PutLabel(user uuid.UUID, key, value, scope string)
	// Level returns a user's stored level.
	Level(user uuid.UUID) int
}

// Stores are the module's stores and their seeder, fresh (as the
// migrations leave the database) for each call of the factory.
type Stores struct {
	Rules  levelrules.Rules
	Jobs   levelrules.Jobs
	Users  levelrules.Users
	Seeder Seeder
	// Tx runs the statements that need a transaction (LockRules).
	Tx ports.TxRunner
}

// T0 is the suite's reference instant (microseconds, as PostgreSQL keeps).
var T0 = time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC)

// RunStores runs the contract suite against implementations from newStores.
func RunStores(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Rules", func(t *testing.T) { t.Parallel(); rules(t, newStores(t)) })
	t.Run("Jobs", func(t *testing.T) { t.Parallel(); jobs(t, newStores(t)) })
	t.Run("Users", func(t *testing.T) { t.Parallel(); users(t, newStores(t)) })
}

func rules(t *testing.T, s Stores) {
	ctx := context.Background()
	// The lock holds within a transaction, as the service takes it.
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.Rules.LockRules(ctx); err != nil {
			return err
		}
		_, err := s.Rules.LevelRules(ctx)
		return err
	}))
	got, err := s.Rules.LevelRules(ctx)
	noErr(t, err)
	check(t, slices.Equal(got, kyctest.DefaultLevelRules()), "seeded rules: %+v", got)
	r := kyc.LevelRule{Level: 2, Key: "address", Value: "verified", Description: "Proof of address"}
	noErr(t, s.Rules.AddLevelRule(ctx, r))
	err = s.Rules.AddLevelRule(ctx, kyc.LevelRule{Level: 2, Key: "address", Value: "other"})
	check(t, ports.ErrorCodeOf(err) == ports.CodeConflict, "the same level and key: %v", err)
	var e *ports.Error
	check(t, errorAs(err, &e) && e.Reason == levelrules.ReasonRuleExists, "reason: %v", err)
	noErr(t, s.Rules.AddLevelRule(ctx, kyc.LevelRule{Level: 4, Key: "address", Value: "verified"}))
	got, err = s.Rules.LevelRules(ctx)
	noErr(t, err)
	check(t, len(got) == 7 && got[1] == r && got[6].Level == 4, "by level then key: %+v", got)
	old, ok, err := s.Rules.RemoveLevelRule(ctx, 2, "address")
	noErr(t, err)
	check(t, ok && old == r, "removed: %v %+v", ok, old)
	_, ok, err = s.Rules.RemoveLevelRule(ctx, 2, "address")
	noErr(t, err)
	check(t, !ok, "removed again")
}

func jobs(t *testing.T, s Stores) {
	ctx := context.Background()
	_, err := s.Jobs.ClaimJob(ctx)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "no job: %v", err)
	_, err = s.Jobs.Job(ctx, uuid.New())
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown job: %v", err)
	by := uuid.New()
	a := levelrules.Job{ID: uuid.Must(uuid.NewV7()), State: levelrules.JobRunning, MinLevel: 2, Total: 10,
		Action: "addLevelRule 3 address", CreatedBy: by, CreatedAt: T0, UpdatedAt: T0}
	b := a
	b.ID, b.CreatedAt, b.UpdatedAt, b.MinLevel = uuid.Must(uuid.NewV7()), T0.Add(time.Minute), T0.Add(time.Minute), 0
	noErr(t, s.Jobs.CreateJob(ctx, b))
	noErr(t, s.Jobs.CreateJob(ctx, a))
	got, err := s.Jobs.ClaimJob(ctx)
	noErr(t, err)
	check(t, sameJob(got, a), "the oldest running job:\n got %+v\nwant %+v", got, a)

	after := uuid.New()
	fin := T0.Add(2 * time.Minute)
	a.State, a.AfterID, a.Done, a.Changed, a.Total, a.UpdatedAt, a.FinishedAt =
		levelrules.JobDone, &after, 12, 3, 12, fin, &fin
	noErr(t, s.Jobs.SaveJob(ctx, a))
	got, err = s.Jobs.Job(ctx, a.ID)
	noErr(t, err)
	check(t, sameJob(got, a), "saved:\n got %+v\nwant %+v", got, a)
	got, err = s.Jobs.ClaimJob(ctx)
	noErr(t, err)
	check(t, sameJob(got, b), "a done job is not claimed: %+v", got)
	list, err := s.Jobs.RecentJobs(ctx, 10)
	noErr(t, err)
	check(t, len(list) == 2 && list[0].ID == b.ID && list[1].ID == a.ID, "newest first: %+v", list)
	list, err = s.Jobs.RecentJobs(ctx, 1)
	noErr(t, err)
	check(t, len(list) == 1 && list[0].ID == b.ID, "limited: %+v", list)
}

func users(t *testing.T, s Stores) {
	ctx := context.Background()
	var ids []uuid.UUID
	for _, l := range []int{0, 1, 2, 3, 3, 2} {
		ids = append(ids, s.Seeder.PutUser(l))
	}
	n, err := s.Users.CountUsersFrom(ctx, 2)
	noErr(t, err)
	check(t, n == 4, "users at 2 or above: %d", n)
	var all []levelrules.UserLevel
	var after *uuid.UUID
	for {
		page, err := s.Users.UsersFrom(ctx, 2, after, 3)
		noErr(t, err)
		all = append(all, page...)
		if len(page) < 3 {
			break
		}
		last := page[len(page)-1].ID
		after = &last
	}
	check(t, len(all) == 4, "every user from level 2, once: %+v", all)
	check(t, slices.IsSortedFunc(all, func(a, b levelrules.UserLevel) int { return compareIDs(a.ID, b.ID) }),
		"by id: %+v", all)
	for _, u := range all {
		check(t, u.Level >= 2 && u.Level == s.Seeder.Level(u.ID), "level read: %+v", u)
	}
	s.Seeder.PutLabel(ids[2], "document", "verified", kyc.ScopePrivate)
	s.Seeder.PutLabel(ids[2], "nickname", "x", kyc.ScopePublic)
	s.Seeder.PutLabel(ids[3], "phone", "verified", kyc.ScopePrivate)
	s.Seeder.PutLabel(ids[4], "phone", "verified", kyc.ScopePrivate)
	labels, err := s.Users.PrivateLabels(ctx, []uuid.UUID{ids[2], ids[3]})
	noErr(t, err)
	check(t, len(labels) == 2 && slices.ContainsFunc(labels, func(l kyc.Label) bool {
		return l.UserID == ids[2] && l.Key == "document" && l.Value == "verified" && l.Scope == kyc.ScopePrivate
	}), "private labels of the users asked: %+v", labels)

	noErr(t, s.Users.SetLevels(ctx, []levelrules.UserLevel{{ID: ids[3], Level: 1}, {ID: ids[0], Level: 2}}, T0))
	check(t, s.Seeder.Level(ids[3]) == 1 && s.Seeder.Level(ids[0]) == 2 && s.Seeder.Level(ids[4]) == 3,
		"levels set: %d %d %d", s.Seeder.Level(ids[3]), s.Seeder.Level(ids[0]), s.Seeder.Level(ids[4]))
}

func sameJob(a, b levelrules.Job) bool {
	norm := func(j levelrules.Job) levelrules.Job {
		j.CreatedAt, j.UpdatedAt = j.CreatedAt.UTC(), j.UpdatedAt.UTC()
		if j.FinishedAt != nil {
			f := j.FinishedAt.UTC()
			j.FinishedAt = &f
		}
		return j
	}
	a, b = norm(a), norm(b)
	if (a.AfterID == nil) != (b.AfterID == nil) || (a.AfterID != nil && *a.AfterID != *b.AfterID) {
		return false
	}
	if (a.FinishedAt == nil) != (b.FinishedAt == nil) || (a.FinishedAt != nil && !a.FinishedAt.Equal(*b.FinishedAt)) {
		return false
	}
	a.AfterID, b.AfterID, a.FinishedAt, b.FinishedAt = nil, nil, nil, nil
	return a == b
}

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func errorAs(err error, target **ports.Error) bool { return errors.As(err, target) }
