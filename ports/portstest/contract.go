// Package portstest holds contract suites for the store ports. Each suite
// runs against the in-memory fakes (ports/portsfake) and against the real
// PostgreSQL adapters, so a fake cannot drift from the truth.
package portstest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Stores is one implementation of the store ports under test, fresh and
// empty for each call of the factory.
type Stores struct {
	Users       ports.UserStore
	Credentials ports.CredentialStore
	Sessions    ports.SessionStore
	Tickets     ports.TicketStore
	Challenges  ports.ChallengeStore
	Tx          ports.TxRunner
}

// T0 is the suites' fixed "now".
var T0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Run runs every contract suite against implementations from newStores.
func Run(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Users", func(t *testing.T) { t.Parallel(); users(t, newStores(t)) })
	t.Run("Credentials", func(t *testing.T) { t.Parallel(); credentials(t, newStores(t)) })
	t.Run("Sessions", func(t *testing.T) { t.Parallel(); sessions(t, newStores(t)) })
	t.Run("Tickets", func(t *testing.T) { t.Parallel(); tickets(t, newStores(t)) })
	t.Run("Challenges", func(t *testing.T) { t.Parallel(); challenges(t, newStores(t)) })
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

// NewUser stores a user with phone and returns it.
func NewUser(t *testing.T, s Stores, phone string) ports.User {
	t.Helper()
	u := ports.User{ID: uuid.New(), Phone: phone, State: "ACTIVE", Role: "MEMBER", Level: 1,
		ReferralCode: uuid.NewString()[:8], CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Users.Create(context.Background(), u))
	return u
}

func users(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s, "+447911123456")
	got, err := s.Users.GetByPhone(ctx, "+447911123456")
	noErr(t, err)
	check(t, got.ID == u.ID && got.Role == "MEMBER" && got.Level == 1 && !got.HasPIN, "GetByPhone: %+v", got)
	_, err = s.Users.GetByID(ctx, uuid.New())
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown id: %v", err)
	dup := u
	dup.ID, dup.ReferralCode = uuid.New(), "DIFFERNT"
	check(t, ports.ErrorCodeOf(s.Users.Create(ctx, dup)) == ports.CodeConflict, "duplicate phone accepted")

	noErr(t, s.Credentials.SetPIN(ctx, u.ID, "h1", T0))
	got, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.HasPIN, "HasPIN false after SetPIN")

	d, err := s.Users.UpsertDevice(ctx, ports.Device{UserID: u.ID, DeviceKey: "k", Name: "Pixel", Trusted: true,
		SecretHash: []byte("s1"), CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	later := T0.Add(time.Hour)
	d2, err := s.Users.UpsertDevice(ctx, ports.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: later, LastSeenAt: later})
	noErr(t, err)
	check(t, d2.ID == d.ID && d2.Trusted && d2.Name == "Pixel" && d2.LastSeenAt.Equal(later) && string(d2.SecretHash) == "s1",
		"upsert: %+v", d2)
	d3, err := s.Users.UpsertDevice(ctx, ports.Device{UserID: u.ID, DeviceKey: "k", Trusted: true, SecretHash: []byte("s2"),
		CreatedAt: later, LastSeenAt: later})
	noErr(t, err)
	got2, err := s.Users.GetDevice(ctx, u.ID, "k")
	noErr(t, err)
	check(t, string(d3.SecretHash) == "s2" && string(got2.SecretHash) == "s2", "new trust replaces the secret: %+v", got2)
	_, err = s.Users.GetDevice(ctx, u.ID, "other")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown device: %v", err)
	list, err := s.Users.ListDevices(ctx, u.ID)
	noErr(t, err)
	check(t, len(list) == 1 && list[0].ID == d.ID, "ListDevices: %+v", list)
}

func credentials(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s, "+447911123457")
	_, err := s.Credentials.GetPIN(ctx, u.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "no PIN yet: %v", err)
	noErr(t, s.Credentials.CreatePIN(ctx, u.ID, "h1", T0))
	check(t, ports.ErrorCodeOf(s.Credentials.CreatePIN(ctx, u.ID, "hx", T0)) == ports.CodeConflict, "second first PIN accepted")
	for i, h := range []string{"h2", "h3", "h4"} {
		noErr(t, s.Credentials.SetPIN(ctx, u.ID, h, T0.Add(time.Duration(i+1)*time.Minute)))
	}
	recent, err := s.Credentials.RecentPINHashes(ctx, u.ID, 3)
	noErr(t, err)
	check(t, len(recent) == 3 && recent[0] == "h4" && recent[2] == "h2", "history: %v", recent)
	try := func(at time.Time, maxLock time.Duration) ports.PINAttempt {
		t.Helper()
		a, err := s.Credentials.ReservePINAttempt(ctx, u.ID, uuid.Nil, at, 5, 15*time.Minute, maxLock)
		noErr(t, err)
		return a
	}
	for i := 1; i < 5; i++ {
		a := try(T0, 24*time.Hour)
		check(t, a.Hash == "h4" && !a.Locked && a.FailedAttempts == i && a.LockedUntil == nil, "try %d: %+v", i, a)
	}
	a := try(T0, 24*time.Hour)
	check(t, a.Hash == "h4" && !a.Locked && a.FailedAttempts == 0 && a.LockedUntil != nil &&
		a.LockedUntil.Equal(T0.Add(15*time.Minute)), "fifth try starts the lockout: %+v", a)
	a = try(T0.Add(time.Minute), 24*time.Hour)
	check(t, a.Locked && a.Hash == "" && a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(15*time.Minute)), "under lock: %+v", a)
	for i := 0; i < 5; i++ {
		a = try(T0.Add(time.Hour), 20*time.Minute)
	}
	check(t, a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(time.Hour+20*time.Minute)), "second lockout, capped: %+v", a)
	// A trusted device keeps its own count: the account's lockout does not
	// reach it, and its tries do not count against the account.
	d, err := s.Users.UpsertDevice(ctx, ports.Device{UserID: u.ID, DeviceKey: "trusted", Trusted: true, CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	at := T0.Add(time.Hour + time.Minute)
	for i := 1; i <= 5; i++ {
		a, err = s.Credentials.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
		noErr(t, err)
		check(t, !a.Locked && a.Hash == "h4", "device try %d under an account lock: %+v", i, a)
	}
	check(t, a.LockedUntil != nil && a.LockedUntil.Equal(at.Add(15*time.Minute)), "device lockout: %+v", a)
	a, err = s.Credentials.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, a.Locked, "device not locked: %+v", a)
	noErr(t, s.Credentials.ResetPINFailures(ctx, u.ID, d.ID))
	a, err = s.Credentials.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, !a.Locked && a.FailedAttempts == 1, "device after reset: %+v", a)
	// A new trust (new secret) and an untrust both clear the device's count.
	for i := 0; i < 4; i++ {
		_, err = s.Credentials.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
		noErr(t, err)
	}
	_, err = s.Users.UpsertDevice(ctx, ports.Device{UserID: u.ID, DeviceKey: "trusted", Trusted: true,
		SecretHash: []byte("new"), CreatedAt: at, LastSeenAt: at})
	noErr(t, err)
	a, err = s.Credentials.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, !a.Locked && a.FailedAttempts == 1, "device count after a new trust: %+v", a)
	n, err := s.Users.UntrustDevices(ctx, u.ID, uuid.Nil)
	noErr(t, err)
	check(t, n == 1, "untrusted %d devices", n)
	got, err := s.Users.GetDevice(ctx, u.ID, "trusted")
	noErr(t, err)
	check(t, !got.Trusted && got.SecretHash == nil, "after untrust: %+v", got)
	a, err = s.Credentials.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, a.FailedAttempts == 1, "device count after untrust: %+v", a)
	acct, err := s.Credentials.ReservePINAttempt(ctx, u.ID, uuid.Nil, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, acct.Locked, "the account's lockout was lifted by device tries: %+v", acct)

	noErr(t, s.Credentials.ResetPINFailures(ctx, u.ID, uuid.Nil))
	c, err := s.Credentials.GetPIN(ctx, u.ID)
	noErr(t, err)
	check(t, c.Hash == "h4" && c.FailedAttempts == 0 && c.LockedUntil == nil && c.Lockouts == 0, "after reset: %+v", c)
}

func sessions(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s, "+447911123458")
	d, err := s.Users.UpsertDevice(ctx, ports.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	sess := ports.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: T0, LastUsedAt: T0, ExpiresAt: T0.Add(24 * time.Hour)}
	noErr(t, s.Sessions.Create(ctx, sess, []byte("r1"), T0.Add(time.Hour)))

	rot, err := s.Sessions.Rotate(ctx, []byte("r1"), []byte("r2"), T0.Add(time.Minute), T0.Add(2*time.Hour))
	noErr(t, err)
	check(t, !rot.Reused && rot.Session.ID == sess.ID && rot.Session.RevokedAt == nil, "first rotation: %+v", rot)
	_, err = s.Sessions.Rotate(ctx, []byte("nope"), []byte("x"), T0.Add(time.Minute), T0.Add(2*time.Hour))
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown token: %v", err)
	_, err = s.Sessions.Rotate(ctx, []byte("r2"), []byte("r3"), T0.Add(3*time.Hour), T0.Add(4*time.Hour))
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "expired token: %v", err)

	rot, err = s.Sessions.Rotate(ctx, []byte("r1"), []byte("r4"), T0.Add(2*time.Minute), T0.Add(2*time.Hour))
	noErr(t, err)
	check(t, rot.Reused && rot.Session.RevokedAt != nil, "reuse: %+v", rot)
	got, err := s.Sessions.Get(ctx, sess.ID)
	noErr(t, err)
	check(t, got.RevokedAt != nil, "family not revoked")

	other := ports.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: T0, LastUsedAt: T0, ExpiresAt: T0.Add(24 * time.Hour)}
	third := other
	third.ID = uuid.New()
	noErr(t, s.Sessions.Create(ctx, other, []byte("o1"), T0.Add(time.Hour)))
	noErr(t, s.Sessions.Create(ctx, third, []byte("t1"), T0.Add(time.Hour)))
	n, err := s.Sessions.RevokeAllForUser(ctx, u.ID, third.ID, T0, "test")
	noErr(t, err)
	check(t, n == 1, "revoked %d live sessions, want 1", n)
	got, err = s.Sessions.Get(ctx, third.ID)
	noErr(t, err)
	check(t, got.RevokedAt == nil, "kept session was revoked")
}

func tickets(t *testing.T, s Stores) {
	ctx := context.Background()
	tk := ports.Ticket{ID: uuid.New(), Purpose: "PHONE_SIGNUP", Subject: "+447911123459", ExpiresAt: T0.Add(10 * time.Minute), CreatedAt: T0}
	noErr(t, s.Tickets.Create(ctx, tk, []byte("secret")))
	found, err := s.Tickets.Find(ctx, []byte("secret"), "PHONE_SIGNUP")
	noErr(t, err)
	check(t, found.Subject == tk.Subject && found.UsedAt == nil, "find: %+v", found)
	_, err = s.Tickets.Use(ctx, []byte("secret"), "OTHER", T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "other purpose: %v", err)
	got, err := s.Tickets.Use(ctx, []byte("secret"), "PHONE_SIGNUP", T0)
	noErr(t, err)
	check(t, got.Subject == tk.Subject && got.ExpiresAt.Equal(tk.ExpiresAt), "use: %+v", got)
	_, err = s.Tickets.Use(ctx, []byte("secret"), "PHONE_SIGNUP", T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "second use: %v", err)
	_, err = s.Tickets.Find(ctx, []byte("secret"), "PHONE_SIGNUP")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "find after use: %v", err)
}

func challenges(t *testing.T, s Stores) {
	ctx := context.Background()
	c := ports.Challenge{ID: uuid.New(), Purpose: ports.PurposeSignup, Channel: "SMS", Destination: "+447911123460",
		CodeMAC: []byte("mac"), MaxAttempts: 5, Metadata: map[string]string{"userId": "u"},
		ExpiresAt: T0.Add(2 * time.Minute), ResendAfter: T0.Add(time.Minute), CreatedAt: T0}
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.Challenges.LockDestination(ctx, c.Destination); err != nil {
			return err
		}
		return s.Challenges.Create(ctx, c)
	}))
	var got ports.Challenge
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		got, err = s.Challenges.GetForUpdate(ctx, c.ID)
		return err
	}))
	check(t, got.Destination == c.Destination && string(got.CodeMAC) == "mac" && got.Metadata["userId"] == "u" &&
		got.Sends == 1 && got.ConsumedAt == nil, "get: %+v", got)
	noErr(t, s.Challenges.SetAttempts(ctx, c.ID, 3))
	c2 := c
	c2.CodeMAC, c2.ExpiresAt = []byte("mac2"), T0.Add(4*time.Minute)
	noErr(t, s.Challenges.Rearm(ctx, c2, T0.Add(time.Minute)))
	n, oldest, err := s.Challenges.SendsSince(ctx, c.Destination, T0.Add(-time.Hour))
	noErr(t, err)
	check(t, n == 2 && oldest.Equal(T0), "sends: %d oldest %v", n, oldest)
	n, _, err = s.Challenges.SendsSince(ctx, c.Destination, T0.Add(30*time.Second))
	noErr(t, err)
	check(t, n == 1, "sends since the resend: %d", n)
	n, _, err = s.Challenges.SendsSince(ctx, c.Destination, T0)
	noErr(t, err)
	check(t, n == 1, "a send at exactly since has left the window: %d", n)
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		got, err = s.Challenges.GetForUpdate(ctx, c.ID)
		return err
	}))
	check(t, got.Attempts == 3 && string(got.CodeMAC) == "mac2" && got.Sends == 2, "after rearm: %+v", got)
	ok, err := s.Challenges.MarkConsumed(ctx, c.ID, T0)
	noErr(t, err)
	check(t, ok, "first consume refused")
	ok, err = s.Challenges.MarkConsumed(ctx, c.ID, T0)
	noErr(t, err)
	check(t, !ok, "second consume accepted")
	_, err = s.Challenges.GetForUpdate(ctx, uuid.New())
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown challenge: %v", err)
}
