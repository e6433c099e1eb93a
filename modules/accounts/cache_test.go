package accounts_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
)

const cacheTTL = 10 * time.Second

// cachedEnv is an env whose service keeps viewers' accounts in a
// ViewerCache, its fake watcher listening.
func cachedEnv(t *testing.T) (*env, *accounts.ViewerCache, *identitytest.SessionWatcher) {
	t.Helper()
	e := newEnv(t)
	w := identitytest.NewSessionWatcher()
	c := accounts.NewViewerCache(cacheTTL, 100, w, nil)
	e.svc.UseViewerCache(c)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, c.Stop(context.Background())) })
	<-w.Started
	w.Up()
	require.True(t, c.Live())
	return e, c, w
}

// readOwn is one request of u reading its accounts and their portfolios
// (as `me { accounts { portfolios } }` does); it returns how many
// portfolios it saw.
func readOwn(t *testing.T, e *env, u identity.User) int {
	t.Helper()
	return readAccounts(t, e, u, u.ID)
}

func readAccounts(t *testing.T, e *env, viewer identity.User, owner uuid.UUID) int {
	t.Helper()
	ctx := e.svc.WithLoaders(as(viewer))
	e.svc.ExpectPortfolios(ctx)
	accts, err := e.svc.AccountsOfUser(ctx, owner)
	require.NoError(t, err)
	require.NotEmpty(t, accts)
	n := 0
	for _, a := range accts {
		ps, err := e.svc.PortfoliosOfAccount(ctx, a.ID)
		require.NoError(t, err)
		n += len(ps)
	}
	return n
}

func storeReads(e *env) int64 {
	return e.accounts.accountsCalls.Load() + e.accounts.portfoliosCalls.Load() + e.accounts.joinedCalls.Load()
}

func TestViewerCacheServesAWarmOwnReadWithoutTheStore(t *testing.T) {
	e, c, _ := cachedEnv(t)
	u, _ := e.member()
	e.accounts.resetCounts()

	require.Equal(t, 0, readOwn(t, e, u))
	require.EqualValues(t, 1, e.accounts.joinedCalls.Load(), "the cold read: accounts with portfolios, once")
	require.EqualValues(t, 1, storeReads(e))
	require.Equal(t, 1, c.Len())

	e.accounts.resetCounts()
	for range 3 {
		require.Equal(t, 0, readOwn(t, e, u))
	}
	require.Zero(t, storeReads(e), "a warm read reaches the store")

	// After the TTL the entry is read again.
	e.clock.Advance(cacheTTL)
	readOwn(t, e, u)
	require.EqualValues(t, 1, storeReads(e))
}

func TestViewerCacheIsNotFilledByStaffReads(t *testing.T) {
	e, c, _ := cachedEnv(t)
	staff := e.user(ports.RoleSupport)
	u, _ := e.member()
	e.accounts.resetCounts()
	for range 2 {
		readAccounts(t, e, staff, u.ID)
	}
	require.Zero(t, c.Len(), "a staff read filled the viewer cache")
	require.EqualValues(t, 2, storeReads(e), "staff reads come from the store every time")

	// Nor does another member read someone's accounts through it.
	other, _ := e.member()
	ctx := e.svc.WithLoaders(as(other))
	_, err := e.svc.AccountsOfUser(ctx, u.ID)
	require.Equal(t, ports.CodeForbidden, ports.ErrorCodeOf(err))
	require.Zero(t, c.Len())
}

func TestViewerCacheForgetsOnNotification(t *testing.T) {
	e, c, w := cachedEnv(t)
	u, _ := e.member()
	v, _ := e.member()
	readOwn(t, e, u)
	readOwn(t, e, v)
	require.Equal(t, 2, c.Len())

	w.Changed(u.ID)
	require.Equal(t, 1, c.Len(), "the changed user's entry stays")
	e.accounts.resetCounts()
	readOwn(t, e, u)
	readOwn(t, e, v)
	require.EqualValues(t, 1, storeReads(e), "only the changed user is read again")

	w.Changed(uuid.Nil)
	require.Zero(t, c.Len(), "everyone is forgotten")
}

func TestViewerCacheIsBypassedAndEmptyWhileTheWatcherIsDown(t *testing.T) {
	e, c, w := cachedEnv(t)
	u, _ := e.member()
	readOwn(t, e, u)
	require.Equal(t, 1, c.Len())

	w.Down()
	require.False(t, c.Live())
	require.Zero(t, c.Len())
	e.accounts.resetCounts()
	for range 3 {
		readOwn(t, e, u)
	}
	require.EqualValues(t, 3, storeReads(e), "a read was served from memory while not listening")
	require.Zero(t, c.Len(), "filled while not listening")

	w.Up()
	readOwn(t, e, u)
	require.Equal(t, 1, c.Len())
}

func TestViewerCacheRefusesAFillOvertakenByAChange(t *testing.T) {
	c := accounts.NewViewerCache(cacheTTL, 10, identitytest.NewSessionWatcher(), nil)
	c.SetLive(true)
	id := uuid.New()
	now := time.Now()
	as := []accounts.Account{{ID: uuid.New(), UserID: id}}

	// A change of the user between the ticket and the fill.
	tk := c.Ticket(id)
	c.Forget(id)
	c.Put(id, tk, as, nil, now)
	_, _, ok := c.Get(id, now)
	require.False(t, ok, "a fill older than the change was kept")

	// The listener dropping and coming back in between.
	tk = c.Ticket(id)
	c.SetLive(false)
	c.SetLive(true)
	c.Put(id, tk, as, nil, now)
	_, _, ok = c.Get(id, now)
	require.False(t, ok, "a fill older than a reconnection was kept")

	// A ticket taken while not listening.
	c.SetLive(false)
	tk = c.Ticket(id)
	c.SetLive(true)
	c.Put(id, tk, as, nil, now)
	_, _, ok = c.Get(id, now)
	require.False(t, ok, "a fill begun while not listening was kept")

	// Untouched, the fill is kept; a change of another user on another
	// stripe does not turn it away.
	tk = c.Ticket(id)
	other := id
	other[15]++
	c.Forget(other)
	c.Put(id, tk, as, nil, now)
	got, _, ok := c.Get(id, now)
	require.True(t, ok)
	require.Equal(t, as, got)
}

// racingStore announces a change of the user while the fill reads.
type racingStore struct {
	*countingStore
	during func()
}

func (s racingStore) AccountsWithPortfoliosByUsers(ctx context.Context, ids []uuid.UUID) ([]accounts.Account,
	[]accounts.Portfolio, error) {
	as, ps, err := s.countingStore.AccountsWithPortfoliosByUsers(ctx, ids)
	if s.during != nil {
		s.during()
	}
	return as, ps, err
}

func TestViewerCacheKeepsNoReadThatRacedANotification(t *testing.T) {
	e := newEnv(t)
	u, _ := e.member()
	w := identitytest.NewSessionWatcher()
	c := accounts.NewViewerCache(cacheTTL, 100, w, nil)
	require.NoError(t, c.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, c.Stop(context.Background())) })
	<-w.Started
	w.Up()
	svc := accounts.NewService(e.cfg, racingStore{e.accounts, func() { w.Changed(u.ID) }}, e.users, e.kyc,
		fakeWallet{}, callers{}, nil, nil, e.clock, e.activities, nil)
	svc.UseViewerCache(c)
	ctx := svc.WithLoaders(as(u))
	_, err := svc.AccountsOfUser(ctx, u.ID)
	require.NoError(t, err)
	require.Zero(t, c.Len(), "a read that raced a change was kept")
}

func TestViewerCacheForgetsTheInstancesOwnWritesAtOnce(t *testing.T) {
	e, c, _ := cachedEnv(t)
	admin := e.user(ports.RoleAdmin)
	u, acct := e.member()
	e.approve(u)
	readOwn(t, e, u)
	require.Equal(t, 1, c.Len())

	// The owner creates a portfolio: no notification needed on this
	// instance.
	_, err := e.svc.CreatePortfolio(as(u), accounts.CreatePortfolioInput{AccountID: acct.ID, Name: "Main",
		Type: accounts.PortfolioTrading})
	require.NoError(t, err)
	require.Zero(t, c.Len())
	require.Equal(t, 1, readOwn(t, e, u))

	// Staff open a second account.
	_, err = e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID})
	require.NoError(t, err)
	require.Zero(t, c.Len())
	ctx := e.svc.WithLoaders(as(u))
	accts, err := e.svc.AccountsOfUser(ctx, u.ID)
	require.NoError(t, err)
	require.Len(t, accts, 2)
}

func TestViewerCacheOffReadsTheStore(t *testing.T) {
	e := newEnv(t)
	w := identitytest.NewSessionWatcher()
	c := accounts.NewViewerCache(0, 100, w, nil)
	e.svc.UseViewerCache(c)
	require.NoError(t, c.Start(context.Background()))
	require.False(t, c.Enabled())
	u, _ := e.member()
	e.accounts.resetCounts()
	readOwn(t, e, u)
	readOwn(t, e, u)
	require.EqualValues(t, 2, storeReads(e))
	require.Zero(t, c.Len())
}
