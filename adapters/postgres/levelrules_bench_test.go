package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/levelrules"
	"github.com/gatehouse/gatehouse/ports"
)

type benchCallers struct{ c *ports.Caller }

func (b benchCallers) Caller(context.Context) (*ports.Caller, error) { return b.c, nil }

// BenchmarkLevelJob measures a level job over 100,000 verified users at
// level 3 (a third of them also holding the new rule's label): a level-3
// rule is added and the job runs to DONE in batches of 500. It reports
// users recomputed per second.
//
//	go test -run '^$' -bench BenchmarkLevelJob -benchtime 1x ./adapters/postgres/
func BenchmarkLevelJob(b *testing.B) {
	const users = 100_000
	db := pgtest.DB(b)
	ctx := context.Background()
	_, err := db.NewRaw(`WITH u AS (
			INSERT INTO users (id, phone, referral_code, level, created_at, updated_at)
			SELECT gen_random_uuid(), '+4479' || lpad(i::text, 8, '0'), 'B' || i, 3, now(), now()
			FROM generate_series(1, ?) AS i RETURNING id, phone)
		INSERT INTO labels (user_id, key, value, scope, description, created_at, updated_at)
		SELECT u.id, k, 'verified', 'PRIVATE', '', now(), now() FROM u
		CROSS JOIN unnest(ARRAY['phone', 'email', 'profile', 'document', 'selfie', 'address']) AS k
		WHERE k <> 'address' OR right(u.phone, 8)::int % 3 = 0`, users).Exec(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `ANALYZE users; ANALYZE labels`); err != nil {
		b.Fatal(err)
	}
	store := postgres.NewLevelRuleStore(db)
	svc := levelrules.NewService(levelrules.DefaultConfig(), store, store, store, postgres.NewTxRunner(db),
		postgres.NewAuditTrail(db), benchCallers{&ports.Caller{UserID: uuid.New(), Role: ports.RoleAdmin}}, clock.System{})
	runner := levelrules.NewRunner(svc, nil)
	b.ResetTimer()
	for i := range b.N {
		// Add, then remove: each run recomputes every user once.
		var job levelrules.Job
		start := time.Now()
		if i%2 == 0 {
			_, job, err = svc.AddRule(ctx, levelrules.RuleInput{Level: 3, Key: "address", Value: "verified", Reason: "bench"})
		} else {
			var j *levelrules.Job
			_, j, err = svc.RemoveRule(ctx, 3, "address", "bench")
			job = *j
		}
		if err != nil {
			b.Fatal(err)
		}
		asked := time.Since(start)
		for {
			more, err := runner.Step(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if !more {
				break
			}
		}
		took := time.Since(start)
		got, err := svc.Job(ctx, job.ID)
		if err != nil || got.State != levelrules.JobDone || got.Done != users {
			b.Fatalf("job: %+v %v", got, err)
		}
		b.ReportMetric(float64(users)/took.Seconds(), "users/s")
		b.ReportMetric(float64(asked.Microseconds())/1000, "request-ms")
		b.ReportMetric(float64(got.Changed), "changed")
	}
}
