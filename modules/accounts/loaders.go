package accounts

import (
	"context"

	"github.com/google/uuid"
	"github.com/vikstrous/dataloadgen"
)

// loaders batch the nested reads of one request: every user's accounts in
// one store call, every account's portfolios in another, however many rows
// the response holds.
type loaders struct {
	accounts   *dataloadgen.Loader[uuid.UUID, []Account]
	portfolios *dataloadgen.Loader[uuid.UUID, []Portfolio]
}

type loadersKey struct{}

// WithLoaders returns ctx with fresh per-request loaders; call it once per
// request (their cache lives as long as ctx).
func (s *Service) WithLoaders(ctx context.Context) context.Context {
	opts := []dataloadgen.Option{dataloadgen.WithWait(s.cfg.LoaderWait)}
	if s.cfg.LoaderBatch > 0 {
		opts = append(opts, dataloadgen.WithBatchCapacity(s.cfg.LoaderBatch))
	}
	l := &loaders{
		accounts: dataloadgen.NewLoader(groupBy(s.store.AccountsByUsers,
			func(a Account) uuid.UUID { return a.UserID }), opts...),
		portfolios: dataloadgen.NewLoader(groupBy(s.store.PortfoliosByAccounts,
			func(p Portfolio) uuid.UUID { return p.AccountID }), opts...),
	}
	return context.WithValue(ctx, loadersKey{}, l)
}

func loadersFrom(ctx context.Context) *loaders {
	l, _ := ctx.Value(loadersKey{}).(*loaders)
	return l
}

// groupBy turns a store call for many owners into a loader fetch: one call,
// the rows split by owner in the order of keys (kept oldest first).
func groupBy[T any](fetch func(context.Context, []uuid.UUID) ([]T, error),
	owner func(T) uuid.UUID) func(context.Context, []uuid.UUID) ([][]T, []error) {
	return func(ctx context.Context, keys []uuid.UUID) ([][]T, []error) {
		rows, err := fetch(ctx, keys)
		if err != nil {
			return nil, []error{err}
		}
		byOwner := make(map[uuid.UUID][]T, len(keys))
		for _, r := range rows {
			byOwner[owner(r)] = append(byOwner[owner(r)], r)
		}
		out := make([][]T, len(keys))
		for i, k := range keys {
			out[i] = byOwner[k]
			if out[i] == nil {
				out[i] = []T{}
			}
		}
		return out, nil
	}
}

// AccountsOfUser returns a user's accounts, oldest first, through the
// request's loader when there is one. Errors: UNAUTHENTICATED, FORBIDDEN
// (neither the user nor staff).
func (s *Service) AccountsOfUser(ctx context.Context, userID uuid.UUID) ([]Account, error) {
	if err := s.CanReadUser(ctx, userID); err != nil {
		return nil, err
	}
	if l := loadersFrom(ctx); l != nil {
		return l.accounts.Load(ctx, userID)
	}
	return s.store.AccountsByUsers(ctx, []uuid.UUID{userID})
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

// forgetAccountsOf drops the request's cached accounts of a user after a
// write, so a later read in the same request sees it.
func (s *Service) forgetAccountsOf(ctx context.Context, userID uuid.UUID) {
	if l := loadersFrom(ctx); l != nil {
		l.accounts.Clear(userID)
	}
}

// forgetPortfoliosOf drops the request's cached portfolios of an account.
func (s *Service) forgetPortfoliosOf(ctx context.Context, accountID uuid.UUID) {
	if l := loadersFrom(ctx); l != nil {
		l.portfolios.Clear(accountID)
	}
}
