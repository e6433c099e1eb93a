package identitytest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// These tests pin the fakes to the semantics documented on the ports, so
// that module tests built on them mean something.

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestReservePINAttemptLocksAndGrows(t *testing.T) {
	ctx := context.Background()
	s := identitytest.NewCredentialStore()
	uid := uuid.New()
	_, err := s.ReservePINAttempt(ctx, uid, uuid.Nil, t0, 5, time.Minute, time.Hour)
	require.ErrorIs(t, err, ports.ErrNotFound)

	require.NoError(t, s.SetPIN(ctx, uid, "h:1", t0))
	lockAfterFive := func(at time.Time) identity.PINAttempt {
		var out identity.PINAttempt
		for i := 1; i <= 5; i++ {
			out, err = s.ReservePINAttempt(ctx, uid, uuid.Nil, at, 5, 15*time.Minute, time.Hour)
			require.NoError(t, err)
			if i < 5 {
				require.Equal(t, i, out.FailedAttempts)
				// An earlier lockout's end stays, in the past.
				require.True(t, out.LockedUntil == nil || !out.LockedUntil.After(at))
			}
		}
		return out
	}
	out := lockAfterFive(t0)
	require.NotNil(t, out.LockedUntil)
	assert.Equal(t, t0.Add(15*time.Minute), *out.LockedUntil)
	assert.Equal(t, 5, out.FailedAttempts, "the lockout is pending on the fifth try")
	require.NoError(t, s.ConfirmPINLock(ctx, uid, uuid.Nil, t0))
	c, err := s.GetPIN(ctx, uid)
	require.NoError(t, err)
	assert.Equal(t, 0, c.FailedAttempts, "the counter restarts once the lockout is confirmed")

	out = lockAfterFive(t0.Add(time.Hour))
	assert.Equal(t, t0.Add(time.Hour+30*time.Minute), *out.LockedUntil, "second lockout doubles")
	out = lockAfterFive(t0.Add(2 * time.Hour))
	assert.Equal(t, t0.Add(3*time.Hour), *out.LockedUntil, "third would be 60 min: at the cap")
	out = lockAfterFive(t0.Add(4 * time.Hour))
	assert.Equal(t, t0.Add(5*time.Hour), *out.LockedUntil, "capped at maxLock")

	require.NoError(t, s.ResetPINFailures(ctx, uid, uuid.Nil))
	c, err = s.GetPIN(ctx, uid)
	require.NoError(t, err)
	assert.Equal(t, 0, c.FailedAttempts)
	assert.Nil(t, c.LockedUntil)
	assert.Equal(t, 0, c.Lockouts)
}

func TestRecentPINHashesNewestFirst(t *testing.T) {
	ctx := context.Background()
	s := identitytest.NewCredentialStore()
	uid := uuid.New()
	for _, h := range []string{"h:a", "h:b", "h:c", "h:d"} {
		require.NoError(t, s.SetPIN(ctx, uid, h, t0))
	}
	got, err := s.RecentPINHashes(ctx, uid, 3)
	require.NoError(t, err)
	assert.Equal(t, []string{"h:d", "h:c", "h:b"}, got)
}

func TestSessionRotate(t *testing.T) {
	ctx := context.Background()
	s := identitytest.NewSessionStore()
	sess := identity.Session{ID: uuid.New(), UserID: uuid.New(), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	require.NoError(t, s.Create(ctx, sess, []byte("r1"), t0.Add(time.Hour)))

	_, err := s.Rotate(ctx, []byte("nope"), []byte("x"), t0, t0.Add(time.Hour))
	require.ErrorIs(t, err, ports.ErrNotFound)

	rot, err := s.Rotate(ctx, []byte("r1"), []byte("r2"), t0.Add(time.Minute), t0.Add(time.Hour))
	require.NoError(t, err)
	assert.False(t, rot.Reused)
	assert.Equal(t, sess.ID, rot.Session.ID)

	rot, err = s.Rotate(ctx, []byte("r1"), []byte("r3"), t0.Add(2*time.Minute), t0.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, rot.Reused)
	require.NotNil(t, rot.Session.RevokedAt, "reuse revokes the family")

	rot, err = s.Rotate(ctx, []byte("r2"), []byte("r4"), t0.Add(3*time.Minute), t0.Add(time.Hour))
	require.NoError(t, err)
	assert.NotNil(t, rot.Session.RevokedAt, "the newer token's session is dead")
	_, err = s.Rotate(ctx, []byte("r4"), []byte("r5"), t0.Add(4*time.Minute), t0.Add(time.Hour))
	assert.ErrorIs(t, err, ports.ErrNotFound, "no token is issued for a dead session")
}

func TestSessionRotateExpiredToken(t *testing.T) {
	ctx := context.Background()
	s := identitytest.NewSessionStore()
	sess := identity.Session{ID: uuid.New(), UserID: uuid.New(), CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
	require.NoError(t, s.Create(ctx, sess, []byte("r1"), t0.Add(time.Minute)))
	_, err := s.Rotate(ctx, []byte("r1"), []byte("r2"), t0.Add(time.Minute), t0.Add(time.Hour))
	assert.ErrorIs(t, err, ports.ErrNotFound)
}

func TestUserStore(t *testing.T) {
	ctx := context.Background()
	creds := identitytest.NewCredentialStore()
	s := identitytest.NewUserStore(creds)
	u := identity.User{ID: uuid.New(), Phone: "+447911123456", ReferralCode: "A", HasPIN: true}
	require.NoError(t, s.Create(ctx, u))

	err := s.Create(ctx, identity.User{ID: uuid.New(), Phone: u.Phone, ReferralCode: "B"})
	var pe *ports.Error
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, ports.CodeConflict, pe.Code)
	assert.Contains(t, pe.Fields, "phone")
	errtest.Code(t, s.Create(ctx, identity.User{ID: uuid.New(), ReferralCode: "A"}), ports.CodeConflict)

	got, err := s.GetByPhone(ctx, u.Phone)
	require.NoError(t, err)
	assert.False(t, got.HasPIN, "HasPIN follows the credential store, as in the database")
	require.NoError(t, creds.SetPIN(ctx, u.ID, "h:1", t0))
	got, err = s.GetByID(ctx, u.ID)
	require.NoError(t, err)
	assert.True(t, got.HasPIN)

	d, err := s.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", Name: "Phone", Trusted: true, LastSeenAt: t0})
	require.NoError(t, err)
	d2, err := s.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k", LastSeenAt: t0.Add(time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, d.ID, d2.ID)
	assert.True(t, d2.Trusted, "trusted is only ever upgraded")
	assert.Equal(t, "Phone", d2.Name, "an empty name keeps the old one")
	assert.Equal(t, t0.Add(time.Minute), d2.LastSeenAt)

	_, err = s.GetDevice(ctx, u.ID, "other")
	assert.ErrorIs(t, err, ports.ErrNotFound)
}

func TestScrubAndDeletePendingDropLinkedSessions(t *testing.T) {
	ctx := context.Background()
	creds, sessions := identitytest.NewCredentialStore(), identitytest.NewSessionStore()
	users := identitytest.NewUserStore(creds).WithSessions(sessions)
	u := identity.User{ID: uuid.New(), Email: "p@example.com", State: "PENDING", ReferralCode: "A"}
	require.NoError(t, users.Create(ctx, u))
	d, err := users.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: "k"})
	require.NoError(t, err)
	sess := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, ExpiresAt: t0.Add(time.Hour)}
	require.NoError(t, sessions.Create(ctx, sess, []byte("r"), t0.Add(time.Hour)))
	require.NoError(t, creds.SetPIN(ctx, u.ID, "h:1", t0))
	removed, err := users.DeletePending(ctx, "p@example.com")
	require.NoError(t, err)
	assert.True(t, removed)
	_, err = sessions.Get(ctx, sess.ID)
	assert.ErrorIs(t, err, ports.ErrNotFound)
	_, err = creds.GetPIN(ctx, u.ID)
	assert.ErrorIs(t, err, ports.ErrNotFound)
	assert.Error(t, users.Create(ctx, identity.User{ID: uuid.New(), Email: "Upper@example.com", ReferralCode: "B"}),
		"emails are stored lower-cased, as the table checks")
}
