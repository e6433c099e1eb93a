package accountstest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var _ accounts.Store = (*Store)(nil)

// Store implements accounts.Store in memory. Like the database
// a portfolio's address is unique and its account must exist; users are
// not checked.
type Store struct {
	mu         sync.Mutex
	accounts   map[uuid.UUID]accounts.Account
	portfolios map[uuid.UUID]accounts.Portfolio
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{accounts: map[uuid.UUID]accounts.Account{}, portfolios: map[uuid.UUID]accounts.Portfolio{}}
}

func cloneAccount(a accounts.Account) accounts.Account {
	a.AdditionalInfo, a.DefaultPortfolioID = cloneRaw(a.AdditionalInfo), portstest.Clone(a.DefaultPortfolioID)
	return a
}

// CreateAccount inserts a (AdditionalInfo "{}" when empty); a taken ID is a
// CONFLICT.
func (s *Store) CreateAccount(ctx context.Context, a accounts.Account) error {
	info, err := jsonObject(a.AdditionalInfo)
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

func (s *Store) GetAccount(ctx context.Context, id uuid.UUID) (accounts.Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[id]
	if !ok {
		return accounts.Account{}, ports.ErrNotFound
	}
	return cloneAccount(a), nil
}

// AccountsByUsers returns the users' accounts oldest first (CreatedAt, ID).
func (s *Store) AccountsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]accounts.Account, error) {
	s.mu.Lock()
	var out []accounts.Account
	for _, a := range s.accounts {
		if slices.Contains(userIDs, a.UserID) {
			out = append(out, cloneAccount(a))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b accounts.Account) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}

// AccountsWithPortfoliosByUsers is AccountsByUsers, then
// PortfoliosByAccounts of the accounts found.
func (s *Store) AccountsWithPortfoliosByUsers(ctx context.Context, userIDs []uuid.UUID) ([]accounts.Account,
	[]accounts.Portfolio, error) {
	as, err := s.AccountsByUsers(ctx, userIDs)
	if err != nil || len(as) == 0 {
		return as, nil, err
	}
	ids := make([]uuid.UUID, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	ps, err := s.PortfoliosByAccounts(ctx, ids)
	return as, ps, err
}

// CreatePortfolio inserts p and makes it its account's default when p is
// TRADING and the account has none. A taken ID is a CONFLICT, a taken
// address a CONFLICT on "address"; an unknown account is an error (the
// foreign key).
func (s *Store) CreatePortfolio(ctx context.Context, p accounts.Portfolio) error {
	switch p.Type {
	case accounts.PortfolioTrading, accounts.PortfolioSavings, accounts.PortfolioStaking:
	default:
		return fmt.Errorf("accountstest: invalid portfolio type %q", p.Type)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.accounts[p.AccountID]
	if !ok {
		return errors.New("accountstest: portfolio of an unknown account")
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
	if p.Type == accounts.PortfolioTrading && a.DefaultPortfolioID == nil {
		id := p.ID
		a.DefaultPortfolioID = &id
		s.accounts[a.ID] = a
	}
	return nil
}

func (s *Store) GetPortfolio(ctx context.Context, id uuid.UUID) (accounts.Portfolio, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.portfolios[id]
	if !ok {
		return accounts.Portfolio{}, ports.ErrNotFound
	}
	return p, nil
}

// PortfoliosByAccounts returns the accounts' portfolios oldest first
// (CreatedAt, ID).
func (s *Store) PortfoliosByAccounts(ctx context.Context, accountIDs []uuid.UUID) ([]accounts.Portfolio, error) {
	s.mu.Lock()
	var out []accounts.Portfolio
	for _, p := range s.portfolios {
		if slices.Contains(accountIDs, p.AccountID) {
			out = append(out, p)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b accounts.Portfolio) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out, nil
}

func cloneRaw(raw json.RawMessage) json.RawMessage {
	if len(raw) == 0 {
		return json.RawMessage("{}")
	}
	return bytes.Clone(raw)
}

func compareID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }

// errNotObject mirrors the table's CHECK (jsonb_typeof(…) = 'object').
var errNotObject = errors.New("accountstest: JSON column must hold an object")

// jsonObject returns a copy of raw, "{}" when empty, or errNotObject.
func jsonObject(raw json.RawMessage) (json.RawMessage, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return json.RawMessage("{}"), nil
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, errNotObject
	}
	return bytes.Clone(raw), nil
}

func conflict(field, problem string) error {
	e := &ports.Error{Code: ports.CodeConflict, Message: "already exists", Cause: ports.ErrConflict}
	if field != "" {
		e.Fields = map[string]string{field: problem}
	}
	return e
}
