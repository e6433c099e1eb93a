package accounts

import (
	"context"
	"sync/atomic"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/batchload"
	"github.com/gatehouse/gatehouse/ports"
)

// loaders batch the nested reads of one request: the accounts of every
// user of a list in one store call, the portfolios of every account of a
// list in another, however many rows the response holds. The lists'
// resolvers announce their keys (ExpectUsers, ExpectAccounts); there is
// no time window. When the request reads the portfolios of the accounts it
// reads (ExpectPortfolios), the accounts come with their portfolios in one
// store call.
type loaders struct {
	accounts   *batchload.Loader[uuid.UUID, []Account]
	portfolios *batchload.Loader[uuid.UUID, []Portfolio]
	// withPortfolios says the accounts' reader will read their
	// portfolios: the accounts' fetch brings them along.
	withPortfolios atomic.Bool
}

// WithLoaders returns ctx with fresh per-request loaders; call it once per
// request (their cache lives as long as ctx).
func (s *Service) WithLoaders(ctx context.Context) context.Context {
	return batchload.With(ctx, s.newLoaders)
}

// newLoaders builds one request's loaders, when it first reads through
// them.
func (s *Service) newLoaders() *loaders {
	l := &loaders{
		portfolios: batchload.New(s.cfg.LoaderBatch, batchload.Many(s.store.PortfoliosByAccounts,
			func(p Portfolio) uuid.UUID { return p.AccountID })),
	}
	l.accounts = batchload.New(s.cfg.LoaderBatch, func(ctx context.Context, ids []uuid.UUID) (map[uuid.UUID][]Account, error) {
		if l.withPortfolios.Load() {
			return l.fetchWithPortfolios(ctx, s.store, ids)
		}
		as, err := s.store.AccountsByUsers(ctx, ids)
		if err != nil {
			return nil, err
		}
		// Whoever reads these accounts may read their portfolios next:
		// announce them, so that the portfolios of every account read
		// here come in one statement.
		for _, a := range as {
			l.portfolios.Expect(a.ID)
		}
		return byUser(ids, as), nil
	})
	return l
}

// fetchWithPortfolios reads the users' accounts and their portfolios in
// one store call and keeps the portfolios for the portfolios' loader.
func (l *loaders) fetchWithPortfolios(ctx context.Context, store Store, ids []uuid.UUID) (map[uuid.UUID][]Account, error) {
	as, ps, err := store.AccountsWithPortfoliosByUsers(ctx, ids)
	if err != nil {
		return nil, err
	}
	l.primeWithPortfolios(as, ps)
	return byUser(ids, as), nil
}

// primeWithPortfolios gives the portfolios' loader the portfolios of the
// accounts as (each account gets a slice, empty without portfolios).
func (l *loaders) primeWithPortfolios(as []Account, ps []Portfolio) {
	byAccount := make(map[uuid.UUID][]Portfolio, len(as))
	for _, p := range ps {
		byAccount[p.AccountID] = append(byAccount[p.AccountID], p)
	}
	for _, a := range as {
		ps := byAccount[a.ID]
		if ps == nil {
			ps = []Portfolio{}
		}
		l.portfolios.Prime(a.ID, ps)
	}
}

// byUser splits accounts by user; each of ids gets a slice, empty
// without accounts.
func byUser(ids []uuid.UUID, as []Account) map[uuid.UUID][]Account {
	out := make(map[uuid.UUID][]Account, len(ids))
	for _, id := range ids {
		out[id] = []Account{}
	}
	for _, a := range as {
		out[a.UserID] = append(out[a.UserID], a)
	}
	return out
}

func loadersFrom(ctx context.Context) *loaders { return batchload.From[loaders](ctx) }

// ExpectUsers tells the request's loaders which users a list holds (the
// users of a page), so that the first read of their accounts reads them
// for all of them. Only for callers who may read other users' accounts:
// no one else's rows are fetched on a member's behalf.
func (s *Service) ExpectUsers(ctx context.Context, userIDs []uuid.UUID) {
	l := loadersFrom(ctx)
	if l == nil || len(userIDs) == 0 {
		return
	}
	c, err := s.callers.Caller(ctx)
	if err != nil || c == nil || !s.rules.Allowed(c.Role, "User.accounts") {
		return
	}
	l.accounts.Expect(userIDs...)
}

// ExpectPortfolios tells the request's loaders that the portfolios of the
// accounts it reads will be read too (the query asks for them), so that
// the accounts not yet read come with their portfolios in one statement.
// It reads nothing by itself: the accounts are read only for users the
// caller may read (AccountsOfUser, ExpectUsers), and an account's
// portfolios are readable by whoever may read the account.
func (s *Service) ExpectPortfolios(ctx context.Context) {
	if l := loadersFrom(ctx); l != nil {
		l.withPortfolios.Store(true)
	}
}

// ExpectAccounts tells the request's loaders which accounts a list holds,
// so that the first read of their portfolios reads them for all of them.
// Call it only with accounts the caller was allowed to read.
func (s *Service) ExpectAccounts(ctx context.Context, accountIDs []uuid.UUID) {
	if l := loadersFrom(ctx); l != nil && len(accountIDs) > 0 {
		l.portfolios.Expect(accountIDs...)
	}
}

// AccountsOfUser returns a user's accounts, oldest first, through the
// request's loader when there is one. Errors: UNAUTHENTICATED, FORBIDDEN
// (neither the user nor staff).
func (s *Service) AccountsOfUser(ctx context.Context, userID uuid.UUID) ([]Account, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	if !s.canRead(c, userID) {
		return nil, ports.Errorf(ports.CodeForbidden, "you may not read this user's accounts")
	}
	if c.UserID == userID && s.cache.Live() {
		return s.ownAccounts(ctx, userID)
	}
	if l := loadersFrom(ctx); l != nil {
		return l.accounts.Load(ctx, userID)
	}
	return s.store.AccountsByUsers(ctx, []uuid.UUID{userID})
}

// ownAccounts returns the viewer's own accounts from the viewer cache,
// or reads them with their portfolios (one statement) and keeps them
// there; either way the request's loaders get the portfolios, so the
// response reads nothing more.
func (s *Service) ownAccounts(ctx context.Context, userID uuid.UUID) ([]Account, error) {
	l := loadersFrom(ctx)
	now := s.clock.Now()
	as, ps, ok := s.cache.Get(userID, now)
	if !ok {
		t := s.cache.Ticket(userID)
		var err error
		if as, ps, err = s.store.AccountsWithPortfoliosByUsers(ctx, []uuid.UUID{userID}); err != nil {
			return nil, err
		}
		if as == nil {
			as = []Account{}
		}
		s.cache.Put(userID, t, as, ps, now)
	}
	if l != nil {
		l.primeWithPortfolios(as, ps)
		l.accounts.Prime(userID, as)
	}
	return as, nil
}

// PortfoliosOfAccount returns an account's portfolios, oldest first,
// through the request's loader when there is one. It does not check
// access: call it only for an account the caller was allowed to read
// (Account, AccountsOfUser, OpenAccount).
func (s *Service) PortfoliosOfAccount(ctx context.Context, accountID uuid.UUID) ([]Portfolio, error) {
	if l := loadersFrom(ctx); l != nil {
		return l.portfolios.Load(ctx, accountID)
	}
	return s.store.PortfoliosByAccounts(ctx, []uuid.UUID{accountID})
}

// DefaultPortfolio returns the account's default portfolio (id
// defaultID), nil when it has none; like PortfoliosOfAccount it reads
// through the loader and does not check access.
func (s *Service) DefaultPortfolio(ctx context.Context, accountID uuid.UUID, defaultID *uuid.UUID) (*Portfolio, error) {
	if defaultID == nil {
		return nil, nil
	}
	ps, err := s.PortfoliosOfAccount(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		if p.ID == *defaultID {
			return &p, nil
		}
	}
	return nil, nil
}

// forgetAccountsOf drops the request's and this instance's cached
// accounts of a user after a write commits, so a later read sees it (other
// instances hear of it from the triggers).
func (s *Service) forgetAccountsOf(ctx context.Context, userID uuid.UUID) {
	s.cache.Forget(userID)
	if l := loadersFrom(ctx); l != nil {
		l.accounts.Forget(userID)
	}
}

// forgetPortfoliosOf drops the request's cached portfolios of an
// account, and this instance's cached accounts of its owner.
func (s *Service) forgetPortfoliosOf(ctx context.Context, ownerID, accountID uuid.UUID) {
	s.cache.Forget(ownerID)
	if l := loadersFrom(ctx); l != nil {
		l.portfolios.Forget(accountID)
	}
}
