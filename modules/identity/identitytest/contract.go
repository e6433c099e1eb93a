package identitytest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// Stores is one implementation of identity's stores under test, fresh and
// empty for each call of the factory. The suites take the small
// interfaces identity and its neighbours declare, never a union of them;
// one value usually fills several fields (adapters/postgres's UserStore is
// Users, UserChanges, Devices and UserExtras), as it does in the wiring.
type Stores struct {
	Users           identity.Users
	UserChanges     identity.UserChanges
	Devices         identity.Devices
	UserExtras      UserExtras
	PINs            identity.PINs
	Passwords       identity.Passwords
	TOTPs           identity.TOTPs
	Erasure         identity.CredentialEraser
	CredentialReads CredentialReads
	Sessions        identity.Sessions
	SessionReads    identity.SessionReads
	// Activities is the log of the same store: a user's activity rows
	// outlive the scrub of their personal data (its own suite is
	// portstest.RunActivityLog).
	Activities ports.ActivityLog
	Tx         ports.TxRunner
}

// UserExtras is what kyc, accounts and admin read and change of users
// beyond identity's own stores (kyc.Users, accounts.Users, admin.Users
// declare them), tested here because the rows are identity's.
type UserExtras interface {
	// SetLevel stores the user's verification level (ErrNotFound when no
	// such user).
	SetLevel(ctx context.Context, id uuid.UUID, level int, at time.Time) error
	// SetRole changes a user's role (ErrNotFound when no such user).
	SetRole(ctx context.Context, id uuid.UUID, role string, at time.Time) error
	// Lock holds the user's row until the surrounding transaction ends
	// (FOR NO KEY UPDATE in SQL); ErrNotFound when no such user.
	Lock(ctx context.Context, id uuid.UUID) error
}

// CredentialReads are the credential reads only tests make.
type CredentialReads interface {
	// GetPIN returns ErrNotFound when the user has no PIN.
	GetPIN(ctx context.Context, userID uuid.UUID) (identity.PINCredential, error)
	// RecoveryCodesLeft counts unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID uuid.UUID) (int, error)
}

// NewStores returns the fakes, empty and tied together as the database
// ties its tables (see the package comment), with a TxRunner that only
// calls its function.
func NewStores() Stores {
	creds, sessions := NewCredentialStore(), NewSessionStore()
	users := NewUserStore(creds).WithSessions(sessions)
	return Stores{Users: users, UserChanges: users, Devices: users, UserExtras: users,
		PINs: creds, Passwords: creds, TOTPs: creds, Erasure: creds, CredentialReads: creds,
		Sessions: sessions, SessionReads: SessionReads{Sessions: sessions, Users: users},
		Activities: portsfake.NewActivityLog(), Tx: portsfake.NewTxRunner()}
}

// T0 is the suites' fixed "now".
var T0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// Run runs every contract suite against implementations from newStores.
func Run(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Users", func(t *testing.T) { t.Parallel(); users(t, newStores(t)) })
	t.Run("Credentials", func(t *testing.T) { t.Parallel(); credentials(t, newStores(t)) })
	t.Run("Sessions", func(t *testing.T) { t.Parallel(); sessions(t, newStores(t)) })
	t.Run("SessionWithUser", func(t *testing.T) { t.Parallel(); sessionWithUser(t, newStores(t)) })
	t.Run("EmailUsers", func(t *testing.T) { t.Parallel(); emailUsers(t, newStores(t)) })
	t.Run("ContactChanges", func(t *testing.T) { t.Parallel(); contactChanges(t, newStores(t)) })
	t.Run("Scrub", func(t *testing.T) { t.Parallel(); scrub(t, newStores(t)) })
	t.Run("Push", func(t *testing.T) { t.Parallel(); push(t, newStores(t)) })
	t.Run("Passwords", func(t *testing.T) { t.Parallel(); passwords(t, newStores(t)) })
	t.Run("TOTP", func(t *testing.T) { t.Parallel(); totp(t, newStores(t)) })
	t.Run("DeleteAllCredentials", func(t *testing.T) { t.Parallel(); deleteAllCredentials(t, newStores(t)) })
	t.Run("LiveSessions", func(t *testing.T) { t.Parallel(); liveSessions(t, newStores(t)) })
	t.Run("DevicesByUsers", func(t *testing.T) { t.Parallel(); devicesByUsers(t, newStores(t)) })
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

// conflictOn reports whether err is a CONFLICT naming field.
func conflictOn(err error, field string) bool {
	var e *ports.Error
	return errors.As(err, &e) && e.Code == ports.CodeConflict && e.Fields[field] != ""
}

// NewUser stores a user with phone and returns it.
func NewUser(t *testing.T, users identity.Users, phone string) identity.User {
	t.Helper()
	u := identity.User{ID: uuid.New(), Phone: phone, State: "ACTIVE", Role: "MEMBER", Level: 1,
		ReferralCode: uuid.NewString()[:8], CreatedAt: T0, UpdatedAt: T0}
	noErr(t, users.Create(context.Background(), u))
	return u
}

// NewEmailUser stores a user with email (no phone) in state and returns it.
func NewEmailUser(t *testing.T, users identity.Users, email, state string) identity.User {
	t.Helper()
	u := identity.User{ID: uuid.New(), Email: email, State: state, Role: "MEMBER",
		ReferralCode: uuid.NewString()[:8], CreatedAt: T0, UpdatedAt: T0}
	noErr(t, users.Create(context.Background(), u))
	return u
}

func users(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123456")
	got, err := s.Users.GetByPhone(ctx, "+447911123456")
	noErr(t, err)
	check(t, got.ID == u.ID && got.Role == "MEMBER" && got.Level == 1 && !got.HasPIN, "GetByPhone: %+v", got)
	_, err = s.Users.GetByID(ctx, uuid.New())
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown id: %v", err)
	dup := u
	dup.ID, dup.ReferralCode = uuid.New(), "DIFFERNT"
	check(t, ports.ErrorCodeOf(s.Users.Create(ctx, dup)) == ports.CodeConflict, "duplicate phone accepted")

	noErr(t, s.PINs.SetPIN(ctx, u.ID, "h1", T0))
	got, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.HasPIN, "HasPIN false after SetPIN")

	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", Name: "Pixel", Trusted: true,
		SecretHash: []byte("s1"), CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	later := T0.Add(time.Hour)
	d2, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: later, LastSeenAt: later})
	noErr(t, err)
	check(t, d2.ID == d.ID && d2.Trusted && d2.Name == "Pixel" && d2.LastSeenAt.Equal(later) && string(d2.SecretHash) == "s1",
		"upsert: %+v", d2)
	d3, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", Trusted: true, SecretHash: []byte("s2"),
		CreatedAt: later, LastSeenAt: later})
	noErr(t, err)
	got2, err := s.Devices.GetDevice(ctx, u.ID, "k")
	noErr(t, err)
	check(t, string(d3.SecretHash) == "s2" && string(got2.SecretHash) == "s2", "new trust replaces the secret: %+v", got2)
	_, err = s.Devices.GetDevice(ctx, u.ID, "other")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown device: %v", err)
	list, err := s.Devices.ListDevices(ctx, u.ID)
	noErr(t, err)
	check(t, len(list) == 1 && list[0].ID == d.ID, "ListDevices: %+v", list)
}

func credentials(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123457")
	_, err := s.CredentialReads.GetPIN(ctx, u.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "no PIN yet: %v", err)
	noErr(t, s.PINs.CreatePIN(ctx, u.ID, "h1", T0))
	check(t, ports.ErrorCodeOf(s.PINs.CreatePIN(ctx, u.ID, "hx", T0)) == ports.CodeConflict, "second first PIN accepted")
	for i, h := range []string{"h2", "h3", "h4"} {
		noErr(t, s.PINs.SetPIN(ctx, u.ID, h, T0.Add(time.Duration(i+1)*time.Minute)))
	}
	recent, err := s.PINs.RecentPINHashes(ctx, u.ID, 3)
	noErr(t, err)
	check(t, len(recent) == 3 && recent[0] == "h4" && recent[2] == "h2", "history: %v", recent)
	try := func(at time.Time, maxLock time.Duration) identity.PINAttempt {
		t.Helper()
		a, err := s.PINs.ReservePINAttempt(ctx, u.ID, uuid.Nil, at, 5, 15*time.Minute, maxLock)
		noErr(t, err)
		return a
	}
	for i := 1; i < 5; i++ {
		a := try(T0, 24*time.Hour)
		check(t, a.Hash == "h4" && !a.Locked && a.FailedAttempts == i && a.LockedUntil == nil, "try %d: %+v", i, a)
	}
	a := try(T0, 24*time.Hour)
	check(t, a.Hash == "h4" && !a.Locked && a.FailedAttempts == 5 && a.LockedUntil != nil &&
		a.LockedUntil.Equal(T0.Add(15*time.Minute)), "fifth try starts the lockout: %+v", a)
	a = try(T0.Add(time.Minute), 24*time.Hour)
	check(t, a.Locked && a.Pending && a.Hash == "" && a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(15*time.Minute)),
		"under a lock pending on the fifth try: %+v", a)
	// A wrong fifth try confirms the lock; confirming again, or after it
	// ended, changes nothing.
	noErr(t, s.PINs.ConfirmPINLock(ctx, u.ID, uuid.Nil, T0))
	noErr(t, s.PINs.ConfirmPINLock(ctx, u.ID, uuid.Nil, T0))
	noErr(t, s.PINs.ConfirmPINLock(ctx, uuid.New(), uuid.Nil, T0))
	a = try(T0.Add(time.Minute), 24*time.Hour)
	check(t, a.Locked && !a.Pending && a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(15*time.Minute)), "under lock: %+v", a)
	for i := 0; i < 5; i++ {
		a = try(T0.Add(time.Hour), 20*time.Minute)
	}
	check(t, a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(time.Hour+20*time.Minute)), "second lockout, capped: %+v", a)
	// Left pending (its tries never came back), a lock still holds, and
	// once it ends the count starts afresh.
	a = try(T0.Add(time.Hour+19*time.Minute), 24*time.Hour)
	check(t, a.Locked && a.Pending, "a pending lock that was never confirmed: %+v", a)
	a = try(T0.Add(time.Hour+20*time.Minute), 24*time.Hour)
	check(t, !a.Locked && a.FailedAttempts == 1 && a.LockedUntil == nil, "after a pending lock ended: %+v", a)
	noErr(t, s.PINs.ConfirmPINLock(ctx, u.ID, uuid.Nil, T0.Add(time.Hour+20*time.Minute)))
	a = try(T0.Add(time.Hour+20*time.Minute), 24*time.Hour)
	check(t, !a.Locked && a.FailedAttempts == 2, "a confirmation without a lock changed the count: %+v", a)
	for i := 0; i < 3; i++ {
		a = try(T0.Add(time.Hour+20*time.Minute), 20*time.Minute)
	}
	check(t, a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(time.Hour+40*time.Minute)), "third lockout, capped: %+v", a)
	// A trusted device keeps its own count: the account's lockout does not
	// reach it, and its tries do not count against the account.
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "trusted", Trusted: true, CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	at := T0.Add(time.Hour + time.Minute)
	for i := 1; i <= 5; i++ {
		a, err = s.PINs.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
		noErr(t, err)
		check(t, !a.Locked && a.Hash == "h4", "device try %d under an account lock: %+v", i, a)
	}
	check(t, a.LockedUntil != nil && a.LockedUntil.Equal(at.Add(15*time.Minute)), "device lockout: %+v", a)
	a, err = s.PINs.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, a.Locked && a.Pending, "device not locked: %+v", a)
	noErr(t, s.PINs.ConfirmPINLock(ctx, u.ID, d.ID, at))
	a, err = s.PINs.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, a.Locked && !a.Pending, "device lock not confirmed: %+v", a)
	acct, err := s.PINs.ReservePINAttempt(ctx, u.ID, uuid.Nil, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, acct.Locked && acct.Pending, "the device's confirmation reached the account: %+v", acct)
	noErr(t, s.PINs.ResetPINFailures(ctx, u.ID, d.ID))
	a, err = s.PINs.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, !a.Locked && a.FailedAttempts == 1, "device after reset: %+v", a)
	// A new trust (new secret) and an untrust both clear the device's count.
	for i := 0; i < 4; i++ {
		_, err = s.PINs.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
		noErr(t, err)
	}
	_, err = s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "trusted", Trusted: true,
		SecretHash: []byte("new"), CreatedAt: at, LastSeenAt: at})
	noErr(t, err)
	a, err = s.PINs.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, !a.Locked && a.FailedAttempts == 1, "device count after a new trust: %+v", a)
	n, err := s.Devices.UntrustDevices(ctx, u.ID, uuid.Nil)
	noErr(t, err)
	check(t, n == 1, "untrusted %d devices", n)
	got, err := s.Devices.GetDevice(ctx, u.ID, "trusted")
	noErr(t, err)
	check(t, !got.Trusted && got.SecretHash == nil, "after untrust: %+v", got)
	a, err = s.PINs.ReservePINAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, a.FailedAttempts == 1, "device count after untrust: %+v", a)
	acct, err = s.PINs.ReservePINAttempt(ctx, u.ID, uuid.Nil, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, acct.Locked, "the account's lockout was lifted by device tries: %+v", acct)

	noErr(t, s.PINs.ResetPINFailures(ctx, u.ID, uuid.Nil))
	c, err := s.CredentialReads.GetPIN(ctx, u.ID)
	noErr(t, err)
	check(t, c.Hash == "h4" && c.FailedAttempts == 0 && c.LockedUntil == nil && c.Lockouts == 0, "after reset: %+v", c)
}

func sessions(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123458")
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	sess := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: T0, LastUsedAt: T0, ExpiresAt: T0.Add(24 * time.Hour)}
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

	other := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: T0, LastUsedAt: T0, ExpiresAt: T0.Add(24 * time.Hour)}
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
	check(t, got.SteppedUpUntil == nil, "a new session is not stepped up: %v", got.SteppedUpUntil)

	// A step-up lands on an open session of its user, and nowhere else.
	until := T0.Add(5 * time.Minute)
	noErr(t, s.Sessions.StepUp(ctx, third.ID, u.ID, until))
	got, err = s.Sessions.Get(ctx, third.ID)
	noErr(t, err)
	check(t, got.SteppedUpUntil != nil && got.SteppedUpUntil.Equal(until), "step-up: %v", got.SteppedUpUntil)
	err = s.Sessions.StepUp(ctx, third.ID, uuid.New(), until)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "another user's session: %v", err)
	err = s.Sessions.StepUp(ctx, sess.ID, u.ID, until)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "a revoked session: %v", err)
	err = s.Sessions.StepUp(ctx, uuid.New(), u.ID, until)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "no session: %v", err)

	// A step-up is spent once, by its user, before it ends.
	spent, err := s.Sessions.SpendStepUp(ctx, third.ID, uuid.New(), T0)
	noErr(t, err)
	check(t, !spent, "another user spent the step-up")
	spent, err = s.Sessions.SpendStepUp(ctx, third.ID, u.ID, until)
	noErr(t, err)
	check(t, !spent, "a step-up was spent at its end")
	spent, err = s.Sessions.SpendStepUp(ctx, third.ID, u.ID, T0)
	noErr(t, err)
	check(t, spent, "the step-up was not spent")
	spent, err = s.Sessions.SpendStepUp(ctx, third.ID, u.ID, T0)
	noErr(t, err)
	check(t, !spent, "a step-up was spent twice")
	got, err = s.Sessions.Get(ctx, third.ID)
	noErr(t, err)
	check(t, got.SteppedUpUntil == nil, "a spent step-up stays: %v", got.SteppedUpUntil)
}

// sessionWithUser: the viewer's one read returns the session as Get does
// and the user as GetByID does (credential flags included), ended
// sessions too (the viewer refuses them), and NOT_FOUND for no session.
func sessionWithUser(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123470")
	other := NewUser(t, s.Users, "+447911123471")
	noErr(t, s.PINs.CreatePIN(ctx, u.ID, "pin-hash", T0))
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	sess := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: T0, LastUsedAt: T0,
		ExpiresAt: T0.Add(24 * time.Hour), MFA: true}
	noErr(t, s.Sessions.Create(ctx, sess, []byte("swu"), T0.Add(time.Hour)))

	gotSess, gotUser, err := s.SessionReads.SessionWithUser(ctx, sess.ID)
	noErr(t, err)
	wantSess, err := s.Sessions.Get(ctx, sess.ID)
	noErr(t, err)
	wantUser, err := s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, gotSess.ID == wantSess.ID && gotSess.UserID == u.ID && gotSess.DeviceID == d.ID && gotSess.MFA &&
		gotSess.ExpiresAt.Equal(wantSess.ExpiresAt) && gotSess.RevokedAt == nil, "session %+v, want %+v", gotSess, wantSess)
	check(t, gotUser.ID == u.ID && gotUser.Phone == wantUser.Phone && gotUser.Role == wantUser.Role &&
		gotUser.State == wantUser.State && gotUser.ReferralCode == wantUser.ReferralCode && gotUser.HasPIN &&
		!gotUser.HasPassword && !gotUser.TOTPEnabled, "user %+v, want %+v", gotUser, wantUser)
	check(t, gotUser.ID != other.ID, "another user's row")

	noErr(t, s.Sessions.Revoke(ctx, sess.ID, T0.Add(time.Minute), "signed out"))
	gotSess, _, err = s.SessionReads.SessionWithUser(ctx, sess.ID)
	noErr(t, err)
	check(t, gotSess.RevokedAt != nil, "a revoked session reads as live")

	_, _, err = s.SessionReads.SessionWithUser(ctx, uuid.New())
	check(t, errors.Is(err, ports.ErrNotFound), "no such session: %v", err)
}

func emailUsers(t *testing.T, s Stores) {
	ctx := context.Background()
	referrer := NewUser(t, s.Users, "+447911123461")
	u := identity.User{ID: uuid.New(), Email: "ann@example.com", PendingPhone: "+447911123462", Name: "Ann",
		ImageURL: "https://img.example/ann.png", CountryCode: "GB", Locale: "es-MX", State: "PENDING", Role: "MEMBER",
		ReferralCode: "ANNCODE1", ReferredBy: &referrer.ID, CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Users.Create(ctx, u))
	got, err := s.Users.GetByEmail(ctx, "ann@example.com")
	noErr(t, err)
	check(t, got.ID == u.ID && got.Email == u.Email && got.PendingPhone == u.PendingPhone && got.Phone == "" &&
		got.Name == "Ann" && got.ImageURL == u.ImageURL && got.CountryCode == "GB" && got.Locale == "es-MX" && got.State == "PENDING" &&
		got.ReferredBy != nil && *got.ReferredBy == referrer.ID && got.DeletedAt == nil &&
		!got.HasPIN && !got.HasPassword && !got.TOTPEnabled, "GetByEmail: %+v", got)
	got, err = s.Users.GetByReferralCode(ctx, "ANNCODE1")
	noErr(t, err)
	check(t, got.ID == u.ID, "GetByReferralCode: %+v", got)
	_, err = s.Users.GetByReferralCode(ctx, "NOSUCH00")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown referral code: %v", err)
	_, err = s.Users.GetByEmail(ctx, "nobody@example.com")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown email: %v", err)
	_, err = s.Users.GetByPhone(ctx, "+447911123462")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "GetByPhone matched a pending phone: %v", err)

	dup := identity.User{ID: uuid.New(), Email: "ann@example.com", State: "PENDING", Role: "MEMBER",
		ReferralCode: "ANNCODE2", CreatedAt: T0, UpdatedAt: T0}
	err = s.Users.Create(ctx, dup)
	check(t, conflictOn(err, "email"), "duplicate email: %v", err)
	// Users without an email do not collide on it.
	NewUser(t, s.Users, "+447911123463")

	noErr(t, s.UserChanges.SetState(ctx, u.ID, "ACTIVE", T0.Add(time.Minute)))
	got, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.State == "ACTIVE" && got.UpdatedAt.Equal(T0.Add(time.Minute)), "SetState: %+v", got)
	check(t, ports.ErrorCodeOf(s.UserChanges.SetState(ctx, uuid.New(), "ACTIVE", T0)) == ports.CodeNotFound,
		"SetState of an unknown user")

	noErr(t, s.UserExtras.SetLevel(ctx, u.ID, 3, T0.Add(time.Minute)))
	got, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.Level == 3, "SetLevel: %+v", got)
	check(t, ports.ErrorCodeOf(s.UserExtras.SetLevel(ctx, uuid.New(), 1, T0)) == ports.CodeNotFound,
		"SetLevel of an unknown user")
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error { return s.UserExtras.Lock(ctx, u.ID) }))
	check(t, ports.ErrorCodeOf(s.Tx.InTx(ctx, func(ctx context.Context) error { return s.UserExtras.Lock(ctx, uuid.New()) })) ==
		ports.CodeNotFound, "Lock of an unknown user")
	other := NewUser(t, s.Users, "+447911123464")
	many, err := s.Users.GetByIDs(ctx, []uuid.UUID{u.ID, other.ID, uuid.New()})
	noErr(t, err)
	check(t, len(many) == 2 && many[0].ID != many[1].ID &&
		(many[0].ID == u.ID || many[1].ID == u.ID) && (many[0].ID == other.ID || many[1].ID == other.ID),
		"GetByIDs: %+v", many)
	none, err := s.Users.GetByIDs(ctx, nil)
	noErr(t, err)
	check(t, len(none) == 0, "GetByIDs of nothing: %+v", none)

	at := T0.Add(2 * time.Minute)
	upd, err := s.UserChanges.UpdateProfile(ctx, u.ID, identity.ProfileUpdate{Name: "Ann B", ImageURL: "", CountryCode: "FR", Locale: "fr-CA"}, at)
	noErr(t, err)
	check(t, upd.ID == u.ID && upd.Name == "Ann B" && upd.ImageURL == "" && upd.CountryCode == "FR" && upd.Locale == "fr-CA" &&
		upd.UpdatedAt.Equal(at) && upd.Email == u.Email && upd.State == "ACTIVE", "UpdateProfile: %+v", upd)
	got, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.Name == "Ann B" && got.CountryCode == "FR" && got.Locale == "fr-CA", "after UpdateProfile: %+v", got)
	_, err = s.UserChanges.UpdateProfile(ctx, uuid.New(), identity.ProfileUpdate{Name: "x"}, at)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "UpdateProfile of an unknown user: %v", err)

	// DeletePending only ever removes a PENDING user.
	removed, err := s.Users.DeletePending(ctx, "ann@example.com")
	noErr(t, err)
	check(t, !removed, "DeletePending removed an ACTIVE user")
	_, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	p := NewEmailUser(t, s.Users, "pat@example.com", "PENDING")
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: p.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	noErr(t, s.Sessions.Create(ctx, identity.Session{ID: uuid.New(), UserID: p.ID, DeviceID: d.ID, CreatedAt: T0,
		LastUsedAt: T0, ExpiresAt: T0.Add(time.Hour)}, []byte("pat-r1"), T0.Add(time.Hour)))
	noErr(t, s.Passwords.SetPassword(ctx, p.ID, "pw", T0))
	removed, err = s.Users.DeletePending(ctx, "nobody@example.com")
	noErr(t, err)
	check(t, !removed, "DeletePending of an unknown email")
	removed, err = s.Users.DeletePending(ctx, "pat@example.com")
	noErr(t, err)
	check(t, removed, "DeletePending kept a PENDING user")
	_, err = s.Users.GetByID(ctx, p.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "pending user still there: %v", err)
	live, err := s.Sessions.ListLive(ctx, p.ID, T0)
	noErr(t, err)
	check(t, len(live) == 0, "the pending user's sessions stayed: %+v", live)
	_, err = s.Passwords.ReservePasswordAttempt(ctx, p.ID, uuid.Nil, T0, 5, time.Minute, time.Hour)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "the pending user's password stayed: %v", err)
	// The address is free again.
	NewEmailUser(t, s.Users, "pat@example.com", "PENDING")
}

func contactChanges(t *testing.T, s Stores) {
	ctx := context.Background()
	a := NewUser(t, s.Users, "+447911123464")
	b := identity.User{ID: uuid.New(), Email: "bob@example.com", PendingPhone: "+447911123465", State: "ACTIVE",
		Role: "MEMBER", ReferralCode: uuid.NewString()[:8], CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Users.Create(ctx, b))
	noErr(t, s.UserChanges.SetEmail(ctx, a.ID, "al@example.com", T0))

	at := T0.Add(time.Minute)
	err := s.UserChanges.SetPhone(ctx, b.ID, a.Phone, at)
	check(t, conflictOn(err, "phone"), "SetPhone to a taken phone: %v", err)
	got, err := s.Users.GetByID(ctx, b.ID)
	noErr(t, err)
	check(t, got.Phone == "" && got.PendingPhone == "+447911123465", "a refused SetPhone changed the user: %+v", got)
	noErr(t, s.UserChanges.SetPhone(ctx, b.ID, "+447911123465", at))
	got, err = s.Users.GetByPhone(ctx, "+447911123465")
	noErr(t, err)
	check(t, got.ID == b.ID && got.Phone == "+447911123465" && got.PendingPhone == "" && got.UpdatedAt.Equal(at),
		"after SetPhone: %+v", got)
	check(t, ports.ErrorCodeOf(s.UserChanges.SetPhone(ctx, uuid.New(), "+447911123466", at)) == ports.CodeNotFound,
		"SetPhone of an unknown user")

	err = s.UserChanges.SetEmail(ctx, b.ID, "al@example.com", at)
	check(t, conflictOn(err, "email"), "SetEmail to a taken email: %v", err)
	noErr(t, s.UserChanges.SetEmail(ctx, b.ID, "bob2@example.com", at))
	got, err = s.Users.GetByEmail(ctx, "bob2@example.com")
	noErr(t, err)
	check(t, got.ID == b.ID, "after SetEmail: %+v", got)
	_, err = s.Users.GetByEmail(ctx, "bob@example.com")
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "the old email still finds the user: %v", err)
	// Setting one's own email again is no conflict.
	noErr(t, s.UserChanges.SetEmail(ctx, b.ID, "bob2@example.com", at))
	got, err = s.Users.GetByEmail(ctx, "al@example.com")
	noErr(t, err)
	check(t, got.ID == a.ID && got.Phone == a.Phone, "SetEmail on a phone user: %+v", got)
}

func scrub(t *testing.T, s Stores) {
	ctx := context.Background()
	u := identity.User{ID: uuid.New(), Phone: "+447911123467", PendingPhone: "+447911123468", Email: "cy@example.com",
		Name: "Cy", ImageURL: "https://img.example/cy.png", CountryCode: "DE", Locale: "de-DE", State: "ACTIVE", Role: "MEMBER",
		ReferralCode: "CYCODE01", FirebaseUID: "fb-cy", CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Users.Create(ctx, u))
	other := NewUser(t, s.Users, "+447911123469")
	od, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: other.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", Trusted: true, SecretHash: []byte("s"),
		CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	_, err = s.Devices.SetPush(ctx, u.ID, d.ID, identity.PushRegistration{Token: "tok", Platform: "IOS", UpdatedAt: T0})
	noErr(t, err)
	sess := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: T0, LastUsedAt: T0, ExpiresAt: T0.Add(time.Hour)}
	noErr(t, s.Sessions.Create(ctx, sess, []byte("cy-r1"), T0.Add(time.Hour)))
	osess := identity.Session{ID: uuid.New(), UserID: other.ID, DeviceID: od.ID, CreatedAt: T0, LastUsedAt: T0, ExpiresAt: T0.Add(time.Hour)}
	noErr(t, s.Sessions.Create(ctx, osess, []byte("other-r1"), T0.Add(time.Hour)))
	noErr(t, s.UserChanges.RecordTermsAcceptance(ctx, identity.TermsAcceptance{UserID: u.ID, Kind: "GENERAL", Version: "1", AcceptedAt: T0}))
	noErr(t, s.Activities.Record(ctx, ports.Activity{UserID: &u.ID, Topic: "SESSION", Action: "sign_in.pin",
		Result: ports.ActivitySucceeded, CreatedAt: T0}))

	at := T0.Add(time.Hour)
	noErr(t, s.UserChanges.Scrub(ctx, u.ID, at))
	got, err := s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.Phone == "" && got.PendingPhone == "" && got.Email == "" && got.Name == "" && got.ImageURL == "" &&
		got.CountryCode == "" && got.Locale == "" && got.FirebaseUID == "", "personal data left: %+v", got)
	check(t, got.State == "DELETED" && got.DeletedAt != nil && got.DeletedAt.Equal(at) && got.UpdatedAt.Equal(at),
		"after Scrub: %+v", got)
	devices, err := s.Devices.ListDevices(ctx, u.ID)
	noErr(t, err)
	check(t, len(devices) == 0, "devices left: %+v", devices)
	_, err = s.Sessions.Get(ctx, sess.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "session left: %v", err)
	_, err = s.Sessions.Rotate(ctx, []byte("cy-r1"), []byte("cy-r2"), T0.Add(time.Minute), T0.Add(2*time.Hour))
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "refresh token left: %v", err)
	for _, find := range []func() (identity.User, error){
		func() (identity.User, error) { return s.Users.GetByPhone(ctx, u.Phone) },
		func() (identity.User, error) { return s.Users.GetByEmail(ctx, u.Email) },
	} {
		_, err = find()
		check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "a scrubbed contact still finds the user: %v", err)
	}
	acts, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: u.ID, Limit: 10})
	noErr(t, err)
	check(t, len(acts) == 1 && acts[0].Action == "sign_in.pin", "activities after Scrub: %+v", acts)
	// Other users are untouched, and the contact details are free again.
	_, err = s.Sessions.Get(ctx, osess.ID)
	noErr(t, err)
	odevs, err := s.Devices.ListDevices(ctx, other.ID)
	noErr(t, err)
	check(t, len(odevs) == 1, "another user's devices: %+v", odevs)
	again := identity.User{ID: uuid.New(), Phone: u.Phone, Email: u.Email, State: "ACTIVE", Role: "MEMBER",
		ReferralCode: "CYCODE02", CreatedAt: at, UpdatedAt: at}
	noErr(t, s.Users.Create(ctx, again))
	check(t, ports.ErrorCodeOf(s.UserChanges.Scrub(ctx, uuid.New(), at)) == ports.CodeNotFound, "Scrub of an unknown user")
}

// samePush compares a stored registration with the one given (times by
// instant: a database hands them back in its own location).
func samePush(got *identity.PushRegistration, want identity.PushRegistration) bool {
	if got == nil || !got.UpdatedAt.Equal(want.UpdatedAt) {
		return false
	}
	g := *got
	g.UpdatedAt = want.UpdatedAt
	return g == want
}

func push(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123470")
	other := NewUser(t, s.Users, "+447911123471")
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	check(t, d.Push == nil, "a new device has a push registration: %+v", d.Push)
	od, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: other.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)

	reg := identity.PushRegistration{Token: "fcm-1", Platform: "ANDROID", OS: "Android", OSVersion: "15",
		Model: "Pixel 9", AppVersion: "2.3.0", UpdatedAt: T0.Add(time.Minute)}
	got, err := s.Devices.SetPush(ctx, u.ID, d.ID, reg)
	noErr(t, err)
	check(t, got.ID == d.ID && samePush(got.Push, reg), "SetPush: %+v", got.Push)
	_, err = s.Devices.SetPush(ctx, u.ID, od.ID, reg)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "SetPush on another user's device: %v", err)
	_, err = s.Devices.SetPush(ctx, u.ID, uuid.New(), reg)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "SetPush on an unknown device: %v", err)
	ogot, err := s.Devices.GetDevice(ctx, other.ID, "k")
	noErr(t, err)
	check(t, ogot.Push == nil, "another user's device got a push token: %+v", ogot.Push)

	reg2 := identity.PushRegistration{Token: "fcm-2", Platform: "ANDROID", UpdatedAt: T0.Add(2 * time.Minute)}
	_, err = s.Devices.SetPush(ctx, u.ID, d.ID, reg2)
	noErr(t, err)
	got, err = s.Devices.GetDevice(ctx, u.ID, "k")
	noErr(t, err)
	check(t, samePush(got.Push, reg2), "SetPush replaces: %+v", got.Push)
	// A sign-in upsert keeps the registration.
	got, err = s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0.Add(time.Hour)})
	noErr(t, err)
	check(t, got.Push != nil && got.Push.Token == "fcm-2", "upsert dropped the push token: %+v", got.Push)

	noErr(t, s.Devices.ClearPush(ctx, d.ID))
	got, err = s.Devices.GetDevice(ctx, u.ID, "k")
	noErr(t, err)
	check(t, got.Push == nil, "after ClearPush: %+v", got.Push)
	noErr(t, s.Devices.ClearPush(ctx, d.ID))
	list, err := s.Devices.ListDevices(ctx, u.ID)
	noErr(t, err)
	check(t, len(list) == 1 && list[0].Push == nil, "ListDevices after ClearPush: %+v", list)
}

func passwords(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123472")
	_, err := s.Passwords.ReservePasswordAttempt(ctx, u.ID, uuid.Nil, T0, 5, 15*time.Minute, 24*time.Hour)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "no password yet: %v", err)
	noErr(t, s.Passwords.SetPassword(ctx, u.ID, "p1", T0))
	got, err := s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.HasPassword && !got.HasPIN, "flags after SetPassword: %+v", got)
	noErr(t, s.Passwords.SetPassword(ctx, u.ID, "p2", T0.Add(time.Minute)))
	noErr(t, s.PINs.SetPIN(ctx, u.ID, "pin", T0))

	try := func(at time.Time, maxLock time.Duration) identity.PINAttempt {
		t.Helper()
		a, err := s.Passwords.ReservePasswordAttempt(ctx, u.ID, uuid.Nil, at, 5, 15*time.Minute, maxLock)
		noErr(t, err)
		return a
	}
	for i := 1; i < 5; i++ {
		a := try(T0, 24*time.Hour)
		check(t, a.Hash == "p2" && !a.Locked && a.FailedAttempts == i && a.LockedUntil == nil, "try %d: %+v", i, a)
	}
	a := try(T0, 24*time.Hour)
	check(t, a.Hash == "p2" && !a.Locked && a.FailedAttempts == 5 && a.LockedUntil != nil &&
		a.LockedUntil.Equal(T0.Add(15*time.Minute)), "fifth try starts the lockout: %+v", a)
	a = try(T0.Add(time.Minute), 24*time.Hour)
	check(t, a.Locked && a.Pending && a.Hash == "" && a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(15*time.Minute)),
		"under a lock pending on the fifth try: %+v", a)
	noErr(t, s.Passwords.ConfirmPasswordLock(ctx, u.ID, uuid.Nil, T0))
	a = try(T0.Add(time.Minute), 24*time.Hour)
	check(t, a.Locked && !a.Pending && a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(15*time.Minute)), "under lock: %+v", a)
	// The PIN keeps its own count.
	pa, err := s.PINs.ReservePINAttempt(ctx, u.ID, uuid.Nil, T0.Add(time.Minute), 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, !pa.Locked && pa.Hash == "pin" && pa.FailedAttempts == 1, "PIN under a password lock: %+v", pa)
	for i := 0; i < 5; i++ {
		a = try(T0.Add(time.Hour), 20*time.Minute)
	}
	check(t, a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(time.Hour+20*time.Minute)), "second lockout, capped: %+v", a)

	noErr(t, s.Passwords.ResetPasswordFailures(ctx, u.ID, uuid.Nil))
	a = try(T0.Add(time.Hour+time.Minute), 24*time.Hour)
	check(t, !a.Locked && a.FailedAttempts == 1 && a.LockedUntil == nil, "after reset: %+v", a)
	// The lockouts count was reset too: the next lockout is the first again.
	for i := 0; i < 4; i++ {
		a = try(T0.Add(time.Hour+time.Minute), 24*time.Hour)
	}
	check(t, a.LockedUntil != nil && a.LockedUntil.Equal(T0.Add(time.Hour+16*time.Minute)), "lockout after reset: %+v", a)
	// A new password lifts the lock.
	noErr(t, s.Passwords.SetPassword(ctx, u.ID, "p3", T0.Add(time.Hour+2*time.Minute)))
	a = try(T0.Add(time.Hour+2*time.Minute), 24*time.Hour)
	check(t, !a.Locked && a.Hash == "p3" && a.FailedAttempts == 1, "after SetPassword: %+v", a)
	noErr(t, s.Passwords.ResetPasswordFailures(ctx, uuid.New(), uuid.Nil))

	// A trusted device keeps its own password count: strangers' lockout
	// does not reach it, and its tries do not count against strangers'.
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "pw-trusted", Trusted: true,
		SecretHash: []byte("s"), CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	at := T0.Add(2 * time.Hour)
	for i := 0; i < 5; i++ {
		a = try(at, 24*time.Hour)
	}
	check(t, a.LockedUntil != nil, "strangers' lockout: %+v", a)
	for i := 1; i <= 5; i++ {
		a, err = s.Passwords.ReservePasswordAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
		noErr(t, err)
		check(t, !a.Locked && a.Hash == "p3", "device try %d under strangers' lock: %+v", i, a)
	}
	a, err = s.Passwords.ReservePasswordAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, a.Locked && a.Pending, "device not locked after its own five: %+v", a)
	noErr(t, s.Passwords.ConfirmPasswordLock(ctx, u.ID, d.ID, at))
	a, err = s.Passwords.ReservePasswordAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, a.Locked && !a.Pending, "device lock not confirmed: %+v", a)
	noErr(t, s.Passwords.ResetPasswordFailures(ctx, u.ID, d.ID))
	a, err = s.Passwords.ReservePasswordAttempt(ctx, u.ID, d.ID, at, 5, 15*time.Minute, 24*time.Hour)
	noErr(t, err)
	check(t, !a.Locked && a.FailedAttempts == 1, "device after reset: %+v", a)
	a = try(at, 24*time.Hour)
	check(t, a.Locked, "strangers' lockout was lifted by the device: %+v", a)
}

func totp(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123473")
	other := NewUser(t, s.Users, "+447911123474")
	_, err := s.TOTPs.GetTOTP(ctx, u.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "no TOTP yet: %v", err)
	err = s.TOTPs.ConfirmTOTP(ctx, u.ID, 1, nil, T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "confirm with nothing pending: %v", err)

	noErr(t, s.TOTPs.PutPendingTOTP(ctx, u.ID, []byte("sealed-1"), T0))
	c, err := s.TOTPs.GetTOTP(ctx, u.ID)
	noErr(t, err)
	check(t, c.UserID == u.ID && string(c.SealedSecret) == "sealed-1" && c.ConfirmedAt == nil && c.CreatedAt.Equal(T0),
		"pending: %+v", c)
	ok, err := s.TOTPs.UseTOTPStep(ctx, u.ID, 50)
	noErr(t, err)
	check(t, !ok, "a pending secret accepted a step")
	got, err := s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, !got.TOTPEnabled, "TOTPEnabled while pending")
	noErr(t, s.TOTPs.PutPendingTOTP(ctx, u.ID, []byte("sealed-2"), T0.Add(time.Minute)))
	c, err = s.TOTPs.GetTOTP(ctx, u.ID)
	noErr(t, err)
	check(t, string(c.SealedSecret) == "sealed-2" && c.ConfirmedAt == nil, "pending replaced: %+v", c)

	at := T0.Add(2 * time.Minute)
	codes := [][]byte{[]byte("rc-1"), []byte("rc-2"), []byte("rc-3")}
	noErr(t, s.TOTPs.ConfirmTOTP(ctx, u.ID, 100, codes, at))
	c, err = s.TOTPs.GetTOTP(ctx, u.ID)
	noErr(t, err)
	check(t, string(c.SealedSecret) == "sealed-2" && c.ConfirmedAt != nil && c.ConfirmedAt.Equal(at) && c.LastStep == 100,
		"confirmed: %+v", c)
	got, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, got.TOTPEnabled, "TOTPEnabled false after confirm")
	err = s.TOTPs.PutPendingTOTP(ctx, u.ID, []byte("sealed-3"), at)
	check(t, ports.ErrorCodeOf(err) == ports.CodeConflict, "new pending secret while enabled: %v", err)
	err = s.TOTPs.ConfirmTOTP(ctx, u.ID, 101, nil, at)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "second confirm: %v", err)
	c, err = s.TOTPs.GetTOTP(ctx, u.ID)
	noErr(t, err)
	check(t, string(c.SealedSecret) == "sealed-2" && c.LastStep == 100, "a refused change changed TOTP: %+v", c)

	for _, tc := range []struct {
		step int64
		want bool
	}{{100, false}, {99, false}, {101, true}, {101, false}, {105, true}, {103, false}} {
		ok, err := s.TOTPs.UseTOTPStep(ctx, u.ID, tc.step)
		noErr(t, err)
		check(t, ok == tc.want, "UseTOTPStep(%d) = %v", tc.step, ok)
	}
	ok, err = s.TOTPs.UseTOTPStep(ctx, other.ID, 200)
	noErr(t, err)
	check(t, !ok, "a user without TOTP accepted a step")

	left, err := s.CredentialReads.RecoveryCodesLeft(ctx, u.ID)
	noErr(t, err)
	check(t, left == 3, "recovery codes: %d", left)
	ok, err = s.TOTPs.UseRecoveryCode(ctx, other.ID, []byte("rc-1"), at)
	noErr(t, err)
	check(t, !ok, "another user spent the code")
	ok, err = s.TOTPs.UseRecoveryCode(ctx, u.ID, []byte("rc-1"), at)
	noErr(t, err)
	check(t, ok, "a recovery code was refused")
	ok, err = s.TOTPs.UseRecoveryCode(ctx, u.ID, []byte("rc-1"), at)
	noErr(t, err)
	check(t, !ok, "a recovery code was accepted twice")
	ok, err = s.TOTPs.UseRecoveryCode(ctx, u.ID, []byte("nope"), at)
	noErr(t, err)
	check(t, !ok, "an unknown recovery code was accepted")
	left, err = s.CredentialReads.RecoveryCodesLeft(ctx, u.ID)
	noErr(t, err)
	check(t, left == 2, "recovery codes after one use: %d", left)

	noErr(t, s.TOTPs.DeleteTOTP(ctx, u.ID))
	_, err = s.TOTPs.GetTOTP(ctx, u.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "TOTP after delete: %v", err)
	left, err = s.CredentialReads.RecoveryCodesLeft(ctx, u.ID)
	noErr(t, err)
	check(t, left == 0, "recovery codes after delete: %d", left)
	got, err = s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, !got.TOTPEnabled, "TOTPEnabled after delete")
	ok, err = s.TOTPs.UseRecoveryCode(ctx, u.ID, []byte("rc-2"), at)
	noErr(t, err)
	check(t, !ok, "a deleted recovery code was accepted")

	// Enrolling again starts from step 0 with new codes only.
	noErr(t, s.TOTPs.PutPendingTOTP(ctx, u.ID, []byte("sealed-4"), at))
	noErr(t, s.TOTPs.ConfirmTOTP(ctx, u.ID, 7, [][]byte{[]byte("rc-new")}, at))
	ok, err = s.TOTPs.UseTOTPStep(ctx, u.ID, 8)
	noErr(t, err)
	check(t, ok, "step after re-enrolment refused")
	left, err = s.CredentialReads.RecoveryCodesLeft(ctx, u.ID)
	noErr(t, err)
	check(t, left == 1, "recovery codes after re-enrolment: %d", left)
}

func deleteAllCredentials(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123475")
	keep := NewUser(t, s.Users, "+447911123476")
	for _, id := range []uuid.UUID{u.ID, keep.ID} {
		noErr(t, s.PINs.SetPIN(ctx, id, "pin", T0))
		noErr(t, s.Passwords.SetPassword(ctx, id, "pw", T0))
		noErr(t, s.TOTPs.PutPendingTOTP(ctx, id, []byte("sealed"), T0))
		noErr(t, s.TOTPs.ConfirmTOTP(ctx, id, 1, [][]byte{[]byte("rc")}, T0))
	}
	noErr(t, s.Erasure.DeleteAll(ctx, u.ID))
	_, err := s.CredentialReads.GetPIN(ctx, u.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "PIN after DeleteAll: %v", err)
	recent, err := s.PINs.RecentPINHashes(ctx, u.ID, 3)
	noErr(t, err)
	check(t, len(recent) == 0, "PIN history after DeleteAll: %v", recent)
	_, err = s.Passwords.ReservePasswordAttempt(ctx, u.ID, uuid.Nil, T0, 5, time.Minute, time.Hour)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "password after DeleteAll: %v", err)
	_, err = s.TOTPs.GetTOTP(ctx, u.ID)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "TOTP after DeleteAll: %v", err)
	left, err := s.CredentialReads.RecoveryCodesLeft(ctx, u.ID)
	noErr(t, err)
	check(t, left == 0, "recovery codes after DeleteAll: %d", left)
	got, err := s.Users.GetByID(ctx, u.ID)
	noErr(t, err)
	check(t, !got.HasPIN && !got.HasPassword && !got.TOTPEnabled, "flags after DeleteAll: %+v", got)

	got, err = s.Users.GetByID(ctx, keep.ID)
	noErr(t, err)
	check(t, got.HasPIN && got.HasPassword && got.TOTPEnabled, "another user's credentials went: %+v", got)
	left, err = s.CredentialReads.RecoveryCodesLeft(ctx, keep.ID)
	noErr(t, err)
	check(t, left == 1, "another user's recovery codes: %d", left)
	noErr(t, s.Erasure.DeleteAll(ctx, u.ID))
}

func liveSessions(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123477")
	other := NewUser(t, s.Users, "+447911123478")
	d, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	od, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: other.ID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
	noErr(t, err)
	now := T0.Add(time.Hour)
	n := 0
	create := func(userID, deviceID uuid.UUID, lastUsed, expires time.Time, mfa bool) identity.Session {
		t.Helper()
		n++
		sess := identity.Session{ID: uuid.New(), UserID: userID, DeviceID: deviceID, CreatedAt: T0, LastUsedAt: lastUsed,
			ExpiresAt: expires, MFA: mfa}
		noErr(t, s.Sessions.Create(ctx, sess, []byte{byte(n), 'l', 's'}, expires))
		return sess
	}
	older := create(u.ID, d.ID, T0.Add(10*time.Minute), now.Add(time.Hour), false)
	newest := create(u.ID, d.ID, T0.Add(30*time.Minute), now.Add(time.Hour), true)
	tieA := create(u.ID, d.ID, T0.Add(20*time.Minute), now.Add(time.Hour), false)
	tieB := create(u.ID, d.ID, T0.Add(20*time.Minute), now.Add(time.Hour), false)
	revoked := create(u.ID, d.ID, T0.Add(40*time.Minute), now.Add(time.Hour), false)
	noErr(t, s.Sessions.Revoke(ctx, revoked.ID, now, "test"))
	create(u.ID, d.ID, T0.Add(50*time.Minute), now, false)                   // expires exactly now
	create(u.ID, d.ID, T0.Add(50*time.Minute), now.Add(-time.Minute), false) // expired
	create(other.ID, od.ID, T0.Add(time.Hour), now.Add(time.Hour), false)

	got, err := s.Sessions.Get(ctx, newest.ID)
	noErr(t, err)
	check(t, got.MFA, "MFA not stored")
	got, err = s.Sessions.Get(ctx, older.ID)
	noErr(t, err)
	check(t, !got.MFA, "MFA set on a session opened without it")

	if bytes.Compare(tieA.ID[:], tieB.ID[:]) > 0 {
		tieA, tieB = tieB, tieA
	}
	want := []uuid.UUID{newest.ID, tieA.ID, tieB.ID, older.ID}
	live, err := s.Sessions.ListLive(ctx, u.ID, now)
	noErr(t, err)
	ids := make([]uuid.UUID, len(live))
	for i, l := range live {
		ids[i] = l.ID
	}
	check(t, slices.Equal(ids, want), "ListLive: %v, want %v", ids, want)
	check(t, live[0].MFA && live[0].UserID == u.ID && live[0].DeviceID == d.ID, "ListLive row: %+v", live[0])
	live, err = s.Sessions.ListLive(ctx, uuid.New(), now)
	noErr(t, err)
	check(t, len(live) == 0, "ListLive of an unknown user: %+v", live)
}
