package app_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
)

// Attacks on sign-in with an OpenID provider, as a client would mount
// them: each test names the hole it would find.

// TestOIDCAttackLoginCSRFNeedsTheStartingDevice: an attacker starts a
// sign-in, approves it at the provider with a fresh account of their
// own, and plants the code and state on the victim's app (a link to the
// redirect URI). Had the start not named a device, the victim's device
// would complete it into a new account of the attacker's, trusted at
// once, and the victim would fill it in. So every sign-in names the
// device that starts it, and only that device completes it.
func TestOIDCAttackLoginCSRFNeedsTheStartingDevice(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	const noDevice = `mutation($p: String!, $r: String!) {
		startOidcSignIn(input: {provider: $p, redirectUri: $r}) { authorizationUrl state } }`
	r := h.post("", noDevice, vars("p", oidcProvider, "r", oidcRedirect))
	must(t, len(r.Errors) > 0, "a sign-in started without a device: anyone's device may complete it")

	// With the device named, the planted code and state sign the victim's
	// device in nowhere.
	mallory := federationtest.Person{Subject: "mallory-fresh", Email: "mallory@example.com", EmailVerified: true}
	code, state := h.oidcAuthorize(op, "", mStartOIDC, mallory, "mallory-phone")
	h.refused("", mCompleteOIDC, oidcVars(code, state, "victim-phone", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
}

// TestOIDCAttackNULInTheProvidersClaims: a NUL in the subject reached
// PostgreSQL, which refuses it: an INTERNAL error (and an alert) for what
// is a provider's bad answer. It is a token that does not verify.
func TestOIDCAttackNULInTheProvidersClaims(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	p := federationtest.Person{Subject: "nul", Email: "nul@example.com", EmailVerified: true}
	for _, claim := range []string{"sub", "email"} {
		op.Tweak(func(c map[string]any) { c[claim] = c[claim].(string) + "\x00" })
		code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "UNAUTHENTICATED", federation.ReasonIDTokenInvalid)
	}
}
