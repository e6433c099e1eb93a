package postgres_test

import (
	"context"
	"testing"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// Recording, listing and searching are admintest.RunAudit's (contract_test.go),
// run against the fake too; what follows only PostgreSQL does.

func TestAuditTrailJoinsTheTransaction(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	a := postgres.NewAuditTrail(db)
	_ = postgres.NewTxRunner(db).InTx(ctx, func(ctx context.Context) error {
		if err := a.RecordAdmin(ctx, ports.AdminActivity{AdminID: uuid.New(), Action: "setUserRole",
			Input: map[string]any{}, Result: ports.ActivitySucceeded, CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		return context.Canceled // roll back
	})
	rows, err := a.ListAdmin(ctx, admin.AdminActivityQuery{})
	if err != nil || len(rows) != 0 {
		t.Fatalf("rolled back row is there: %d, %v", len(rows), err)
	}
}

func TestAuditTablesRefuseChanges(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	if err := postgres.NewAuditTrail(db).RecordAdmin(ctx, ports.AdminActivity{AdminID: uuid.New(), Action: "user",
		Input: map[string]any{}, Result: ports.ActivitySucceeded, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewActivityLog(db).Record(ctx, ports.Activity{Topic: "SESSION", Action: "sign_in.pin",
		Result: ports.ActivitySucceeded, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"UPDATE admin_activities SET reason = 'x'",
		"DELETE FROM admin_activities",
		"TRUNCATE admin_activities",
		"UPDATE activities SET result = 'FAILED'",
		"DELETE FROM activities",
		"TRUNCATE activities",
	} {
		if _, err := db.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
	var n int
	if err := db.NewRaw("SELECT (SELECT count(*) FROM admin_activities WHERE reason = '') + (SELECT count(*) FROM activities WHERE result = 'SUCCEEDED')").Scan(ctx, &n); err != nil || n != 2 {
		t.Fatalf("rows after the refused changes: %d, %v", n, err)
	}
}
