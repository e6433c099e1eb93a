package accounts

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
)

// Store keeps accounts and portfolios (adapters/postgres, or accountstest's
// fake). Reads of a missing row return ports.ErrNotFound (or an error with
// code NOT_FOUND); a taken id, or a portfolio's taken address, is a
// CONFLICT.
type Store interface {
	CreateAccount(ctx context.Context, a Account) error
	// GetAccount returns an account; ErrNotFound.
	GetAccount(ctx context.Context, id uuid.UUID) (Account, error)
	// AccountsByUsers returns the accounts of the users, oldest first, in
	// one statement.
	AccountsByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Account, error)
	// AccountsWithPortfoliosByUsers returns the accounts of the users and
	// the portfolios of those accounts, each oldest first, in one
	// statement (the read of a screen that shows both).
	AccountsWithPortfoliosByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Account, []Portfolio, error)
	// CreatePortfolio inserts p and, when p is TRADING and the account has
	// no default yet, makes it the default, in one transaction.
	CreatePortfolio(ctx context.Context, p Portfolio) error
	// GetPortfolio returns a portfolio; ErrNotFound.
	GetPortfolio(ctx context.Context, id uuid.UUID) (Portfolio, error)
	// PortfoliosByAccounts returns the portfolios of the accounts, oldest
	// first, in one statement.
	PortfoliosByAccounts(ctx context.Context, accountIDs []uuid.UUID) ([]Portfolio, error)
}

// Users is what accounts needs of identity's users: to find the owner of
// a new account, and to lock an owner's row so that concurrent openings
// cannot race past a limit.
type Users interface {
	// GetByID returns a user; ErrNotFound.
	GetByID(ctx context.Context, id uuid.UUID) (identity.User, error)
	// Lock takes the user's row lock until the transaction in ctx ends.
	Lock(ctx context.Context, id uuid.UUID) error
}

// KYCStatuses tells where a user's identity verification stands (the kyc
// module's service). Portfolios open only once it is APPROVED.
type KYCStatuses interface {
	// KYCStatusOf returns the status of the user's latest submission
	// (NONE without one) to the user or to staff.
	KYCStatusOf(ctx context.Context, userID uuid.UUID) (kyc.KYCStatus, error)
}

// PortfolioAddresses gives each portfolio its blockchain public address
// (adapters/wallet); the same id always gets the same address.
type PortfolioAddresses interface {
	Address(ctx context.Context, portfolioID uuid.UUID) (string, error)
}

// Rules answers whether a role may do an operation, from the permission
// rows (admin.Policy): the one source of truth for roles, so the service
// keeps no role lists of its own, only the owner rules.
type Rules interface {
	Allowed(role, operation string) bool
}

// Watcher tells an instance, as soon as they commit, of the changes of a
// user's accounts and portfolios (adapters/postgres: the triggers'
// notifications, the same connection as identity's SessionWatcher). Watch
// calls up(true) once it listens and up(false) as soon as it stops or
// cannot tell that it still does, then tries again until ctx ends; in
// between, changed(userID) for each committed change (uuid.Nil: every
// user). Calls come from one goroutine, in order.
type Watcher interface {
	Watch(ctx context.Context, up func(bool), changed func(userID uuid.UUID)) error
}
