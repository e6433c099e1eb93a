package app_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
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

// TestOIDCAttackProviderEchoesCredentials: a token endpoint that fails
// and echoes what it was sent (the code, the PKCE verifier, the client's
// secret) in its error page: the answer's body is not Gatehouse's to log.
func TestOIDCAttackProviderEchoesCredentials(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	p := federationtest.Person{Subject: "echo", Email: "echo@example.com", EmailVerified: true}
	var mu sync.Mutex
	var sent []string
	for _, status := range []int{http.StatusServiceUnavailable, http.StatusBadRequest} {
		op.Override("/token", func(w http.ResponseWriter, r *http.Request) {
			_ = r.ParseForm()
			mu.Lock()
			sent = append(sent, r.PostForm.Get("code"), r.PostForm.Get("code_verifier"))
			mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant",
				"error_description": "you sent " + r.PostForm.Encode() + " with " + r.Header.Get("Authorization")})
		})
		code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		r := h.post("", mCompleteOIDC, oidcVars(code, state, "d1", "", true))
		must(t, len(r.Errors) == 1, "a failing token endpoint: %+v", r)
	}
	_, basic, _ := strings.Cut(basicOf(op.ClientID, op.ClientSecret), " ")
	logs := h.logs.String()
	must(t, strings.Contains(logs, "completeOidcSignIn"), "the requests were not logged: nothing to check")
	for _, secret := range append(sent, op.ClientSecret, basic) {
		must(t, secret != "" && !strings.Contains(logs, secret), "%q reached the log", secret)
	}
}
