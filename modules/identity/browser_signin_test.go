package identity_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// A sign-in handed off (the OAuth2 login page's) leaves no live session:
// its refresh token and access token stop working at once, the device
// keeps the trust the sign-in gave it, and the activity names where the
// sign-in went.
func TestHandOffEndsTheSession(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	require.NoError(t, e.svc.Sessions.HandOff(e.ctx(), auth, "oauth2_login"))

	_, err := e.svc.Sessions.RefreshSession(e.ctx(), auth.RefreshToken)
	assert.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err))
	_, err = e.viewer(auth.AccessToken)
	assert.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err))
	rows := e.activities.WithAction("sign_in.handed_off")
	require.Len(t, rows, 1)
	assert.Equal(t, "oauth2_login", rows[0].Details["to"])

	// The device is still trusted: the next sign-in needs no code.
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status)

	// A token this service did not sign hands nothing off.
	forged := auth
	forged.AccessToken = "not-a-token"
	assert.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(e.svc.Sessions.HandOff(e.ctx(), forged, "x")))
}

// Subject reads the user a challenge names whatever its state, and
// ActiveCheck says whether that user may still sign in.
func TestSubjectAndActiveCheck(t *testing.T) {
	e := newEnv(t)
	u := e.addUser(phone, goodPIN)
	got, err := e.svc.Reads.Subject(e.ctx(), u.ID)
	require.NoError(t, err)
	assert.Equal(t, u.ID, got.ID)
	assert.NoError(t, identity.ActiveCheck(got))
	got.State = identity.StateBanned
	assert.Equal(t, ports.CodeAccessRestricted, ports.ErrorCodeOf(identity.ActiveCheck(got)))
	got.State = identity.StateLocked
	assert.Equal(t, ports.CodeLocked, ports.ErrorCodeOf(identity.ActiveCheck(got)))
}
