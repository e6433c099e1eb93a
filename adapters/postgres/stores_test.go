package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func newUser(t *testing.T, db *bun.DB, phone string) identity.User {
	t.Helper()
	u := identity.User{ID: uuid.New(), Phone: phone, State: "ACTIVE", Role: "MEMBER", Level: 1,
		ReferralCode: uuid.NewString()[:8], CreatedAt: t0, UpdatedAt: t0}
	if err := postgres.NewUserStore(db).Create(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestActivitiesAreAppendOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	if err := postgres.NewActivityLog(db).Record(ctx, ports.Activity{Topic: "SESSION", Action: "sign_in.pin",
		Result: ports.ActivitySucceeded, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, "UPDATE activities SET result = 'FAILED'"); err == nil {
		t.Fatal("UPDATE of activities was allowed")
	}
	if _, err := db.ExecContext(ctx, "DELETE FROM activities"); err == nil {
		t.Fatal("DELETE of activities was allowed")
	}
	var n int
	if err := db.NewRaw("SELECT count(*) FROM activities WHERE result = 'SUCCEEDED'").Scan(ctx, &n); err != nil || n != 1 {
		t.Fatalf("activities: %d, %v", n, err)
	}
}

func TestDuplicatePhoneIsConflictOnPhone(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	newUser(t, db, "+447911123456")
	u := identity.User{ID: uuid.New(), Phone: "+447911123456", State: "ACTIVE", Role: "MEMBER", ReferralCode: "OTHER123",
		CreatedAt: t0, UpdatedAt: t0}
	err := postgres.NewUserStore(db).Create(context.Background(), u)
	errtest.Code(t, err, ports.CodeConflict)
	var e *ports.Error
	if !errors.As(err, &e) || e.Fields["phone"] == "" {
		t.Fatalf("conflict does not name phone: %+v", err)
	}
}

func TestPINLockoutGrows(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	u := newUser(t, db, "+447911123457")
	creds := postgres.NewCredentialStore(db)
	if err := creds.SetPIN(ctx, u.ID, "hash", t0); err != nil {
		t.Fatal(err)
	}
	fail := func(at time.Time) identity.PINAttempt {
		out, err := creds.ReservePINAttempt(ctx, u.ID, uuid.Nil, at, 5, 15*time.Minute, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	for i := 1; i <= 4; i++ {
		if out := fail(t0); out.FailedAttempts != i || out.LockedUntil != nil {
			t.Fatalf("failure %d: %+v", i, out)
		}
	}
	// The fifth starts the lockout, pending on it until a wrong answer
	// confirms it (the count goes to zero).
	if out := fail(t0); out.LockedUntil == nil || !out.LockedUntil.Equal(t0.Add(15*time.Minute)) || out.FailedAttempts != 5 {
		t.Fatalf("first lockout: %+v", out)
	}
	if err := creds.ConfirmPINLock(ctx, u.ID, uuid.Nil, t0); err != nil {
		t.Fatal(err)
	}
	if c, err := creds.GetPIN(ctx, u.ID); err != nil || c.FailedAttempts != 0 || c.Lockouts != 1 {
		t.Fatalf("confirmed lockout: %+v %v", c, err)
	}
	t1 := t0.Add(time.Hour)
	for i := 1; i <= 4; i++ {
		fail(t1)
	}
	if out := fail(t1); out.LockedUntil == nil || !out.LockedUntil.Equal(t1.Add(30*time.Minute)) {
		t.Fatalf("second lockout should double: %+v", out)
	}
	if err := creds.ResetPINFailures(ctx, u.ID, uuid.Nil); err != nil {
		t.Fatal(err)
	}
	c, err := creds.GetPIN(ctx, u.ID)
	if err != nil || c.FailedAttempts != 0 || c.LockedUntil != nil || c.Lockouts != 0 {
		t.Fatalf("after reset: %+v %v", c, err)
	}
}

func TestDeviceTrustOnlyUpgrades(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	u := newUser(t, db, "+447911123458")
	users := postgres.NewUserStore(db)
	d, err := users.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", Name: "Pixel", Trusted: true, CreatedAt: t0, LastSeenAt: t0})
	if err != nil || !d.Trusted {
		t.Fatalf("first upsert: %+v %v", d, err)
	}
	later := t0.Add(time.Hour)
	d2, err := users.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", Trusted: false, CreatedAt: later, LastSeenAt: later})
	if err != nil || d2.ID != d.ID || !d2.Trusted || d2.Name != "Pixel" || !d2.LastSeenAt.Equal(later) {
		t.Fatalf("second upsert: %+v %v", d2, err)
	}
}

func TestRateLimiterWindows(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	c := clock.NewManual(t0.Add(10 * time.Second))
	l := postgres.NewRateLimiter(db, c)
	for i := 0; i < 3; i++ {
		if ok, _, err := l.Allow(ctx, "k", 3, time.Minute); !ok || err != nil {
			t.Fatalf("event %d refused: %v", i, err)
		}
	}
	ok, retry, err := l.Allow(ctx, "k", 3, time.Minute)
	if ok || err != nil || retry != 50*time.Second {
		t.Fatalf("4th event: ok=%v retry=%v err=%v", ok, retry, err)
	}
	if ok, _, _ := l.Allow(ctx, "other", 3, time.Minute); !ok {
		t.Fatal("keys are not independent")
	}
	c.Advance(time.Minute)
	if ok, _, _ := l.Allow(ctx, "k", 3, time.Minute); !ok {
		t.Fatal("new window still refused")
	}
}

func TestTxRunnerRollsBackAndNests(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	tx := postgres.NewTxRunner(db)
	users := postgres.NewUserStore(db)
	err := tx.InTx(ctx, func(ctx context.Context) error {
		return tx.InTx(ctx, func(ctx context.Context) error {
			if err := users.Create(ctx, identity.User{ID: uuid.New(), Phone: "+447911123459", State: "ACTIVE",
				Role: "MEMBER", ReferralCode: "ROLLBACK", CreatedAt: t0, UpdatedAt: t0}); err != nil {
				return err
			}
			return ports.Errorf(ports.CodeConflict, "stop")
		})
	})
	errtest.Code(t, err, ports.CodeConflict)
	_, err = users.GetByPhone(ctx, "+447911123459")
	errtest.Code(t, err, ports.CodeNotFound, "user survived the rollback")
}

func TestJanitorSweepsOnlyOldRows(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	now := t0.Add(48 * time.Hour)
	c := clock.NewManual(t0)
	l := postgres.NewRateLimiter(db, c)
	if _, _, err := l.Allow(ctx, "old", 5, time.Minute); err != nil {
		t.Fatal(err)
	}
	challenges := postgres.NewChallengeStore(db)
	for _, at := range []time.Time{t0, now} {
		if err := challenges.Create(ctx, otp.Challenge{ID: uuid.New(), Purpose: otp.PurposeSignup, Channel: "SMS",
			Destination: "+447911123460", CodeMAC: []byte{1}, MaxAttempts: 5, ExpiresAt: at.Add(2 * time.Minute),
			ResendAfter: at.Add(time.Minute), CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
	}
	c.Set(now)
	if _, _, err := l.Allow(ctx, "new", 5, time.Minute); err != nil {
		t.Fatal(err)
	}
	n, err := postgres.NewJanitor(db, c, nil).Sweep(ctx)
	if err != nil || n != 2 {
		t.Fatalf("swept %d rows, err %v; want the old window and the old challenge", n, err)
	}
	count := func(q string) int {
		var n int
		if err := db.NewRaw(q).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if count("SELECT count(*) FROM rate_limits") != 1 || count("SELECT count(*) FROM otp_challenges") != 1 ||
		count("SELECT count(*) FROM otp_sends") != 1 {
		t.Fatal("recent rows were swept")
	}
}

// A flood leaves more rows than one statement may delete under the
// server's statement timeout: the janitor deletes them in batches, all of
// them, and keeps the recent ones.
func TestJanitorSweepsAFloodInBatches(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	now := t0.Add(48 * time.Hour)
	if _, err := db.ExecContext(ctx, `INSERT INTO rate_limits (key, window_start, count)
		SELECT 'flood-' || i, ?, 1 FROM generate_series(1, 1050) i`, t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO rate_limits (key, window_start, count) VALUES ('recent', ?, 1)`, now); err != nil {
		t.Fatal(err)
	}
	j := postgres.NewJanitor(db, clock.NewManual(now), nil)
	j.Batch = 100
	n, err := j.Sweep(ctx)
	if err != nil || n != 1050 {
		t.Fatalf("swept %d rows, err %v; want the 1050 old windows", n, err)
	}
	var left []string
	if err := db.NewRaw("SELECT key FROM rate_limits").Scan(ctx, &left); err != nil || len(left) != 1 || left[0] != "recent" {
		t.Fatalf("left %v (err %v); want only the recent window", left, err)
	}
}

func TestJanitorSweepsOldPendingUsers(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	users := postgres.NewUserStore(db)
	now := t0.Add(48 * time.Hour)
	mk := func(email, state string, at time.Time) uuid.UUID {
		u := identity.User{ID: uuid.New(), Email: email, State: state, Role: "MEMBER", ReferralCode: uuid.NewString()[:8],
			CreatedAt: at, UpdatedAt: at}
		if err := users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		return u.ID
	}
	old := mk("old@example.com", "PENDING", now.Add(-25*time.Hour))
	if err := postgres.NewCredentialStore(db).SetPassword(ctx, old, "hash", t0); err != nil {
		t.Fatal(err)
	}
	fresh := mk("fresh@example.com", "PENDING", now.Add(-23*time.Hour))
	active := mk("active@example.com", "ACTIVE", t0)
	n, err := postgres.NewJanitor(db, clock.NewManual(now), nil).Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("swept %d rows, err %v; want the old pending user only", n, err)
	}
	_, err = users.GetByID(ctx, old)
	errtest.Code(t, err, ports.CodeNotFound, "old pending user")
	for _, id := range []uuid.UUID{fresh, active} {
		if _, err := users.GetByID(ctx, id); err != nil {
			t.Fatalf("kept user %s: %v", id, err)
		}
	}
}

func TestJanitorClosesExpiredPINResets(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	users, resets := postgres.NewUserStore(db), postgres.NewPINResetStore(db)
	now := t0.Add(48 * time.Hour)
	reset := func(phone string, status pinreset.Status, expires time.Time) pinreset.Reset {
		u := identity.User{ID: uuid.New(), Phone: phone, State: "ACTIVE", Role: "MEMBER", ReferralCode: uuid.NewString()[:8],
			CreatedAt: t0, UpdatedAt: t0}
		if err := users.Create(ctx, u); err != nil {
			t.Fatal(err)
		}
		r := pinreset.Reset{ID: uuid.New(), UserID: u.ID, TicketHash: []byte(phone), Status: status,
			ExpiresAt: expires, CreatedAt: expires.Add(-24 * time.Hour)}
		if err := resets.Create(ctx, r); err != nil {
			t.Fatal(err)
		}
		return r
	}
	expired := reset("+447911123470", pinreset.PendingReview, now.Add(-time.Minute))
	live := reset("+447911123471", pinreset.PendingReview, now.Add(time.Hour))
	done := reset("+447911123472", pinreset.Completed, now.Add(-time.Hour))
	n, err := postgres.NewJanitor(db, clock.NewManual(now), nil).Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("changed %d rows, err %v; want the expired reset only", n, err)
	}
	queue, err := resets.List(ctx, pinreset.PendingReview, nil, 10)
	if err != nil || len(queue) != 1 || queue[0].ID != live.ID {
		t.Fatalf("staff queue %+v, %v: want only the live reset", queue, err)
	}
	got, err := resets.Get(ctx, expired.ID)
	if err != nil || got.Status != pinreset.Rejected || got.Reason != "expired" {
		t.Fatalf("expired reset: %+v, %v", got, err)
	}
	if got, _ := resets.Get(ctx, done.ID); got.Status != pinreset.Completed {
		t.Fatalf("completed reset changed: %+v", got)
	}
	open, err := resets.OpenOf(ctx, expired.UserID)
	if err != nil || len(open) != 0 {
		t.Fatalf("the expired reset still blocks a new one: %+v %v", open, err)
	}
}
