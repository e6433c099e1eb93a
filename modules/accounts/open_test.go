package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestOpenAccountRoles(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember)
	cases := []struct {
		name string
		ctx  context.Context
		want ports.ErrorCode
	}{
		{"anonymous", context.Background(), ports.CodeUnauthenticated},
		{"the user", as(u), ports.CodeForbidden},
		{"another member", as(e.user(ports.RoleMember)), ports.CodeForbidden},
		{"support", as(e.user(ports.RoleSupport)), ports.CodeForbidden},
		{"compliance", as(e.user(ports.RoleCompliance)), ports.CodeForbidden},
		{"accountant", as(e.user(ports.RoleAccountant)), ports.CodeForbidden},
		// The PARTNER rows (migration 20261208000301) open accounts for
		// partner apps, and so for users holding that role.
		{"partner", as(e.user(ports.RolePartner)), ""},
		{"admin", as(e.user(ports.RoleAdmin)), ""},
		{"superadmin", as(e.user(ports.RoleSuperadmin)), ""},
	}
	opened := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := e.svc.OpenAccount(c.ctx, accounts.OpenAccountInput{UserID: u.ID})
			errtest.Code(t, err, c.want)
			if c.want == "" {
				opened++
				require.Equal(t, u.ID, a.UserID)
			}
			have, err := e.accounts.Store.AccountsByUsers(context.Background(), []uuid.UUID{u.ID})
			require.NoError(t, err)
			require.Len(t, have, opened, "only administrators and partners open accounts")
		})
	}
}

func TestOpenAccount(t *testing.T) {
	e := newEnv(t)
	admin := e.user(ports.RoleAdmin)
	u := e.user(ports.RoleMember)

	a, err := e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID})
	require.NoError(t, err)
	require.Equal(t, u.Email, a.Email, "the user's email when none is given")
	require.True(t, a.Active)
	require.JSONEq(t, `{}`, string(a.AdditionalInfo))
	require.Nil(t, a.DefaultPortfolioID)

	e.clock.Advance(time.Millisecond)
	b, err := e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID, Email: " Desk@Example.COM ",
		SubAccountID: " sub-7 ", SubAccountEmail: "Sub@Example.com",
		AdditionalInfo: map[string]any{"tier": "gold", "limits": map[string]any{"daily": 1000}}})
	require.NoError(t, err)
	require.Equal(t, "desk@example.com", b.Email)
	require.Equal(t, "sub-7", b.SubAccountID)
	require.Equal(t, "sub@example.com", b.SubAccountEmail)
	require.JSONEq(t, `{"tier":"gold","limits":{"daily":1000}}`, string(b.AdditionalInfo))

	got, err := e.svc.Account(as(admin), b.ID)
	require.NoError(t, err)
	require.Equal(t, b, got, "what openAccount returns is what is stored")

	list, err := e.svc.AccountsOfUser(as(u), u.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
	require.Equal(t, a.ID, list[0].ID)

	// Each opening is recorded under the admin and under the user.
	acts := e.activities.WithAction("account.open")
	require.Len(t, acts, 4)
	require.Equal(t, admin.ID, *acts[0].UserID)
	require.Equal(t, u.ID.String(), acts[0].Details["userId"])
	require.Equal(t, u.ID, *acts[1].UserID)
	require.Equal(t, ports.RoleAdmin, acts[1].Details["by"])
}

func TestOpenAccountValidation(t *testing.T) {
	e := newEnv(t)
	admin := e.user(ports.RoleAdmin)
	u := e.user(ports.RoleMember)
	big := map[string]any{"blob": strings.Repeat("x", accounts.MaxAdditionalInfo)}
	cases := []struct {
		name   string
		in     accounts.OpenAccountInput
		fields []string
	}{
		{"bad email", accounts.OpenAccountInput{UserID: u.ID, Email: "not-an-email"}, []string{"email"}},
		{"long sub-account id", accounts.OpenAccountInput{UserID: u.ID, SubAccountID: strings.Repeat("s", 65)}, []string{"subAccountId"}},
		{"control in sub-account id", accounts.OpenAccountInput{UserID: u.ID, SubAccountID: "a\nb"}, []string{"subAccountId"}},
		{"bad sub-account email", accounts.OpenAccountInput{UserID: u.ID, SubAccountEmail: "x@"}, []string{"subAccountEmail"}},
		{"info over 4 KiB", accounts.OpenAccountInput{UserID: u.ID, AdditionalInfo: big}, []string{"additionalInfo"}},
		{"several", accounts.OpenAccountInput{UserID: u.ID, Email: "nope", AdditionalInfo: big},
			[]string{"email", "additionalInfo"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := e.svc.OpenAccount(as(admin), c.in)
			errtest.Code(t, err, ports.CodeValidationFailed)
			require.Len(t, errtest.Fields(t, err), len(c.fields))
			for _, f := range c.fields {
				require.Contains(t, errtest.Fields(t, err), f)
			}
		})
	}
	have, err := e.accounts.Store.AccountsByUsers(context.Background(), []uuid.UUID{u.ID})
	require.NoError(t, err)
	require.Empty(t, have)

	_, err = e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID, SubAccountID: strings.Repeat("é", 64)})
	require.NoError(t, err, "64 characters are fine")
}

func TestOpenAccountUnknownOrDeletedUser(t *testing.T) {
	e := newEnv(t)
	admin := e.user(ports.RoleAdmin)
	_, err := e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: uuid.New()})
	errtest.Code(t, err, ports.CodeNotFound)

	id := uuid.New()
	gone := identity.User{ID: id, State: "DELETED", Role: ports.RoleMember, ReferralCode: id.String()[:12],
		CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
	require.NoError(t, e.users.Create(context.Background(), gone))
	_, err = e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: gone.ID})
	errtest.Code(t, err, ports.CodeNotFound)
}

func TestAccountLimit(t *testing.T) {
	e := newEnv(t, func(c *accounts.Config) { c.MaxAccountsPerUser = 2 })
	admin := e.user(ports.RoleAdmin)
	u, _ := e.member() // sign-up's account counts
	_, err := e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID})
	require.NoError(t, err)
	_, err = e.svc.OpenAccount(as(admin), accounts.OpenAccountInput{UserID: u.ID})
	errtest.Code(t, err, ports.CodeConflict)
	list, err := e.svc.AccountsOfUser(as(u), u.ID)
	require.NoError(t, err)
	require.Len(t, list, 2)
}

func TestZeroConfigTakesDefaults(t *testing.T) {
	s := accounts.NewService(accounts.Config{}, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil)
	require.Equal(t, accounts.DefaultConfig(), accounts.ConfigOf(s))
}
