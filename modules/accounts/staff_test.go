package accounts_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/accounts/accountstest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// staffMeta is where the staff member's request comes from.
var staffMeta = ports.RequestMeta{IP: "203.0.113.7", UserAgent: "StaffConsole/1.0"}

// activitiesOf is what the user reads in myActivity.
func (e *env) activitiesOf(id uuid.UUID) []ports.Activity {
	e.t.Helper()
	acts, err := e.activities.List(context.Background(), ports.ActivityQuery{UserID: id})
	require.NoError(e.t, err)
	return acts
}

func TestOpenAccountActivitiesHideTheStaffMember(t *testing.T) {
	e := newEnv(t, func(c *accounts.Config) { c.MaxAccountsPerUser = 1 })
	admin := e.user(ports.RoleAdmin)
	u := e.user(ports.RoleMember)
	ctx := ports.WithRequestMeta(as(admin), staffMeta)

	a, err := e.svc.OpenAccount(ctx, accounts.OpenAccountInput{UserID: u.ID})
	require.NoError(t, err)
	_, err = e.svc.OpenAccount(ctx, accounts.OpenAccountInput{UserID: u.ID})
	errtest.Code(t, err, ports.CodeConflict, "over the limit")

	// What the user sees: both attempts, by role only, without the
	// staff member's id, IP or user agent.
	mine := e.activitiesOf(u.ID)
	require.Len(t, mine, 2)
	for _, act := range mine {
		require.Equal(t, "account.open", act.Action)
		require.Empty(t, act.IP)
		require.Empty(t, act.UserAgent)
		require.Equal(t, ports.RoleAdmin, act.Details["by"])
		require.NotContains(t, act.Details, "userId")
		for k, v := range act.Details {
			require.NotContains(t, v, admin.ID.String(), "detail %s names the staff member", k)
		}
	}
	require.Equal(t, ports.ActivityFailed, mine[0].Result, "newest first: the refused opening")
	require.Equal(t, string(ports.CodeConflict), mine[0].Details["reason"])
	require.Equal(t, ports.ActivitySucceeded, mine[1].Result)
	require.Equal(t, a.ID.String(), mine[1].Details["account"])

	// What the staff member's own log holds: whom, from where.
	staff := e.activitiesOf(admin.ID)
	require.Len(t, staff, 2)
	for _, act := range staff {
		require.Equal(t, "account.open", act.Action)
		require.Equal(t, staffMeta.IP, act.IP)
		require.Equal(t, staffMeta.UserAgent, act.UserAgent)
		require.Equal(t, u.ID.String(), act.Details["userId"])
		require.NotContains(t, act.Details, "by")
	}
	require.Equal(t, ports.ActivityFailed, staff[0].Result)
	require.Equal(t, ports.ActivitySucceeded, staff[1].Result)
	require.Equal(t, a.ID.String(), staff[1].Details["account"])
}

func TestRecordStaff(t *testing.T) {
	e := newEnv(t)
	staffID, subject := uuid.New(), uuid.New()
	c := &ports.Caller{UserID: staffID, Role: ports.RoleSuperadmin}
	details := map[string]string{"account": "acc-1"}
	ctx := ports.WithRequestMeta(context.Background(), staffMeta)

	accounts.RecordStaff(e.svc, ctx, c, subject, "x.y", errors.New("boom"), details)
	require.Equal(t, map[string]string{"account": "acc-1"}, details, "the caller's map is not changed")

	acts := e.activities.WithAction("x.y")
	require.Len(t, acts, 2)
	byUser := map[uuid.UUID]ports.Activity{*acts[0].UserID: acts[0], *acts[1].UserID: acts[1]}
	s, ok := byUser[staffID]
	require.True(t, ok, "a row under the staff member")
	require.Equal(t, staffMeta.IP, s.IP)
	require.Equal(t, staffMeta.UserAgent, s.UserAgent)
	require.Equal(t, map[string]string{"account": "acc-1", "userId": subject.String(), "reason": "INTERNAL"}, s.Details)
	require.Equal(t, ports.ActivityFailed, s.Result)
	u, ok := byUser[subject]
	require.True(t, ok, "a row under the subject")
	require.Empty(t, u.IP)
	require.Empty(t, u.UserAgent)
	require.Equal(t, map[string]string{"account": "acc-1", "by": ports.RoleSuperadmin, "reason": "INTERNAL"}, u.Details)
	require.Equal(t, ports.ActivityFailed, u.Result)
}

func TestAdditionalInfoRefusesWhatPostgreSQLCannotStore(t *testing.T) {
	e := newEnv(t)
	admin := e.user(ports.RoleAdmin)
	u := e.user(ports.RoleMember)
	deep := map[string]any{}
	for cur, i := deep, 0; i < 20; i++ {
		next := map[string]any{}
		cur["n"] = next
		cur = next
	}
	cases := map[string]map[string]any{
		"NUL in a value":  {"a": "x\x00y"},
		"NUL in a key":    {"a\x00": "x"},
		"too deep":        deep,
		"not finite":      {"n": math.Inf(1)},
		"over 4 KiB":      {"blob": strings.Repeat("x", accounts.MaxAdditionalInfo)},
		"not JSON at all": {"f": func() {}},
	}
	for name, info := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID, AdditionalInfo: info})
			errtest.Code(t, err, ports.CodeValidationFailed)
			require.Contains(t, errtest.Fields(t, err), "additionalInfo")
		})
	}
	have, err := e.accounts.Store.AccountsByUsers(context.Background(), []uuid.UUID{u.ID})
	require.NoError(t, err)
	require.Empty(t, have)
}

// --- limits: lock the owner, then count, then insert, in one transaction

type txKey struct{}

// markingTx runs fn with a context that says it is in the transaction.
type markingTx struct{}

func (markingTx) InTx(ctx context.Context, fn func(ctx context.Context) error) error {
	return fn(context.WithValue(ctx, txKey{}, true))
}

// steps records the store calls that decide a limit, in order, and
// whether each ran inside the transaction.
type steps struct {
	mu  sync.Mutex
	log []string
}

func (s *steps) add(ctx context.Context, step string) {
	in, _ := ctx.Value(txKey{}).(bool)
	if !in {
		step += " (outside the transaction)"
	}
	s.mu.Lock()
	s.log = append(s.log, step)
	s.mu.Unlock()
}

func (s *steps) take() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.log
	s.log = nil
	return out
}

type lockingUsers struct {
	*identitytest.UserStore
	steps *steps
}

func (u lockingUsers) Lock(ctx context.Context, id uuid.UUID) error {
	u.steps.add(ctx, "lock "+id.String())
	return u.UserStore.Lock(ctx, id)
}

type steppingAccounts struct {
	*accountstest.Store
	steps *steps
}

func (a steppingAccounts) AccountsByUsers(ctx context.Context, ids []uuid.UUID) ([]accounts.Account, error) {
	a.steps.add(ctx, "count accounts")
	return a.Store.AccountsByUsers(ctx, ids)
}

func (a steppingAccounts) PortfoliosByAccounts(ctx context.Context, ids []uuid.UUID) ([]accounts.Portfolio, error) {
	a.steps.add(ctx, "count portfolios")
	return a.Store.PortfoliosByAccounts(ctx, ids)
}

func (a steppingAccounts) CreateAccount(ctx context.Context, x accounts.Account) error {
	a.steps.add(ctx, "insert account")
	return a.Store.CreateAccount(ctx, x)
}

func (a steppingAccounts) CreatePortfolio(ctx context.Context, p accounts.Portfolio) error {
	a.steps.add(ctx, "insert portfolio")
	return a.Store.CreatePortfolio(ctx, p)
}

func TestLimitsLockTheOwnerBeforeCounting(t *testing.T) {
	e := newEnv(t, func(c *accounts.Config) { c.MaxAccountsPerUser, c.MaxPortfoliosPerAccount = 2, 1 })
	st := &steps{}
	e.svc = accounts.NewService(e.cfg, steppingAccounts{e.accounts.Store, st}, lockingUsers{e.users, st}, e.kyc,
		fakeWallet{}, callers{}, portsfake.DefaultRules(), markingTx{}, e.clock, e.activities, slog.New(slog.NewTextHandler(io.Discard, nil)))
	admin := e.user(ports.RoleAdmin)
	u, acc := e.member()
	e.approve(u)
	lockU := "lock " + u.ID.String()

	_, err := e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID})
	require.NoError(t, err)
	require.Equal(t, []string{lockU, "count accounts", "insert account"}, st.take())
	_, err = e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID})
	errtest.Code(t, err, ports.CodeConflict)
	require.Equal(t, []string{lockU, "count accounts"}, st.take(), "at the limit: no insert")

	_, err = e.svc.CreatePortfolio(as(u), trading(acc.ID, "Main"))
	require.NoError(t, err)
	require.Equal(t, []string{lockU, "count portfolios", "insert portfolio"}, st.take())
	_, err = e.svc.CreatePortfolio(as(u), trading(acc.ID, "Second"))
	errtest.Code(t, err, ports.CodeConflict)
	require.Equal(t, []string{lockU, "count portfolios"}, st.take(), "at the limit: no insert")
}
