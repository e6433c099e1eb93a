package accounts_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

func TestHookOpensOneAccountOnActivation(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember)
	ctx := context.Background()
	for _, kind := range []identity.UserEventKind{identity.UserPhoneVerified, identity.UserEmailVerified} {
		require.NoError(t, e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: kind, User: u}))
	}
	have, err := e.accounts.Store.AccountsByUsers(ctx, []uuid.UUID{u.ID})
	require.NoError(t, err)
	require.Empty(t, have, "only activation opens an account")

	for range 2 {
		require.NoError(t, e.hook.OnUserEvent(ctx, identity.UserEvent{Kind: identity.UserActivated, User: u}))
	}
	have, err = e.accounts.Store.AccountsByUsers(ctx, []uuid.UUID{u.ID})
	require.NoError(t, err)
	require.Len(t, have, 1, "activation fired twice still opens one account")
	a := have[0]
	require.Equal(t, u.Email, a.Email)
	require.True(t, a.Active)
	require.Nil(t, a.DefaultPortfolioID)
	require.JSONEq(t, `{}`, string(a.AdditionalInfo))
	require.Equal(t, e.clock.Now(), a.CreatedAt)

	// The owner sees it.
	list, err := e.svc.AccountsOfUser(as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, have, list)
}

func TestHookErrorRollsBackActivation(t *testing.T) {
	e := newEnv(t)
	e.accounts.fail = ports.Errorf(ports.CodeInternal, "database down")
	u := e.user(ports.RoleMember)
	err := e.hook.OnUserEvent(context.Background(), identity.UserEvent{Kind: identity.UserActivated, User: u})
	require.Error(t, err, "a store failure reaches identity, which rolls the activation back")
}
