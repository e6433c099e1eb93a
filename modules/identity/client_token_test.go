package identity_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

// TestAClientTokenIsNeverAUsersSession: a partner's token whose subject
// is a user's id (client ids are UUIDs too) still names no session, and
// the viewer refuses it by its kind before any session is looked up.
func TestAClientTokenIsNeverAUsersSession(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp("+447911123456", "482915")
	tok, err := e.tokens.Sign(ports.AccessClaims{Kind: ports.TokenClient, ClientID: auth.User.ID.String(),
		Role: ports.RoleSuperadmin, IssuedAt: e.clock.Now(), ExpiresAt: e.clock.Now().Add(time.Minute)})
	require.NoError(t, err)
	v, err := e.viewer(tok)
	require.Nil(t, v)
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	require.Equal(t, ports.CodeUnauthenticated, pe.Code)
	require.Equal(t, "NOT_A_USER_TOKEN", pe.Reason)

	v, err = e.viewer(auth.AccessToken)
	require.NoError(t, err)
	require.Equal(t, auth.User.ID, v.User.ID)
}
