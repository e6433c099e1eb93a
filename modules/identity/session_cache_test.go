package identity_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// startCache runs a cache of size entries kept ttl over a fake watcher,
// and waits until its Watch runs (still down: call w.Up()).
func startCache(t *testing.T, ttl time.Duration, size int, clk ports.Clock) (*identity.SessionCache, *identitytest.SessionWatcher) {
	t.Helper()
	w := identitytest.NewSessionWatcher()
	c := identity.NewSessionCache(ttl, size, w, clk, slog.New(slog.DiscardHandler))
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, c.Stop(context.Background())) })
	select {
	case <-w.Started:
	case <-time.After(5 * time.Second):
		t.Fatal("the cache did not start watching")
	}
	return c, w
}

func viewerOf(userID uuid.UUID) identity.Viewer {
	return identity.Viewer{User: identity.User{ID: userID, State: identity.StateActive, Role: identity.RoleMember},
		SessionID: uuid.New(), DeviceID: uuid.New()}
}

// fill stores token for v the way the viewer does: a ticket, then Put.
func fill(c *identity.SessionCache, token string, v identity.Viewer, now time.Time) {
	t := c.Ticket(v.User.ID)
	c.Put(token, t, v, ports.AccessClaims{UserID: v.User.ID, SessionID: v.SessionID}, now, now.Add(time.Hour))
}

func cached(c *identity.SessionCache, token string, now time.Time) bool {
	_, _, ok := c.Get(token, now)
	return ok
}

func TestSessionCacheServesOnlyWhileListening(t *testing.T) {
	c, w := startCache(t, time.Minute, 100, clock.NewManual(t0))
	v := viewerOf(uuid.New())

	fill(c, "tok", v, t0)
	require.False(t, cached(c, "tok", t0), "stored before the watcher listened")
	require.False(t, c.Live())

	w.Up()
	require.True(t, c.Live())
	fill(c, "tok", v, t0)
	got, claims, ok := c.Get("tok", t0)
	require.True(t, ok)
	require.Equal(t, v.SessionID, got.SessionID)
	require.Equal(t, v.User.ID, claims.UserID)

	// The connection drops: everything goes at once, and nothing is
	// stored until it listens again, not even a fill begun before.
	before := c.Ticket(v.User.ID)
	w.Down()
	require.False(t, c.Live())
	require.Zero(t, c.Len())
	require.False(t, cached(c, "tok", t0))
	fill(c, "tok", v, t0)
	require.False(t, cached(c, "tok", t0), "stored while not listening")

	w.Up()
	c.Put("tok", before, v, ports.AccessClaims{}, t0, t0.Add(time.Hour))
	require.False(t, cached(c, "tok", t0), "a fill begun before the outage outlived it")
	fill(c, "tok", v, t0)
	require.True(t, cached(c, "tok", t0))
}

func TestSessionCacheKeepsEntriesForTheTTLAtMost(t *testing.T) {
	c, w := startCache(t, 10*time.Second, 100, clock.NewManual(t0))
	w.Up()
	v := viewerOf(uuid.New())
	fill(c, "tok", v, t0)
	require.True(t, cached(c, "tok", t0.Add(10*time.Second-time.Nanosecond)))
	require.False(t, cached(c, "tok", t0.Add(10*time.Second)))

	// A token or session ending sooner ends the entry sooner.
	c.Put("short", c.Ticket(v.User.ID), v, ports.AccessClaims{}, t0, t0.Add(2*time.Second))
	require.True(t, cached(c, "short", t0.Add(time.Second)))
	require.False(t, cached(c, "short", t0.Add(2*time.Second)))
	// And something already over is not stored at all.
	c.Put("over", c.Ticket(v.User.ID), v, ports.AccessClaims{}, t0, t0)
	require.False(t, cached(c, "over", t0))
}

func TestSessionCacheIsBounded(t *testing.T) {
	c, w := startCache(t, time.Minute, 3, clock.NewManual(t0))
	w.Up()
	tokens := []string{"a", "b", "c", "d", "e"}
	for _, tok := range tokens {
		fill(c, tok, viewerOf(uuid.New()), t0)
	}
	require.Equal(t, 3, c.Len())
	for i, tok := range tokens {
		require.Equal(t, i >= 2, cached(c, tok, t0), "token %s: the oldest go first", tok)
	}
	// Storing a token again replaces it, not adds it.
	fill(c, "e", viewerOf(uuid.New()), t0)
	require.Equal(t, 3, c.Len())
}

func TestSessionCacheForgetsAUserOnAChange(t *testing.T) {
	c, w := startCache(t, time.Minute, 100, clock.NewManual(t0))
	w.Up()
	alice, bob := uuid.New(), uuid.New()
	fill(c, "alice-phone", viewerOf(alice), t0)
	fill(c, "alice-laptop", viewerOf(alice), t0)
	fill(c, "bob", viewerOf(bob), t0)

	w.Changed(alice)
	require.False(t, cached(c, "alice-phone", t0))
	require.False(t, cached(c, "alice-laptop", t0))
	require.True(t, cached(c, "bob", t0), "another user's session went too")

	w.Changed(uuid.Nil)
	require.Zero(t, c.Len(), "uuid.Nil forgets everyone")
}

// TestStaleFillCannotOutliveAnInvalidation: a request read the old row,
// the change's notification arrived, then the request stored what it
// read. The ticket taken before the read turns that fill away.
func TestStaleFillCannotOutliveAnInvalidation(t *testing.T) {
	c, w := startCache(t, time.Minute, 100, clock.NewManual(t0))
	w.Up()
	alice, bob := uuid.New(), uuid.New()
	for bob[15] == alice[15] { // another stripe than alice's
		bob = uuid.New()
	}
	aliceTicket, bobTicket := c.Ticket(alice), c.Ticket(bob)
	w.Changed(alice) // alice was banned while her request was in flight
	c.Put("alice", aliceTicket, viewerOf(alice), ports.AccessClaims{}, t0, t0.Add(time.Hour))
	require.False(t, cached(c, "alice", t0), "the stale fill was stored")
	c.Put("bob", bobTicket, viewerOf(bob), ports.AccessClaims{}, t0, t0.Add(time.Hour))
	require.True(t, cached(c, "bob", t0), "another user's fill was turned away")

	// Local forgetting (ViewerService.Forget) does the same.
	aliceTicket = c.Ticket(alice)
	c.Forget(alice)
	c.Put("alice", aliceTicket, viewerOf(alice), ports.AccessClaims{}, t0, t0.Add(time.Hour))
	require.False(t, cached(c, "alice", t0))
}

func TestSessionCacheOffWithZeroTTL(t *testing.T) {
	w := identitytest.NewSessionWatcher()
	c := identity.NewSessionCache(0, 100, w, clock.NewManual(t0), nil)
	require.NoError(t, c.Start(context.Background()))
	defer func() { require.NoError(t, c.Stop(context.Background())) }()
	require.False(t, c.Enabled())
	select {
	case <-w.Started:
		t.Fatal("a cache turned off watches")
	case <-time.After(20 * time.Millisecond):
	}
	w.Up()
	fill(c, "tok", viewerOf(uuid.New()), t0)
	require.False(t, cached(c, "tok", t0))
}

// countingReads counts the viewer's database reads.
type countingReads struct {
	identity.SessionReads
	n atomic.Int32
}

func (r *countingReads) SessionWithUser(ctx context.Context, id uuid.UUID) (identity.Session, identity.User, error) {
	r.n.Add(1)
	return r.SessionReads.SessionWithUser(ctx, id)
}

// TestViewerServesATokenFromTheCacheUntilAChange: a warm token costs no
// read; a revocation announced by the watcher is refused at once.
func TestViewerServesATokenFromTheCacheUntilAChange(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	c, w := startCache(t, 10*time.Second, 100, e.clock)
	w.Up()
	reads := &countingReads{SessionReads: identitytest.SessionReads{Sessions: e.sessions, Users: e.users}}
	viewer := identity.NewViewerService(e.cfg, reads, e.tokens, portsfake.DefaultRules(), c, identity.Programs{},
		portsfake.NewRateLimiter(e.clock), e.activities, e.clock, slog.New(slog.DiscardHandler))

	for range 3 {
		v, err := viewer.Viewer(e.as(auth.AccessToken))
		require.NoError(t, err)
		require.Equal(t, auth.User.ID, v.User.ID)
	}
	require.EqualValues(t, 1, reads.n.Load(), "a warm token was read again")

	// validateToken answers from the cache too, with the token's claims.
	check, err := viewer.ValidateToken(e.ctx(), auth.AccessToken, []string{identity.ScopeSession}, nil)
	require.NoError(t, err)
	require.True(t, check.Valid)
	require.Empty(t, check.MissingScopes)
	require.EqualValues(t, 1, reads.n.Load())

	// Signed out elsewhere: the watcher tells, the token is refused.
	v, err := viewer.Viewer(e.as(auth.AccessToken))
	require.NoError(t, err)
	require.NoError(t, e.sessions.Revoke(context.Background(), v.SessionID, e.clock.Now(), "signed out"))
	w.Changed(auth.User.ID)
	_, err = viewer.Viewer(e.as(auth.AccessToken))
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.EqualValues(t, 2, reads.n.Load())

	// Past the TTL an entry is read again even with no change.
	e2 := e.signUp("+447911123457", goodPIN)
	_, err = viewer.Viewer(e.as(e2.AccessToken))
	require.NoError(t, err)
	e.clock.Advance(10 * time.Second)
	_, err = viewer.Viewer(e.as(e2.AccessToken))
	require.NoError(t, err)
	require.EqualValues(t, 4, reads.n.Load())
}
