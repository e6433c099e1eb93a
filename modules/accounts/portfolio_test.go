package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func trading(accountID uuid.UUID, name string) accounts.CreatePortfolioInput {
	return accounts.CreatePortfolioInput{AccountID: accountID, Name: name, Type: accounts.PortfolioTrading}
}

func TestCreatePortfolioNeedsApprovedKYC(t *testing.T) {
	e := newEnv(t)
	u, acc := e.member()
	ctx := as(u)

	_, err := e.svc.CreatePortfolio(ctx, trading(acc.ID, "Main"))
	errtest.Code(t, err, ports.CodeKYCRequired, "no submission yet")
	require.Contains(t, err.(*ports.Error).Message, "KYC")

	e.submit(u)
	_, err = e.svc.CreatePortfolio(ctx, trading(acc.ID, "Main"))
	errtest.Code(t, err, ports.CodeKYCRequired, "submission pending")
	require.Contains(t, err.(*ports.Error).Message, "under review")

	e.reject(u, "blurry")
	_, err = e.svc.CreatePortfolio(ctx, trading(acc.ID, "Main"))
	errtest.Code(t, err, ports.CodeKYCRequired, "submission rejected")
	require.Contains(t, err.(*ports.Error).Message, "rejected")

	ps, err := e.svc.PortfoliosOfAccount(ctx, acc.ID)
	require.NoError(t, err)
	require.Empty(t, ps, "nothing was created while KYC was missing")
	require.Len(t, e.activities.WithAction("portfolio.create"), 3)
	require.Equal(t, ports.ActivityFailed, e.activities.WithAction("portfolio.create")[0].Result)

	e.approve(u)
	p, err := e.svc.CreatePortfolio(ctx, accounts.CreatePortfolioInput{AccountID: acc.ID, Name: "  Main  ",
		Type: accounts.PortfolioTrading, PublicStrategy: true})
	require.NoError(t, err)
	require.Equal(t, "Main", p.Name)
	require.Equal(t, acc.ID, p.AccountID)
	require.True(t, p.PublicStrategy)
	want, _ := fakeWallet{}.Address(ctx, p.ID)
	require.Equal(t, want, p.Address, "the address comes from the wallet provider for the portfolio's id")

	got, err := e.svc.Portfolio(ctx, p.ID)
	require.NoError(t, err)
	require.Equal(t, p, got, "what createPortfolio returns is what is stored")

	acts := e.activities.WithAction("portfolio.create")
	last := acts[len(acts)-1]
	require.Equal(t, ports.ActivitySucceeded, last.Result)
	require.Equal(t, "KYC", last.Topic)
	require.Equal(t, u.ID, *last.UserID)
	require.Equal(t, p.ID.String(), last.Details["portfolio"])
}

func TestLatestSubmissionDecides(t *testing.T) {
	e := newEnv(t)
	u, acc := e.member()
	e.approve(u)
	e.submit(u) // a newer submission waits for review
	_, err := e.svc.CreatePortfolio(as(u), trading(acc.ID, "Main"))
	errtest.Code(t, err, ports.CodeKYCRequired)
}

func TestFirstTradingPortfolioBecomesDefault(t *testing.T) {
	e := newEnv(t)
	u, acc := e.member()
	e.approve(u)
	ctx := as(u)

	savings, err := e.svc.CreatePortfolio(ctx, accounts.CreatePortfolioInput{AccountID: acc.ID, Name: "Rainy day",
		Type: accounts.PortfolioSavings})
	require.NoError(t, err)
	got, err := e.svc.Account(ctx, acc.ID)
	require.NoError(t, err)
	require.Nil(t, got.DefaultPortfolioID, "a SAVINGS portfolio never becomes the default")

	e.clock.Advance(time.Millisecond)
	first, err := e.svc.CreatePortfolio(ctx, trading(acc.ID, "Trading 1"))
	require.NoError(t, err)
	e.clock.Advance(time.Millisecond)
	_, err = e.svc.CreatePortfolio(ctx, trading(acc.ID, "Trading 2"))
	require.NoError(t, err)

	got, err = e.svc.Account(ctx, acc.ID)
	require.NoError(t, err)
	require.NotNil(t, got.DefaultPortfolioID)
	require.Equal(t, first.ID, *got.DefaultPortfolioID)

	def, err := e.svc.DefaultPortfolio(e.svc.WithLoaders(ctx), acc.ID, got.DefaultPortfolioID)
	require.NoError(t, err)
	require.Equal(t, first, *def)

	ps, err := e.svc.PortfoliosOfAccount(ctx, acc.ID)
	require.NoError(t, err)
	require.Len(t, ps, 3)
	require.Equal(t, savings.ID, ps[0].ID, "oldest first")
}

func TestCreatePortfolioOnlyInOwnAccount(t *testing.T) {
	e := newEnv(t)
	owner, acc := e.member()
	other, _ := e.member()
	e.approve(owner)
	e.approve(other)

	_, err := e.svc.CreatePortfolio(as(other), trading(acc.ID, "Mine now"))
	errtest.Code(t, err, ports.CodeNotFound, "another user's account looks like no account")
	_, errNone := e.svc.CreatePortfolio(as(other), trading(uuid.New(), "Mine now"))
	require.Equal(t, errNone.Error(), err.Error(), "same answer as for an account that does not exist")

	admin := e.user(ports.RoleAdmin)
	_, err = e.svc.CreatePortfolio(as(admin), trading(acc.ID, "Staff made"))
	errtest.Code(t, err, ports.CodeForbidden, "staff see the account but may not add to it")

	_, err = e.svc.CreatePortfolio(context.Background(), trading(acc.ID, "Anon"))
	errtest.Code(t, err, ports.CodeUnauthenticated)

	ps, err := e.accounts.Store.PortfoliosByAccounts(context.Background(), []uuid.UUID{acc.ID})
	require.NoError(t, err)
	require.Empty(t, ps)
}

func TestCreatePortfolioValidation(t *testing.T) {
	e := newEnv(t)
	u, acc := e.member()
	e.approve(u)
	cases := []struct {
		name  string
		in    accounts.CreatePortfolioInput
		field string
	}{
		{"empty name", accounts.CreatePortfolioInput{AccountID: acc.ID, Name: "", Type: accounts.PortfolioTrading}, "name"},
		{"blank name", accounts.CreatePortfolioInput{AccountID: acc.ID, Name: "   ", Type: accounts.PortfolioTrading}, "name"},
		{"long name", accounts.CreatePortfolioInput{AccountID: acc.ID, Name: strings.Repeat("n", 65), Type: accounts.PortfolioTrading}, "name"},
		{"control character", accounts.CreatePortfolioInput{AccountID: acc.ID, Name: "a\x00b", Type: accounts.PortfolioTrading}, "name"},
		{"bad type", accounts.CreatePortfolioInput{AccountID: acc.ID, Name: "Main", Type: "CASH"}, "type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.CreatePortfolio(as(u), c.in)
			errtest.Code(t, err, ports.CodeValidationFailed)
			require.Contains(t, errtest.Fields(t, err), c.field)
		})
	}
	p, err := e.svc.CreatePortfolio(as(u), accounts.CreatePortfolioInput{AccountID: acc.ID, Name: strings.Repeat("é", 64),
		Type: accounts.PortfolioStaking})
	require.NoError(t, err, "64 characters are fine, whatever their bytes")
	require.Equal(t, accounts.PortfolioStaking, p.Type)
}

func TestPortfolioLimit(t *testing.T) {
	e := newEnv(t, func(c *accounts.Config) { c.MaxPortfoliosPerAccount = 2 })
	u, acc := e.member()
	e.approve(u)
	for i := range 2 {
		_, err := e.svc.CreatePortfolio(as(u), trading(acc.ID, "P"+string(rune('a'+i))))
		require.NoError(t, err)
	}
	_, err := e.svc.CreatePortfolio(as(u), trading(acc.ID, "One too many"))
	errtest.Code(t, err, ports.CodeConflict)
	require.Contains(t, err.Error(), "2 portfolios")
	ps, err := e.svc.PortfoliosOfAccount(as(u), acc.ID)
	require.NoError(t, err)
	require.Len(t, ps, 2)
}

func TestInactiveAccountRefusesPortfolios(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember)
	e.approve(u)
	acc := accounts.Account{ID: uuid.New(), UserID: u.ID, Active: false, CreatedAt: e.clock.Now()}
	require.NoError(t, e.accounts.CreateAccount(context.Background(), acc))
	_, err := e.svc.CreatePortfolio(as(u), trading(acc.ID, "Main"))
	errtest.Code(t, err, ports.CodeForbidden)
}

func TestReadAccess(t *testing.T) {
	e := newEnv(t)
	owner, acc := e.member()
	e.approve(owner)
	p, err := e.svc.CreatePortfolio(as(owner), trading(acc.ID, "Main"))
	require.NoError(t, err)
	other, _ := e.member()

	cases := []struct {
		name string
		ctx  context.Context
		want ports.ErrorCode // "" for allowed
		// wantUser is what CanReadUser answers for the owner.
		wantUser ports.ErrorCode
	}{
		{"anonymous", context.Background(), ports.CodeUnauthenticated, ports.CodeUnauthenticated},
		{"owner", as(owner), "", ""},
		{"another member", as(other), ports.CodeNotFound, ports.CodeForbidden},
		{"partner", as(e.user(ports.RolePartner)), ports.CodeNotFound, ports.CodeForbidden},
		{"support", as(e.user(ports.RoleSupport)), "", ""},
		{"compliance", as(e.user(ports.RoleCompliance)), "", ""},
		{"accountant", as(e.user(ports.RoleAccountant)), "", ""},
		{"admin", as(e.user(ports.RoleAdmin)), "", ""},
		{"superadmin", as(e.user(ports.RoleSuperadmin)), "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := e.svc.Account(c.ctx, acc.ID)
			errtest.Code(t, err, c.want, "account")
			if c.want == "" {
				require.Equal(t, acc.ID, a.ID)
			} else {
				require.Equal(t, accounts.Account{}, a)
			}
			got, err := e.svc.Portfolio(c.ctx, p.ID)
			errtest.Code(t, err, c.want, "portfolio")
			if c.want == "" {
				require.Equal(t, p, got)
			} else {
				require.Equal(t, accounts.Portfolio{}, got)
			}
			list, err := e.svc.AccountsOfUser(e.svc.WithLoaders(c.ctx), owner.ID)
			errtest.Code(t, err, c.wantUser, "accounts of user")
			if c.wantUser == "" {
				require.Len(t, list, 1)
				require.Equal(t, acc.ID, list[0].ID)
			} else {
				require.Nil(t, list)
			}
			errtest.Code(t, e.svc.CanReadUser(c.ctx, owner.ID), c.wantUser)
		})
	}

	// Hidden and missing look the same.
	_, hidden := e.svc.Account(as(other), acc.ID)
	_, missing := e.svc.Account(as(other), uuid.New())
	require.Equal(t, missing.Error(), hidden.Error())
	_, hidden = e.svc.Portfolio(as(other), p.ID)
	_, missing = e.svc.Portfolio(as(other), uuid.New())
	errtest.Code(t, missing, ports.CodeNotFound)
	require.Equal(t, missing.Error(), hidden.Error())
}
