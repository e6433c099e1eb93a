// Package accounts opens users' accounts and their portfolios. It owns
// its model (accounts.go) and declares what it needs of stores and of
// other modules in store.go: it reaches identity's users and KYC's
// statuses only through those interfaces.
package accounts

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Config bounds what the accounts module accepts.
type Config struct {
	// MaxPortfoliosPerAccount caps createPortfolio per account.
	MaxPortfoliosPerAccount int
	// MaxAccountsPerUser caps openAccount per user.
	MaxAccountsPerUser int
	// LoaderBatch caps the keys of one loader's store call.
	LoaderBatch int
	// ViewerCacheTTL is how long an instance keeps a viewer's own accounts
	// with their portfolios (ViewerCache; 0: off); ViewerCacheSize bounds
	// how many users' (0: off).
	ViewerCacheTTL  time.Duration
	ViewerCacheSize int
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{MaxPortfoliosPerAccount: 20, MaxAccountsPerUser: 10, LoaderBatch: 500}
}

// Service is the accounts use cases.
type Service struct {
	cfg        Config
	store      Store
	users      Users
	kyc        KYCStatuses
	wallet     PortfolioAddresses
	callers    ports.CallerSource
	rules      Rules
	tx         ports.TxRunner
	clock      ports.Clock
	activities ports.ActivityLog
	log        *slog.Logger
	// cache keeps viewers' own accounts with their portfolios (nil: off).
	cache *ViewerCache
}

// NewService returns the accounts service.
// Zero fields of cfg take their DefaultConfig values.
func NewService(cfg Config, store Store, users Users, kyc KYCStatuses, wallet PortfolioAddresses,
	callers ports.CallerSource, rules Rules, tx ports.TxRunner, clock ports.Clock, activities ports.ActivityLog,
	log *slog.Logger) *Service {
	def := DefaultConfig()
	if cfg.MaxPortfoliosPerAccount <= 0 {
		cfg.MaxPortfoliosPerAccount = def.MaxPortfoliosPerAccount
	}
	if cfg.MaxAccountsPerUser <= 0 {
		cfg.MaxAccountsPerUser = def.MaxAccountsPerUser
	}
	if cfg.LoaderBatch <= 0 {
		cfg.LoaderBatch = def.LoaderBatch
	}
	return &Service{cfg: cfg, store: store, users: users, kyc: kyc, wallet: wallet, callers: callers, rules: rules, tx: tx,
		clock: clock, activities: activities, log: log}
}

// UseViewerCache makes the service serve viewers' own accounts from c
// (nil: read them from the store every time). Call it before serving.
func (s *Service) UseViewerCache(c *ViewerCache) { s.cache = c }

// ActivityTopic is the topic of the activities this module writes (the
// schema puts accounts and portfolios under KYC).
const ActivityTopic = "KYC"

// caller returns the signed-in caller; UNAUTHENTICATED when anonymous.
func (s *Service) caller(ctx context.Context) (*ports.Caller, error) {
	c, err := s.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return c, nil
}

// canRead reports whether c may read what belongs to owner: their own,
// or anyone's when the User.accounts rows let their role (every staff
// role by default).
func (s *Service) canRead(c *ports.Caller, owner uuid.UUID) bool {
	return c.UserID == owner || s.rules.Allowed(c.Role, "User.accounts")
}

// now is the clock's time at the database's precision, so what a mutation
// returns equals what a later read returns.
func (s *Service) now() time.Time { return s.clock.Now().UTC().Truncate(time.Microsecond) }

// record writes an activity; a failure is logged, never returned.
func (s *Service) record(ctx context.Context, userID *uuid.UUID, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, ActivityTopic, action, err, details, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}

// recordStaff records a staff member's action on a subject user twice:
// under the staff member (with the request's IP and user agent, details
// plus "userId") and under the subject (details plus "by", the staff
// member's role, with no IP or user agent: the subject reads its own
// activities and must learn neither where staff work from nor who they
// are). details must not hold secrets; it is copied, not changed.
func (s *Service) recordStaff(ctx context.Context, c *ports.Caller, subject uuid.UUID, action string, err error,
	details map[string]string) {
	mine, theirs := ports.StaffActivities(ctx, c, subject, ActivityTopic, action, err, details, s.clock.Now())
	for _, a := range []ports.Activity{mine, theirs} {
		if rerr := s.activities.Record(ctx, a); rerr != nil {
			s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
		}
	}
}

// newID returns a UUIDv7, so rows made in one instant still list in the
// order they were made.
func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }
