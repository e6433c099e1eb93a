package accounts_test

import (
	"context"
	"encoding/hex"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/accounts/accountstest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// callerKey carries the test's signed-in caller.
type callerKey struct{}

// callers is a CallerSource reading the caller from the context.
type callers struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

// fakeWallet gives every portfolio a distinct, stable address.
type fakeWallet struct{}

func (fakeWallet) Address(ctx context.Context, id uuid.UUID) (string, error) {
	return "0x" + hex.EncodeToString(id[:]) + "00000000", nil
}

// countingStore counts the batched reads the loaders make.
type countingStore struct {
	*accountstest.Store
	accountsCalls   atomic.Int64
	portfoliosCalls atomic.Int64
	joinedCalls     atomic.Int64 // AccountsWithPortfoliosByUsers
	fail            error

	mu           sync.Mutex
	accountsKeys []uuid.UUID // every user whose accounts were read
}

func (s *countingStore) AccountsByUsers(ctx context.Context, ids []uuid.UUID) ([]accounts.Account, error) {
	s.accountsCalls.Add(1)
	s.mu.Lock()
	s.accountsKeys = append(s.accountsKeys, ids...)
	s.mu.Unlock()
	if s.fail != nil {
		return nil, s.fail
	}
	return s.Store.AccountsByUsers(ctx, ids)
}

func (s *countingStore) PortfoliosByAccounts(ctx context.Context, ids []uuid.UUID) ([]accounts.Portfolio, error) {
	s.portfoliosCalls.Add(1)
	if s.fail != nil {
		return nil, s.fail
	}
	return s.Store.PortfoliosByAccounts(ctx, ids)
}

func (s *countingStore) AccountsWithPortfoliosByUsers(ctx context.Context, ids []uuid.UUID) ([]accounts.Account,
	[]accounts.Portfolio, error) {
	s.joinedCalls.Add(1)
	s.mu.Lock()
	s.accountsKeys = append(s.accountsKeys, ids...)
	s.mu.Unlock()
	if s.fail != nil {
		return nil, nil, s.fail
	}
	return s.Store.AccountsWithPortfoliosByUsers(ctx, ids)
}

func (s *countingStore) resetCounts() {
	s.accountsCalls.Store(0)
	s.portfoliosCalls.Store(0)
	s.joinedCalls.Store(0)
	s.mu.Lock()
	s.accountsKeys = nil
	s.mu.Unlock()
}

type env struct {
	t          *testing.T
	cfg        accounts.Config
	clock      *clock.Manual
	accounts   *countingStore
	kyc        *accountstest.KYCStatuses
	users      *identitytest.UserStore
	activities *portsfake.ActivityLog
	svc        *accounts.Service
	hook       *accounts.Hook
}

func newEnv(t *testing.T, tweak ...func(*accounts.Config)) *env {
	t.Helper()
	cfg := accounts.DefaultConfig()
	for _, f := range tweak {
		f(&cfg)
	}
	e := &env{t: t, cfg: cfg, clock: clock.NewManual(t0),
		accounts: &countingStore{Store: accountstest.NewStore()}, kyc: accountstest.NewKYCStatuses(),
		users: identitytest.NewUserStore(nil), activities: portsfake.NewActivityLog()}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	e.svc = accounts.NewService(cfg, e.accounts, e.users, e.kyc, fakeWallet{}, callers{}, portsfake.DefaultRules(), portsfake.NewTxRunner(),
		e.clock, e.activities, log)
	e.hook = accounts.NewHook(e.accounts, e.clock)
	return e
}

// user stores an ACTIVE user with role.
func (e *env) user(role string) identity.User {
	e.t.Helper()
	id := uuid.New()
	u := identity.User{ID: id, Email: "u-" + id.String()[:8] + "@example.com", State: "ACTIVE", Role: role,
		ReferralCode: id.String()[:12], CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	require.NoError(e.t, e.users.Create(context.Background(), u))
	return u
}

// member stores a MEMBER with the account sign-up gives.
func (e *env) member() (identity.User, accounts.Account) {
	e.t.Helper()
	u := e.user(ports.RoleMember)
	require.NoError(e.t, e.hook.OnUserEvent(context.Background(), identity.UserEvent{Kind: identity.UserActivated, User: u}))
	as, err := e.accounts.Store.AccountsByUsers(context.Background(), []uuid.UUID{u.ID})
	require.NoError(e.t, err)
	require.Len(e.t, as, 1)
	return u, as[0]
}

// approve gives u an APPROVED KYC submission, newer than any before.
func (e *env) approve(u identity.User) {
	e.submit(u)
	e.kyc.Set(u.ID, kyc.StatusApproved, "")
}

// submit gives u a PENDING KYC submission, newer than any before (a
// second later on the clock, as a real one would be).
func (e *env) submit(u identity.User) {
	e.clock.Advance(time.Second)
	e.kyc.Set(u.ID, kyc.StatusPending, "")
}

// reject makes u's latest KYC submission REJECTED.
func (e *env) reject(u identity.User, reason string) { e.kyc.Set(u.ID, kyc.StatusRejected, reason) }

func as(u identity.User) context.Context {
	return context.WithValue(context.Background(), callerKey{}, &ports.Caller{UserID: u.ID, Role: u.Role})
}
