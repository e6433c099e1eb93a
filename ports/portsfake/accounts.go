package portsfake

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.AccountStore = (*AccountStore)(nil)

// AccountStore implements ports.AccountStore in memory. Like the database
// a portfolio's address is unique and its account must exist; users are
// not checked.
type AccountStore struct {
	mu         sync.Mutex
	accounts   map[uuid.UUID]ports.Account
	portfolios map[uuid.UUID]ports.Portfolio
}

// NewAccountStore returns an empty store.
func NewAccountStore() *AccountStore {
	return &AccountStore{accounts: map[uuid.UUID]ports.Account{}, portfolios: map[uuid.UUID]ports.Portfolio{}}
}

func cloneAccount(a ports.Account) ports.Account {
	a.AdditionalInfo, a.DefaultPortfolioID = cloneRaw(a.AdditionalInfo), cloneUUID(a.DefaultPortfolioID)
	return a
}

// CreateAccount inserts a (AdditionalInfo "{}" when empty); a taken ID is a
// CONFLICT.
func (s *AccountStore) CreateAccount(ctx context.Context, a ports.Account) error {
	info, err := jsonObject(a.AdditionalInfo, true)
	if err != nil {
		return err
	}
	a.AdditionalInfo = info
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.accounts[a.ID]; ok {
		return conflict("", "")
	}
	s.accounts[a.ID] = cloneAccount(a)
	return nil
}

func (s *AccountStore) GetAccount(ctx context.Context, id uuid.UUID) (ports.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[id]
	if !ok {
		return ports.Account{}, ports.ErrNotFound
	}
	return cloneAccount(a), nil
}

// AccountsByUsers returns the users' accounts oldest first (CreatedAt, ID).
func (s *AccountStore) AccountsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]ports.Account, error) {
	s.mu.Lock()
	var out []ports.Account
	for _, a := range s.accounts {
		if slices.Contains(userIDs, a.UserID) {
			out = append(out, cloneAccount(a))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.Account) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}

// CreatePortfolio inserts p and makes it its account's default when p is
// TRADING and the account has none. A taken ID is a CONFLICT, a taken
// address a CONFLICT on "address"; an unknown account is an error (the
// foreign key).
func (s *AccountStore) CreatePortfolio(ctx context.Context, p ports.Portfolio) error {
	switch p.Type {
	case ports.PortfolioTrading, ports.PortfolioSavings, ports.PortfolioStaking:
	default:
		return fmt.Errorf("portsfake: invalid portfolio type %q", p.Type)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[p.AccountID]
	if !ok {
		return errors.New("portsfake: portfolio of an unknown account")
	}
	if _, ok := s.portfolios[p.ID]; ok {
		return conflict("", "")
	}
	for _, o := range s.portfolios {
		if o.Address == p.Address {
			return conflict("address", "is already taken")
		}
	}
	s.portfolios[p.ID] = p
	if p.Type == ports.PortfolioTrading && a.DefaultPortfolioID == nil {
		id := p.ID
		a.DefaultPortfolioID = &id
		s.accounts[a.ID] = a
	}
	return nil
}

func (s *AccountStore) GetPortfolio(ctx context.Context, id uuid.UUID) (ports.Portfolio, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.portfolios[id]
	if !ok {
		return ports.Portfolio{}, ports.ErrNotFound
	}
	return p, nil
}

// PortfoliosByAccounts returns the accounts' portfolios oldest first
// (CreatedAt, ID).
func (s *AccountStore) PortfoliosByAccounts(ctx context.Context, accountIDs []uuid.UUID) ([]ports.Portfolio, error) {
	s.mu.Lock()
	var out []ports.Portfolio
	for _, p := range s.portfolios {
		if slices.Contains(accountIDs, p.AccountID) {
			out = append(out, p)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.Portfolio) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}
