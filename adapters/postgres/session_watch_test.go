package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/identity"
)

// sessionEvents runs a SessionWatcher on db and returns what it reports,
// in order: "up", "down", or the user id of a change.
func sessionEvents(t *testing.T, db *bun.DB, heartbeat time.Duration) <-chan string {
	t.Helper()
	ch := make(chan string, 1000)
	ctx, cancel := context.WithCancel(context.Background())
	w := postgres.NewSessionWatcher(db)
	w.Backoff, w.Heartbeat = 10*time.Millisecond, heartbeat
	done := make(chan error, 1)
	go func() {
		done <- w.Watch(ctx, func(up bool) {
			if up {
				ch <- "up"
			} else {
				ch <- "down"
			}
		}, func(id uuid.UUID) { ch <- id.String() })
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Watch returned %v, want context.Canceled", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Watch did not return after its context ended")
		}
	})
	return ch
}

func expectEvent(t *testing.T, ch <-chan string, want, what string) {
	t.Helper()
	select {
	case got := <-ch:
		if got != want {
			t.Fatalf("%s: got %q, want %q", what, got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: nothing reported, want %q", what, want)
	}
}

// sessionSentinel announces a change of a made-up user from another
// connection: once it is reported, every change committed before it has
// been (PostgreSQL delivers in commit order), so what is not reported by
// then was not announced.
func sessionSentinel(t *testing.T, db *bun.DB, ch <-chan string, what string) {
	t.Helper()
	id := uuid.NewString()
	if _, err := db.ExecContext(context.Background(), "SELECT pg_notify(?, ?)", postgres.SessionChannel, id); err != nil {
		t.Fatal(err)
	}
	expectEvent(t, ch, id, what)
}

// TestSessionWatcherAnnouncesCommittedChangesOnly: every change the
// session cache must hear of is announced with its user's id when its
// transaction commits; a rolled-back change and the changes a cached
// session does not hold (wrong-PIN counts, a refresh) are not.
func TestSessionWatcherAnnouncesCommittedChangesOnly(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	// A short heartbeat: the pings run between the notifications (not
	// shorter: a ping unanswered within it ends the connection, and a busy
	// machine took more than 20 ms to answer one).
	ch := sessionEvents(t, db, 100*time.Millisecond)
	expectEvent(t, ch, "up", "once listening")

	users, creds, sessions := postgres.NewUserStore(db), postgres.NewCredentialStore(db), postgres.NewSessionStore(db)
	tx := postgres.NewTxRunner(db)
	u := newUser(t, db, "+447911150001")
	d, err := users.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: t0, LastSeenAt: t0})
	must(t, err)
	sess := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: t0, LastUsedAt: t0,
		ExpiresAt: t0.Add(24 * time.Hour)}
	must(t, sessions.Create(ctx, sess, []byte("r1"), t0.Add(time.Hour)))
	// The session's insert set the user's last sign-in: a user change.
	expectEvent(t, ch, u.ID.String(), "a sign-in (last_sign_in_at)")
	sessionSentinel(t, db, ch, "nothing else for a new session")

	// Inside a transaction: nothing until the commit.
	release, committed, revoked := make(chan struct{}), make(chan error, 1), make(chan struct{})
	go func() {
		committed <- tx.InTx(ctx, func(ctx context.Context) error {
			if err := sessions.Revoke(ctx, sess.ID, t0, "signed out"); err != nil {
				return err
			}
			close(revoked)
			<-release
			return nil
		})
	}()
	<-revoked
	sessionSentinel(t, db, ch, "the uncommitted revocation was announced")
	close(release)
	must(t, <-committed)
	expectEvent(t, ch, u.ID.String(), "the revocation, after its commit")
	sessionSentinel(t, db, ch, "one announcement for one commit")

	// A rolled-back ban announces nothing.
	err = tx.InTx(ctx, func(ctx context.Context) error {
		if err := users.SetState(ctx, u.ID, "BANNED", t0); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if err == nil {
		t.Fatal("the transaction did not fail")
	}
	sessionSentinel(t, db, ch, "the rolled-back ban was announced")

	// Each of these is announced once.
	other := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: t0.Add(time.Minute), LastUsedAt: t0,
		ExpiresAt: t0.Add(24 * time.Hour)}
	must(t, sessions.Create(ctx, other, []byte("o1"), t0.Add(time.Hour)))
	expectEvent(t, ch, u.ID.String(), "another sign-in")
	for _, c := range []struct {
		what   string
		change func() error
	}{
		{"a ban", func() error { return users.SetState(ctx, u.ID, "BANNED", t0) }},
		{"a role change", func() error { return users.SetRole(ctx, u.ID, "SUPPORT", t0) }},
		{"a PIN set", func() error { return creds.CreatePIN(ctx, u.ID, "h1", t0) }},
		{"a PIN change", func() error { return creds.SetPIN(ctx, u.ID, "h2", t0) }},
		{"a password set", func() error { return creds.SetPassword(ctx, u.ID, "p1", t0) }},
		{"all sessions revoked", func() error {
			_, err := sessions.RevokeAllForUser(ctx, u.ID, uuid.Nil, t0, "revoked by staff")
			return err
		}},
		{"credentials erased", func() error { return creds.DeleteAll(ctx, u.ID) }},
	} {
		must(t, c.change())
		expectEvent(t, ch, u.ID.String(), c.what)
		sessionSentinel(t, db, ch, c.what+": announced more than once")
	}

	// Not part of a cached session: a wrong PIN's count, a refresh.
	must(t, creds.CreatePIN(ctx, u.ID, "h3", t0))
	expectEvent(t, ch, u.ID.String(), "a PIN set again")
	_, err = creds.ReservePINAttempt(ctx, u.ID, uuid.Nil, t0, 5, time.Minute, time.Hour)
	must(t, err)
	third := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: t0.Add(2 * time.Minute), LastUsedAt: t0,
		ExpiresAt: t0.Add(24 * time.Hour)}
	must(t, sessions.Create(ctx, third, []byte("t1"), t0.Add(time.Hour)))
	expectEvent(t, ch, u.ID.String(), "a third sign-in")
	_, err = sessions.Rotate(ctx, []byte("t1"), []byte("t2"), t0.Add(time.Minute), t0.Add(time.Hour))
	must(t, err)
	sessionSentinel(t, db, ch, "a wrong PIN's count or a refresh was announced")
}

// TestSessionWatcherSaysDownThenListensAgain: a lost connection is
// reported at once (the cache empties and is bypassed), and the watcher
// comes back by itself.
func TestSessionWatcherSaysDownThenListensAgain(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	// No heartbeat during the test: the backend's last query stays LISTEN.
	ch := sessionEvents(t, db, time.Hour)
	expectEvent(t, ch, "up", "once listening")

	var n int
	err := db.NewRaw(`SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+postgres.SessionChannel+`'`).Scan(ctx, &n)
	if err != nil || n != 1 {
		t.Fatalf("terminate the listening backend: %d, %v", n, err)
	}
	expectEvent(t, ch, "down", "after the connection was lost")
	expectEvent(t, ch, "up", "after reconnecting")
	u := newUser(t, db, "+447911150002")
	must(t, postgres.NewUserStore(db).SetState(ctx, u.ID, "LOCKED", t0))
	expectEvent(t, ch, u.ID.String(), "a change after reconnecting")
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
