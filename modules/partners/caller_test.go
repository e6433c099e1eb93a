package partners_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestAClientTokenIsItsEnabledAppsCaller(t *testing.T) {
	e := newEnv(t)
	callers := partners.NewCallers(e.apps, e.tokens, e.clock)
	app := e.create("A", partners.ScopeAccountsWrite, partners.ScopeUsersRead)
	tok, err := e.issuer.Issue(from("198.51.100.1"), partners.TokenRequest{ClientID: app.App.ClientID(),
		ClientSecret: app.Secret, Scope: partners.ScopeUsersRead})
	require.NoError(t, err)
	ctx := context.Background()

	c, ok, err := callers.ProgramCaller(ctx, tok.AccessToken)
	require.True(t, ok)
	require.NoError(t, err)
	require.Equal(t, ports.RolePartner, c.Role)
	require.Equal(t, uuid.Nil, c.UserID, "a partner app is no user")
	require.Equal(t, &ports.Program{Kind: ports.ProgramPartner, ID: app.App.ClientID(), Scopes: []string{partners.ScopeUsersRead}},
		c.Program, "the token's scopes, not all the app's")

	// A user's token, or no token of ours, is not a partner's: the session
	// path reads it.
	user, err := e.tokens.Sign(ports.AccessClaims{UserID: uuid.New(), SessionID: uuid.New(), Role: ports.RoleMember,
		ExpiresAt: t0.Add(time.Minute)})
	require.NoError(t, err)
	// One that claims to be a client's but does not verify is left to the
	// session path too, which refuses it like any bad token.
	forged := tok.AccessToken[:len(tok.AccessToken)-4] + "AAAA"
	for _, other := range []string{user, "garbage", "", forged} {
		_, ok, err = callers.ProgramCaller(ctx, other)
		require.False(t, ok, other)
		require.NoError(t, err)
	}

	// A client token of an app that is gone, or of a disabled one, is refused.
	gone, err := e.tokens.Sign(ports.AccessClaims{Kind: ports.TokenClient, ClientID: uuid.NewString(),
		Role: ports.RolePartner, ExpiresAt: t0.Add(time.Minute)})
	require.NoError(t, err)
	_, ok, err = callers.ProgramCaller(ctx, gone)
	require.True(t, ok)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.manage.Disable(as(ports.RoleAdmin), app.App.ID)
	require.NoError(t, err)
	_, ok, err = callers.ProgramCaller(ctx, tok.AccessToken)
	require.True(t, ok)
	require.Equal(t, partners.ReasonClientDisabled, errtest.Code(t, err, ports.CodeUnauthenticated).Reason)
}
