package federation_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
)

// TestWhoSignsIn walks the linking rules: the provider account linked,
// the email both sides verified, the email only we verified, an
// unconfirmed sign-up's email, and nobody's.
func TestWhoSignsIn(t *testing.T) {
	ctx := context.Background()
	t.Run("VerifiedEmailOfAnAccountLinksIt", func(t *testing.T) {
		e := newEnv(t)
		ann := identitytest.NewEmailUser(t, e.users, "ann@example.com", identity.StateActive)
		code, state := e.authorize(ctx, false, federation.Claims{Subject: "g-ann", Email: "Ann@Example.com", EmailVerified: true})
		res, err := e.complete(code, state, false)
		require.NoError(t, err)
		require.Equal(t, identity.SignedIn, res.Status)
		require.Equal(t, ann.ID, e.accts.signIns[0])
		ids, _ := e.store.OfUser(ctx, ann.ID)
		require.Len(t, ids, 1)
		require.Len(t, e.acts.WithAction("oidc.link_by_email"), 1)

		// Next time the link decides, whatever the email says now.
		code, state = e.authorize(ctx, false, federation.Claims{Subject: "g-ann", Email: "other@example.com"})
		_, err = e.complete(code, state, false)
		require.NoError(t, err)
		require.Equal(t, ann.ID, e.accts.signIns[1])
		got, _ := e.store.Find(ctx, "google", "g-ann")
		require.Equal(t, "other@example.com", got.Email, "the identity keeps the email the provider last gave")
	})
	t.Run("UnverifiedEmailOfAnAccountIsRefused", func(t *testing.T) {
		e := newEnv(t)
		bob := identitytest.NewEmailUser(t, e.users, "bob@example.com", identity.StateActive)
		code, state := e.authorize(ctx, false, federation.Claims{Subject: "x", Email: "bob@example.com"})
		_, err := e.complete(code, state, true)
		refusal(t, err, ports.CodeConflict, federation.ReasonAccountExists)
		ids, _ := e.store.OfUser(ctx, bob.ID)
		require.Empty(t, ids)
		require.Empty(t, e.accts.signIns)
	})
	t.Run("AnUnconfirmedSignUpIsReplaced", func(t *testing.T) {
		e := newEnv(t)
		squatter := identitytest.NewEmailUser(t, e.users, "cat@example.com", identity.StatePending)
		code, state := e.authorize(ctx, false, federation.Claims{Subject: "g-cat", Email: "cat@example.com", EmailVerified: true})
		res, err := e.complete(code, state, true)
		require.NoError(t, err)
		require.NotEqual(t, squatter.ID, res.Auth.User.ID)
		_, err = e.users.GetByID(ctx, squatter.ID)
		require.ErrorIs(t, err, ports.ErrNotFound)
	})
	t.Run("NoEmailVerifiedMakesNoAccount", func(t *testing.T) {
		e := newEnv(t)
		code, state := e.authorize(ctx, false, federation.Claims{Subject: "x", Email: "dan@example.com"})
		_, err := e.complete(code, state, true)
		refusal(t, err, ports.CodeForbidden, federation.ReasonEmailNotVerified)
		code, state = e.authorize(ctx, false, federation.Claims{Subject: "y", EmailVerified: true})
		_, err = e.complete(code, state, true)
		refusal(t, err, ports.CodeForbidden, federation.ReasonEmailNotVerified)
	})
	t.Run("ANewAccountNeedsTheTerms", func(t *testing.T) {
		e := newEnv(t)
		claims := federation.Claims{Subject: "g-eve", Email: "eve@example.com", EmailVerified: true}
		code, state := e.authorize(ctx, false, claims)
		_, err := e.complete(code, state, false)
		refusal(t, err, ports.CodeValidationFailed, "TERMS_NOT_ACCEPTED")
		code, state = e.authorize(ctx, false, claims)
		res, err := e.complete(code, state, true)
		require.NoError(t, err)
		got, err := e.store.Find(ctx, "google", "g-eve")
		require.NoError(t, err)
		require.Equal(t, res.Auth.User.ID, got.UserID)
	})
	t.Run("ALockedAccountIsNotLinked", func(t *testing.T) {
		e := newEnv(t)
		fay := identitytest.NewEmailUser(t, e.users, "fay@example.com", identity.StateLocked)
		code, state := e.authorize(ctx, false, federation.Claims{Subject: "g-fay", Email: "fay@example.com", EmailVerified: true})
		_, err := e.complete(code, state, false)
		require.NoError(t, err, "the fake accounts sign anyone in; identity refuses a locked one")
		ids, _ := e.store.OfUser(ctx, fay.ID)
		require.Empty(t, ids, "a locked account got a new way in")
	})
}

func TestCompletionRefusals(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	claims := federation.Claims{Subject: "g", Email: "g@example.com", EmailVerified: true}

	_, err := e.signIn.Start(ctx, "nope", redirect, "device-1")
	refusal(t, err, ports.CodeValidationFailed, federation.ReasonUnknownProvider)
	_, err = e.signIn.Start(ctx, "google", redirect+"?next=https://evil.example.com", "device-1")
	refusal(t, err, ports.CodeValidationFailed, federation.ReasonRedirectNotAllowed)
	_, err = e.signIn.Start(ctx, "", "", "")
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	require.Contains(t, pe.Fields, "provider")
	require.Contains(t, pe.Fields, "redirectUri")
	require.Contains(t, pe.Fields, "deviceId", "a sign-in any device could complete is a login CSRF")

	_, err = e.complete(strings.Repeat("c", 4097), strings.Repeat("s", 129), true)
	require.ErrorAs(t, err, &pe)
	require.Contains(t, pe.Fields, "code")
	require.Contains(t, pe.Fields, "state")

	code, state := e.authorize(ctx, false, claims)
	_, err = e.complete(code, "not-"+state, true)
	refusal(t, err, ports.CodeInvalidCode, federation.ReasonStateInvalid)
	_, err = e.complete(code, state, true)
	require.NoError(t, err)
	_, err = e.complete(code, state, true)
	refusal(t, err, ports.CodeInvalidCode, federation.ReasonStateInvalid)

	code, state = e.authorize(ctx, false, claims)
	e.clock.Advance(e.cfg.StateTTL)
	_, err = e.complete(code, state, true)
	refusal(t, err, ports.CodeCodeExpired, federation.ReasonStateExpired)

	e.relying.SetDown(true)
	_, err = e.signIn.Start(ctx, "google", redirect, "device-1")
	require.Equal(t, ports.CodeUnavailable, ports.ErrorCodeOf(err))
}
