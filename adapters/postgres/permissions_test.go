package postgres_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/graph"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

func TestPermissionStoreCRUD(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	s := postgres.NewPermissionStore(db)

	defaults, err := s.List(ctx)
	if err != nil || len(defaults) == 0 {
		t.Fatalf("default rows: %d, %v", len(defaults), err)
	}
	for i := 1; i < len(defaults); i++ {
		a, b := defaults[i-1], defaults[i]
		if a.Role > b.Role || (a.Role == b.Role && a.Operation >= b.Operation) {
			t.Fatalf("not ordered by role, operation: %v then %v", a, b)
		}
	}

	p := admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "kyc*", Action: admin.PermissionDeny,
		CreatedAt: t0, UpdatedAt: t0}
	if err := s.Create(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, p.ID)
	if err != nil || got.Role != p.Role || got.Operation != "kyc*" || got.Action != admin.PermissionDeny ||
		!got.CreatedAt.Equal(t0) {
		t.Fatalf("get: %+v, %v", got, err)
	}

	dup := p
	dup.ID = uuid.New()
	errtest.Code(t, s.Create(ctx, dup), ports.CodeConflict, "duplicate (role, operation)")

	p.Action, p.Operation, p.UpdatedAt = admin.PermissionAudit, "kycSubmission", t0.Add(time.Hour)
	if err := s.Update(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got, _ = s.Get(ctx, p.ID); got.Action != admin.PermissionAudit || got.Operation != "kycSubmission" ||
		!got.UpdatedAt.Equal(t0.Add(time.Hour)) || !got.CreatedAt.Equal(t0) {
		t.Fatalf("after update: %+v", got)
	}
	// Updating onto another rule of the role is a conflict too.
	clash := p
	clash.Operation = "account" // MEMBER has a default rule for account
	errtest.Code(t, s.Update(ctx, clash), ports.CodeConflict, "update onto an existing rule")
	if err := s.Update(ctx, admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "x",
		Action: admin.PermissionAllow}); !errors.Is(err, ports.ErrNotFound) && ports.ErrorCodeOf(err) != ports.CodeNotFound {
		t.Fatalf("update of a missing rule: want NOT_FOUND, got %v", err)
	}

	if ok, err := s.Delete(ctx, p.ID); !ok || err != nil {
		t.Fatalf("delete: %v, %v", ok, err)
	}
	if ok, err := s.Delete(ctx, p.ID); ok || err != nil {
		t.Fatalf("second delete: %v, %v", ok, err)
	}
	_, err = s.Get(ctx, p.ID)
	errtest.Code(t, err, ports.CodeNotFound, "get after delete")
}

func TestPermissionConflictLeavesTransactionUsable(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	s := postgres.NewPermissionStore(db)
	err := postgres.NewTxRunner(db).InTx(ctx, func(ctx context.Context) error {
		err := s.Create(ctx, admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "account",
			Action: admin.PermissionDeny})
		if ports.ErrorCodeOf(err) != ports.CodeConflict {
			t.Errorf("want CONFLICT, got %v", err)
		}
		_, err = s.List(ctx)
		return err
	})
	if err != nil {
		t.Fatalf("transaction unusable after the conflict: %v", err)
	}
}

// watch runs a watcher on db and returns the channel its changed calls
// are counted on, and a stop function that waits for Watch to return.
func watch(t *testing.T, db *bun.DB) (<-chan struct{}, func() error) {
	t.Helper()
	ch := make(chan struct{}, 100)
	ctx, cancel := context.WithCancel(context.Background())
	w := postgres.NewPermissionWatcher(db)
	w.Backoff = 10 * time.Millisecond
	done := make(chan error, 1)
	go func() { done <- w.Watch(ctx, func() { ch <- struct{}{} }) }()
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			t.Fatal("Watch did not return after its context ended")
			return nil
		}
	}
	t.Cleanup(func() { _ = stop() })
	return ch, stop
}

func expectCall(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatalf("no changed call: %s", what)
	}
}

func expectNoPending(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
		t.Fatalf("unexpected changed call: %s", what)
	default:
	}
}

// sentinel announces a change by hand from another connection: the
// watcher's call for it proves every notification committed before it
// has been delivered (PostgreSQL delivers in commit order).
func sentinel(t *testing.T, db *bun.DB) {
	t.Helper()
	if _, err := db.ExecContext(context.Background(), "SELECT pg_notify('gatehouse_permissions', 'sentinel')"); err != nil {
		t.Fatal(err)
	}
}

func TestPermissionWatcherSeesCommittedChangesOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	s, tx := postgres.NewPermissionStore(db), postgres.NewTxRunner(db)
	ch, stop := watch(t, db)
	expectCall(t, ch, "once listening")

	// Inside a transaction: nothing until the commit.
	release, committed := make(chan struct{}), make(chan error, 1)
	inserted := make(chan struct{})
	go func() {
		committed <- tx.InTx(ctx, func(ctx context.Context) error {
			if err := s.Create(ctx, admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "users",
				Action: admin.PermissionAllow}); err != nil {
				return err
			}
			close(inserted)
			<-release
			return nil
		})
	}()
	<-inserted
	sentinel(t, db)
	expectCall(t, ch, "sentinel")
	expectNoPending(t, ch, "the uncommitted insert was announced")
	close(release)
	if err := <-committed; err != nil {
		t.Fatal(err)
	}
	expectCall(t, ch, "after commit")
	sentinel(t, db)
	expectCall(t, ch, "sentinel after commit")
	expectNoPending(t, ch, "more than one call for one commit")

	// A rolled back change is never announced.
	err := tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.Create(ctx, admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "labelKeys",
			Action: admin.PermissionAllow}); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("transaction did not fail")
	}
	sentinel(t, db)
	expectCall(t, ch, "sentinel after rollback")
	expectNoPending(t, ch, "the rolled back insert was announced")

	// Update and delete are announced too.
	rows, _ := s.List(ctx)
	p := rows[0]
	p.Action = admin.PermissionDeny
	if err := s.Update(ctx, p); err != nil {
		t.Fatal(err)
	}
	expectCall(t, ch, "after update")
	if _, err := s.Delete(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	expectCall(t, ch, "after delete")

	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Watch returned %v, want context.Canceled", err)
	}
}

func TestPermissionWatcherReconnects(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	ch, stop := watch(t, db)
	expectCall(t, ch, "once listening")

	var n int
	err := db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query LIKE 'LISTEN%'`).Scan(ctx, &n)
	if err != nil || n != 1 {
		t.Fatalf("terminate the listening backend: %d, %v", n, err)
	}
	expectCall(t, ch, "after reconnecting")

	// And it listens again.
	if err := postgres.NewPermissionStore(db).Create(ctx, admin.Permission{ID: uuid.New(), Role: ports.RoleMember,
		Operation: "users", Action: admin.PermissionAllow}); err != nil {
		t.Fatal(err)
	}
	expectCall(t, ch, "a change after reconnecting")
	if err := stop(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Watch returned %v", err)
	}
	// Its connection is closed, not left listening in the pool (the
	// backend exits shortly after the client hangs up).
	for deadline := time.Now().Add(5 * time.Second); ; {
		err = db.NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`).Scan(ctx, &n)
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("listening connections after stop: %d, %v", n, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestDefaultRulesFakeMatchesTheMigratedRows: the fake rules the modules'
// service tests start from (portsfake.DefaultRules, read from the text of
// the migrations) decide as the Policy does over the rows a migrated
// database holds, for every role and every operation of the schema.
func TestDefaultRulesFakeMatchesTheMigratedRows(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ops := graph.Operations()
	p := admin.NewPolicy(postgres.NewPermissionStore(db), postgres.NewPermissionWatcher(db), ops,
		slog.New(slog.DiscardHandler))
	if err := p.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	fake := portsfake.DefaultRules()
	roles := []string{ports.RoleAnonymous, ports.RoleMember, ports.RoleSupport, ports.RoleCompliance,
		ports.RoleAccountant, ports.RoleAdmin, ports.RoleSuperadmin, ports.RolePartner}
	opened := 0
	for _, role := range roles {
		for _, op := range ops {
			want := p.Allowed(role, op)
			if got := fake.Allowed(role, op); got != want {
				t.Errorf("%s %s: the fake says %v, the migrated rows %v", role, op, got, want)
			}
			if want {
				opened++
			}
		}
	}
	if opened == 0 {
		t.Fatal("the migrated rows open nothing")
	}
}
