package identity_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestRefreshSessionRotatesAndDetectsReuse(t *testing.T) {
	e := newEnv(t)
	first := e.signUp(phone, goodPIN)
	e.clock.Advance(time.Minute)

	second, err := e.svc.Sessions.RefreshSession(e.ctx(), first.RefreshToken)
	require.NoError(t, err)
	assert.NotEqual(t, first.RefreshToken, second.RefreshToken)
	assert.NotEmpty(t, second.AccessToken)
	assert.Equal(t, e.clock.Now().Add(15*time.Minute), second.AccessTokenExpiresAt)
	assert.Equal(t, first.User.ID, second.User.ID)
	v1, err := e.viewer(first.AccessToken)
	require.NoError(t, err)
	v2, err := e.viewer(second.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, v1.SessionID, v2.SessionID, "the same session goes on")

	// Someone replays the rotated token: the whole family ends.
	_, err = e.svc.Sessions.RefreshSession(e.ctx(), first.RefreshToken)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.svc.Sessions.RefreshSession(e.ctx(), second.RefreshToken)
	errtest.Code(t, err, ports.CodeUnauthenticated, "the newer token dies with the family")
	_, err = e.viewer(second.AccessToken)
	errtest.Code(t, err, ports.CodeUnauthenticated, "so does the access token")

	reused := e.activities.WithAction("session.refresh_reused")
	require.Len(t, reused, 1)
	assert.Equal(t, ports.ActivityFailed, reused[0].Result)
	require.NotNil(t, reused[0].UserID)
	assert.Equal(t, first.User.ID, *reused[0].UserID)
}

func TestRefreshSessionLeavesOtherSessionsAlone(t *testing.T) {
	e := newEnv(t)
	a := e.signUp(phone, goodPIN)
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	b := res.Auth

	_, err = e.svc.Sessions.RefreshSession(e.ctx(), a.RefreshToken)
	require.NoError(t, err)
	_, err = e.svc.Sessions.RefreshSession(e.ctx(), a.RefreshToken)
	errtest.Code(t, err, ports.CodeUnauthenticated)

	_, err = e.viewer(b.AccessToken)
	assert.NoError(t, err)
	_, err = e.svc.Sessions.RefreshSession(e.ctx(), b.RefreshToken)
	assert.NoError(t, err)
}

func TestRefreshSessionRefusesBadTokens(t *testing.T) {
	tests := []struct {
		name, token string
	}{
		{"empty", ""},
		{"no prefix", "abc"},
		{"a ticket", "ght_abc"},
		{"unknown", "ghr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
		{"too long", "ghr_" + string(make([]byte, 200))},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.signUp(phone, goodPIN)
			_, err := e.svc.Sessions.RefreshSession(e.ctx(), tc.token)
			errtest.Code(t, err, ports.CodeUnauthenticated)
		})
	}
}

func TestRefreshTokenExpires(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	e.clock.Advance(30 * 24 * time.Hour)
	_, err := e.svc.Sessions.RefreshSession(e.ctx(), auth.RefreshToken)
	errtest.Code(t, err, ports.CodeUnauthenticated)
}

func TestAccessTokenExpiresAndRefreshRenewsIt(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	e.clock.Advance(15 * time.Minute)
	_, err := e.viewer(auth.AccessToken)
	errtest.Code(t, err, ports.CodeUnauthenticated, "15 min later")

	next, err := e.svc.Sessions.RefreshSession(e.ctx(), auth.RefreshToken)
	require.NoError(t, err)
	v, err := e.viewer(next.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, auth.User.ID, v.User.ID)
}

func TestViewer(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)

	v, err := e.svc.Viewer.Viewer(e.ctx())
	assert.NoError(t, err)
	assert.Nil(t, v, "no token is anonymous")
	v, err = e.viewer("")
	assert.NoError(t, err)
	assert.Nil(t, v, "an empty token is anonymous")
	_, err = e.viewer("not-a-token")
	errtest.Code(t, err, ports.CodeUnauthenticated, "a bad token is not anonymous")
	_, err = e.svc.Viewer.RequireViewer(e.ctx())
	errtest.Code(t, err, ports.CodeUnauthenticated)

	me, err := e.svc.Viewer.Me(e.as(auth.AccessToken))
	require.NoError(t, err)
	require.NotNil(t, me)
	assert.Equal(t, phone, me.Phone)
	assert.True(t, me.HasPIN)
}

func TestSignOut(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	other := res.Auth

	require.NoError(t, e.svc.Sessions.SignOut(e.as(auth.AccessToken)))
	_, err = e.viewer(auth.AccessToken)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.svc.Sessions.RefreshSession(e.ctx(), auth.RefreshToken)
	errtest.Code(t, err, ports.CodeUnauthenticated, "the refresh token ends with the session")
	_, err = e.viewer(other.AccessToken)
	assert.NoError(t, err, "only the current session ends")

	err = e.svc.Sessions.SignOut(e.ctx())
	errtest.Code(t, err, ports.CodeUnauthenticated, "anonymous")
	err = e.svc.Sessions.SignOut(e.as(auth.AccessToken))
	errtest.Code(t, err, ports.CodeUnauthenticated, "already signed out")
}

func TestSignOutEverywhere(t *testing.T) {
	e := newEnv(t)
	a := e.signUp(phone, goodPIN)
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	b := res.Auth

	require.NoError(t, e.svc.Sessions.SignOutEverywhere(e.as(b.AccessToken)))
	for _, tok := range []string{a.AccessToken, b.AccessToken} {
		_, err = e.viewer(tok)
		errtest.Code(t, err, ports.CodeUnauthenticated)
	}
	acts := e.activities.WithAction("sign_out_everywhere")
	require.Len(t, acts, 1)
	assert.Equal(t, "2", acts[0].Details["sessions"])
}

func TestDevicesOnlyForTheirOwner(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	devices, err := e.svc.Reads.Devices(e.as(auth.AccessToken), auth.User.ID)
	require.NoError(t, err)
	require.Len(t, devices, 1)
	assert.Equal(t, device, devices[0].DeviceKey)

	_, err = e.svc.Reads.Devices(e.as(auth.AccessToken), uuid.New())
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.svc.Reads.Devices(e.ctx(), auth.User.ID)
	errtest.Code(t, err, ports.CodeUnauthenticated)
}
