package accounts_test

import (
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// batchEnv's loaders read at most n keys in one store call.
func batchEnv(t *testing.T, n int) *env {
	return newEnv(t, func(c *accounts.Config) { c.LoaderBatch = n })
}

func userIDs(us []identity.User) []uuid.UUID {
	ids := make([]uuid.UUID, len(us))
	for i, u := range us {
		ids[i] = u.ID
	}
	return ids
}

func accountIDs(as []accounts.Account) []uuid.UUID {
	ids := make([]uuid.UUID, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return ids
}

// parallel runs f(i) for i in [0, n) at once and waits for all.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i)
		}()
	}
	wg.Wait()
}

func TestLoadersBatchIntoOneStoreCall(t *testing.T) {
	const n = 25
	e := batchEnv(t, n)
	staff := e.user(ports.RoleSupport)
	users := make([]identity.User, n)
	accts := make([]accounts.Account, n)
	defaults := make([]uuid.UUID, n)
	for i := range n {
		users[i], accts[i] = e.member()
		e.approve(users[i])
		for j := range i%3 + 1 { // 1 to 3 portfolios each
			p, err := e.svc.CreatePortfolio(as(users[i]), trading(accts[i].ID, "P"+string(rune('a'+j))))
			require.NoError(t, err)
			if j == 0 {
				defaults[i] = p.ID
			}
			e.clock.Advance(time.Millisecond)
		}
	}
	e.accounts.resetCounts()
	ctx := e.svc.WithLoaders(as(staff))
	e.svc.ExpectUsers(ctx, userIDs(users)) // as the list's resolver does

	gotAccounts := make([][]accounts.Account, n)
	parallel(n, func(i int) {
		list, err := e.svc.AccountsOfUser(ctx, users[i].ID)
		require.NoError(t, err)
		gotAccounts[i] = list
	})
	require.EqualValues(t, 1, e.accounts.accountsCalls.Load(), "accounts of %d users in one store call", n)
	for i := range n {
		require.Len(t, gotAccounts[i], 1)
		require.Equal(t, accts[i].ID, gotAccounts[i][0].ID, "each user gets their own accounts")
	}

	gotPortfolios := make([][]accounts.Portfolio, n)
	parallel(n, func(i int) {
		list, err := e.svc.PortfoliosOfAccount(ctx, accts[i].ID)
		require.NoError(t, err)
		gotPortfolios[i] = list
	})
	require.EqualValues(t, 1, e.accounts.portfoliosCalls.Load(), "portfolios of %d accounts in one store call", n)
	for i := range n {
		require.Len(t, gotPortfolios[i], i%3+1)
		for _, p := range gotPortfolios[i] {
			require.Equal(t, accts[i].ID, p.AccountID)
		}
	}

	// Default portfolios come from the same (cached) loads: no statement
	// per row.
	parallel(n, func(i int) {
		id := defaults[i]
		p, err := e.svc.DefaultPortfolio(ctx, accts[i].ID, &id)
		require.NoError(t, err)
		require.Equal(t, id, p.ID)
	})
	require.EqualValues(t, 1, e.accounts.portfoliosCalls.Load())
	require.EqualValues(t, 1, e.accounts.accountsCalls.Load())
}

// When the request will read the portfolios of the accounts it reads
// (the query asks for them), a page of users' accounts comes with their
// portfolios in one store call, and reading the portfolios costs none.
func TestExpectedPortfoliosComeWithTheAccounts(t *testing.T) {
	const n = 12
	e := batchEnv(t, n)
	staff := e.user(ports.RoleSupport)
	users := make([]identity.User, n)
	accts := make([]accounts.Account, n)
	for i := range n {
		users[i], accts[i] = e.member()
		e.approve(users[i])
		for j := range i % 3 { // 0 to 2 portfolios each
			_, err := e.svc.CreatePortfolio(as(users[i]), trading(accts[i].ID, "P"+string(rune('a'+j))))
			require.NoError(t, err)
			e.clock.Advance(time.Millisecond)
		}
	}
	e.accounts.resetCounts()
	ctx := e.svc.WithLoaders(as(staff))
	e.svc.ExpectUsers(ctx, userIDs(users))
	e.svc.ExpectPortfolios(ctx)
	parallel(n, func(i int) {
		list, err := e.svc.AccountsOfUser(ctx, users[i].ID)
		require.NoError(t, err)
		require.Len(t, list, 1)
		require.Equal(t, accts[i].ID, list[0].ID)
	})
	parallel(n, func(i int) {
		ps, err := e.svc.PortfoliosOfAccount(ctx, accts[i].ID)
		require.NoError(t, err)
		require.NotNil(t, ps, "an account without portfolios reads an empty list")
		require.Len(t, ps, i%3)
		for j, p := range ps {
			require.Equal(t, accts[i].ID, p.AccountID)
			require.Equal(t, "P"+string(rune('a'+j)), p.Name, "oldest first")
		}
	})
	require.EqualValues(t, 1, e.accounts.joinedCalls.Load(), "accounts and portfolios of %d users in one store call", n)
	require.Zero(t, e.accounts.accountsCalls.Load())
	require.Zero(t, e.accounts.portfoliosCalls.Load())

	// An account read apart (not one of the users read) still reads its
	// portfolios on its own.
	other, otherAcct := e.member()
	e.approve(other)
	_, err := e.svc.PortfoliosOfAccount(ctx, otherAcct.ID)
	require.NoError(t, err)
	require.EqualValues(t, 1, e.accounts.portfoliosCalls.Load())

	// A failed joined read fails the accounts; their portfolios are then
	// read (and fail) on their own, not served empty.
	e.accounts.fail = ports.Errorf(ports.CodeInternal, "database down")
	fctx := e.svc.WithLoaders(as(staff))
	e.svc.ExpectPortfolios(fctx)
	_, err = e.svc.AccountsOfUser(fctx, users[1].ID)
	errtest.Code(t, err, ports.CodeInternal)
	_, err = e.svc.PortfoliosOfAccount(fctx, accts[1].ID)
	errtest.Code(t, err, ports.CodeInternal)
}

func TestDefaultPortfoliosBatch(t *testing.T) {
	const n = 10
	e := batchEnv(t, n)
	staff := e.user(ports.RoleAdmin)
	accts := make([]accounts.Account, n)
	defaults := make([]uuid.UUID, n)
	for i := range n {
		var u identity.User
		u, accts[i] = e.member()
		e.approve(u)
		p, err := e.svc.CreatePortfolio(as(u), trading(accts[i].ID, "Main"))
		require.NoError(t, err)
		defaults[i] = p.ID
	}
	e.accounts.resetCounts()
	ctx := e.svc.WithLoaders(as(staff))
	e.svc.ExpectAccounts(ctx, accountIDs(accts))
	parallel(n, func(i int) {
		id := defaults[i]
		p, err := e.svc.DefaultPortfolio(ctx, accts[i].ID, &id)
		require.NoError(t, err)
		require.NotNil(t, p)
		require.Equal(t, id, p.ID)
	})
	require.EqualValues(t, 1, e.accounts.portfoliosCalls.Load())

	none, err := e.svc.DefaultPortfolio(ctx, accts[0].ID, nil)
	require.NoError(t, err)
	require.Nil(t, none, "no default, no portfolio, no statement")
	require.EqualValues(t, 1, e.accounts.portfoliosCalls.Load())
}

func TestWithoutLoadersReadsDirectly(t *testing.T) {
	e := newEnv(t)
	u, acc := e.member()
	e.accounts.resetCounts()
	for range 3 {
		_, err := e.svc.AccountsOfUser(as(u), u.ID)
		require.NoError(t, err)
		_, err = e.svc.PortfoliosOfAccount(as(u), acc.ID)
		require.NoError(t, err)
	}
	require.EqualValues(t, 3, e.accounts.accountsCalls.Load())
	require.EqualValues(t, 3, e.accounts.portfoliosCalls.Load())
}

func TestLoadersSeeWritesOfTheSameRequest(t *testing.T) {
	e := batchEnv(t, 1) // every load runs at once
	u, acc := e.member()
	e.approve(u)
	admin := e.user(ports.RoleAdmin)

	ctx := e.svc.WithLoaders(as(u))
	ps, err := e.svc.PortfoliosOfAccount(ctx, acc.ID)
	require.NoError(t, err)
	require.Empty(t, ps)
	p, err := e.svc.CreatePortfolio(ctx, trading(acc.ID, "Main"))
	require.NoError(t, err)
	ps, err = e.svc.PortfoliosOfAccount(ctx, acc.ID)
	require.NoError(t, err)
	require.Len(t, ps, 1)
	require.Equal(t, p.ID, ps[0].ID)

	actx := e.svc.WithLoaders(as(admin))
	list, err := e.svc.AccountsOfUser(actx, u.ID)
	require.NoError(t, err)
	require.Len(t, list, 1)
	_, err = e.svc.OpenAccount(actx, accounts.OpenAccountInput{UserID: u.ID})
	require.NoError(t, err)
	list, err = e.svc.AccountsOfUser(actx, u.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
}

func TestLoaderErrorsReachTheCaller(t *testing.T) {
	e := batchEnv(t, 1)
	u, acc := e.member()
	e.accounts.fail = ports.Errorf(ports.CodeInternal, "database down")
	ctx := e.svc.WithLoaders(as(u))
	_, err := e.svc.AccountsOfUser(ctx, u.ID)
	errtest.Code(t, err, ports.CodeInternal)
	_, err = e.svc.PortfoliosOfAccount(ctx, acc.ID)
	errtest.Code(t, err, ports.CodeInternal)
}

func TestLoadersArePerRequest(t *testing.T) {
	e := batchEnv(t, 1)
	u, _ := e.member()
	e.accounts.resetCounts()
	for range 2 {
		ctx := e.svc.WithLoaders(as(u))
		for range 3 {
			_, err := e.svc.AccountsOfUser(ctx, u.ID)
			require.NoError(t, err)
		}
	}
	require.EqualValues(t, 2, e.accounts.accountsCalls.Load(), "cached within a request, fresh in the next")
}

func TestMembersDoNotFetchOtherUsersAccounts(t *testing.T) {
	e := batchEnv(t, 10)
	u, _ := e.member()
	other, _ := e.member()
	e.accounts.resetCounts()
	ctx := e.svc.WithLoaders(as(u))
	e.svc.ExpectUsers(ctx, []uuid.UUID{u.ID, other.ID})
	_, err := e.svc.AccountsOfUser(ctx, u.ID)
	require.NoError(t, err)
	require.Equal(t, []uuid.UUID{u.ID}, e.accounts.accountsKeys, "a member's announcement reads no one else's rows")
}
