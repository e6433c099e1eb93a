package ports

import (
	"context"
	"encoding/json"
	"time"

	"github.com/google/uuid"
)

// Account is a user's money container; it holds portfolios.
type Account struct {
	ID              uuid.UUID
	UserID          uuid.UUID
	Email           string
	SubAccountID    string
	SubAccountEmail string
	Active          bool
	AdditionalInfo  json.RawMessage // a JSON object, "{}" when empty
	// DefaultPortfolioID is the account's first TRADING portfolio.
	DefaultPortfolioID *uuid.UUID
	CreatedAt          time.Time
}

// Portfolio types.
const (
	PortfolioTrading = "TRADING"
	PortfolioSavings = "SAVINGS"
	PortfolioStaking = "STAKING"
)

// Portfolio is one typed holding of an account, tied to a blockchain
// address.
type Portfolio struct {
	ID             uuid.UUID
	AccountID      uuid.UUID
	Name           string
	Type           string
	Address        string // EIP-55 checksummed
	PublicStrategy bool
	CreatedAt      time.Time
}

// AccountStore keeps accounts and portfolios.
type AccountStore interface {
	CreateAccount(ctx context.Context, a Account) error
	// GetAccount returns an account; ErrNotFound.
	GetAccount(ctx context.Context, id uuid.UUID) (Account, error)
	// AccountsByUsers returns the accounts of the users, oldest first, in
	// one statement.
	AccountsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Account, error)
	// CreatePortfolio inserts p and, when p is TRADING and the account has
	// no default yet, makes it the default, in one transaction.
	CreatePortfolio(ctx context.Context, p Portfolio) error
	// GetPortfolio returns a portfolio; ErrNotFound.
	GetPortfolio(ctx context.Context, id uuid.UUID) (Portfolio, error)
	// PortfoliosByAccounts returns the portfolios of the accounts, oldest
	// first, in one statement.
	PortfoliosByAccounts(ctx context.Context, accountIDs []uuid.UUID) ([]Portfolio, error)
}
