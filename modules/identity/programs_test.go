package identity_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// oneKey accepts one key id with one signature; every call counts.
type oneKey struct {
	owner      uuid.UUID
	id, sig    string
	scopes     []string
	calls      int
	refuseWith error
}

func (k *oneKey) Authenticate(_ context.Context, keyID, _, signature string) (uuid.UUID, ports.Program, error) {
	k.calls++
	if k.refuseWith != nil {
		return uuid.Nil, ports.Program{}, k.refuseWith
	}
	if keyID != k.id || signature != k.sig {
		return uuid.Nil, ports.Program{}, ports.Refusal(ports.CodeUnauthenticated, "SIGNATURE_INVALID", "no")
	}
	return k.owner, ports.Program{ID: keyID, Scopes: k.scopes}, nil
}

// partnerTokens reads tokens that start with "partner." as a partner's.
type partnerTokens struct{}

func (partnerTokens) ProgramCaller(_ context.Context, token string) (*ports.Caller, bool, error) {
	if len(token) < 8 || token[:8] != "partner." {
		return nil, false, nil
	}
	return &ports.Caller{Role: ports.RolePartner,
		Program: &ports.Program{Kind: ports.ProgramPartner, ID: token[8:], Scopes: []string{"users:read"}}}, true, nil
}

func (e *env) programViewer(keys identity.KeyAuthenticator) *identity.ViewerService {
	return identity.NewViewerService(e.cfg, identitytest.SessionReads{Sessions: e.sessions, Users: e.users}, e.tokens,
		portsfake.DefaultRules(), nil, identity.Programs{Keys: keys, Owners: e.users,
			Tokens: []identity.ProgramTokens{partnerTokens{}}},
		portsfake.NewRateLimiter(e.clock), e.activities, e.clock, slog.New(slog.DiscardHandler))
}

func (e *env) signed(keyID, nonce, sig string) context.Context {
	return identity.WithCredentials(e.ctx(), identity.Credentials{APIKey: keyID, Nonce: nonce, Signature: sig})
}

func reasonOf(t *testing.T, err error) string {
	t.Helper()
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	return pe.Reason
}

func TestASignedRequestCallsAsTheKeysOwnerWithItsScopes(t *testing.T) {
	e := newEnv(t)
	u := e.addUser(phone, goodPIN)
	k := &oneKey{owner: u.ID, id: "key1", sig: "good", scopes: []string{"read"}}
	v := e.programViewer(k)

	ctx := e.signed("key1", "1", "good")
	c, err := v.Caller(ctx)
	require.NoError(t, err)
	require.Equal(t, u.ID, c.UserID)
	require.Equal(t, identity.RoleMember, c.Role)
	require.Equal(t, uuid.Nil, c.SessionID, "a key is no session")
	require.Equal(t, &ports.Program{Kind: ports.ProgramAPIKey, ID: "key1", Scopes: []string{"read"}}, c.Program)
	vw, err := v.Viewer(ctx)
	require.NoError(t, err)
	require.Equal(t, u.ID, vw.User.ID, "resolvers see the owner")
	require.Equal(t, 1, k.calls, "one request checks its signature once (its nonce is spent then)")
}

func TestKeyRequestsAreRefusedWithTheirOwnReasons(t *testing.T) {
	e := newEnv(t)
	u := e.addUser(phone, goodPIN)
	k := &oneKey{owner: u.ID, id: "key1", sig: "good"}
	v := e.programViewer(k)
	bg := context.Background()

	_, err := v.Caller(e.signed("key1", "1", "bad"))
	require.Equal(t, "SIGNATURE_INVALID", reasonOf(t, err), "the authenticator's refusal reaches the client")

	_, err = v.Caller(e.signed("key1", "", "good"))
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.Equal(t, identity.ReasonKeyHeadersIncomplete, reasonOf(t, err))

	both := identity.WithCredentials(e.ctx(), identity.Credentials{Bearer: "t", APIKey: "key1", Nonce: "1", Signature: "good"})
	_, err = v.Caller(both)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	require.Equal(t, identity.ReasonCredentialsAmbiguous, reasonOf(t, err))

	require.NoError(t, e.users.SetState(bg, u.ID, identity.StateLocked, e.clock.Now()))
	_, err = v.Caller(e.signed("key1", "2", "good"))
	errtest.Code(t, err, ports.CodeLocked)
	require.Equal(t, identity.ReasonOwnerLocked, reasonOf(t, err))

	require.NoError(t, e.users.SetState(bg, u.ID, identity.StateBanned, e.clock.Now()))
	_, err = v.Caller(e.signed("key1", "3", "good"))
	errtest.Code(t, err, ports.CodeAccessRestricted)
	require.Equal(t, identity.ReasonOwnerBanned, reasonOf(t, err))
	vw, err := v.Viewer(e.signed("key1", "4", "good"))
	require.Error(t, err)
	require.Nil(t, vw, "a refused key leaves no viewer behind")

	none := e.programViewer(nil)
	_, err = none.Caller(e.signed("key1", "5", "good"))
	require.Equal(t, identity.ReasonKeysUnavailable, reasonOf(t, err))
}

func TestAPartnerTokenIsACallerWithNoUser(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	v := e.programViewer(nil)

	ctx := identity.WithBearerToken(e.ctx(), "partner.client-7")
	c, err := v.Caller(ctx)
	require.NoError(t, err)
	require.Equal(t, ports.RolePartner, c.Role)
	require.Equal(t, uuid.Nil, c.UserID)
	require.Equal(t, ports.ProgramPartner, c.Program.Kind)
	vw, err := v.Viewer(ctx)
	require.NoError(t, err)
	require.Nil(t, vw, "no user calls")

	// A session's token still reads as the user's.
	c, err = v.Caller(e.as(auth.AccessToken))
	require.NoError(t, err)
	require.Equal(t, auth.User.ID, c.UserID)
	require.Nil(t, c.Program)
}
