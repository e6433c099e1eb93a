package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
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
// secret) in its error page: the answer's body is not Gatehouse's to log;
// nor is an id token that does not verify.
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
	// An id token that does not verify (another audience) stays out too.
	op.Override("/token", nil)
	op.Forge(func(c map[string]any) string {
		c["aud"] = "another-client"
		tok, err := op.Sign(c)
		if err != nil {
			t.Error(err)
		}
		mu.Lock()
		sent = append(sent, tok)
		mu.Unlock()
		return tok
	})
	code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
	h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "UNAUTHENTICATED", federation.ReasonIDTokenInvalid)
	_, basic, _ := strings.Cut(basicOf(op.ClientID, op.ClientSecret), " ")
	logs := h.logs.String()
	must(t, strings.Contains(logs, "completeOidcSignIn"), "the requests were not logged: nothing to check")
	for _, secret := range append(sent, op.ClientSecret, basic) {
		must(t, secret != "" && !strings.Contains(logs, secret), "%q reached the log", secret)
	}
}

// TestOIDCAttackBlockedAccountsStayShut: a provider's word opens no
// account that staff locked or banned, neither through a link nor by
// email (and the email path links nothing to it), and a BLOCKLOGIN rule
// refuses the provider sign-in as it refuses the others while leaving
// signed-in users' links alone.
func TestOIDCAttackBlockedAccountsStayShut(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	admin := h.staff("ADMIN", "+447911129901")

	linked := federationtest.Person{Subject: "max-g", Email: "maxl@example.com", EmailVerified: true}
	first := h.oidcSignIn(op, linked, "d1", "", true)
	for state, code := range map[string]string{"LOCKED": "LOCKED", "BANNED": "ACCESS_RESTRICTED"} {
		h.ok(admin.token, mSetUserState, in("userId", first.Auth.User.ID, "state", state, "reason", "attack pass"), &struct{}{})
		c, s := h.oidcAuthorize(op, "", mStartOIDC, linked, "d1")
		h.fails("", mCompleteOIDC, oidcVars(c, s, "d1", first.Auth.secret(), false), code)
	}

	banned := h.emailUser("ben@example.com", strongPassword, "", "Ben", "ben-laptop")
	h.ok(admin.token, mSetUserState, in("userId", banned.User.ID, "state", "BANNED", "reason", "attack pass"), &struct{}{})
	byEmail := federationtest.Person{Subject: "ben-g", Email: "ben@example.com", EmailVerified: true}
	c, s := h.oidcAuthorize(op, "", mStartOIDC, byEmail, "ben-laptop")
	h.fails("", mCompleteOIDC, oidcVars(c, s, "ben-laptop", banned.secret(), true), "ACCESS_RESTRICTED")
	var ids struct {
		User struct{ Identities []linkedIdentity }
	}
	h.ok(admin.token, qUserIdentities, vars("id", banned.User.ID), &ids)
	must(t, len(ids.User.Identities) == 0, "linked to a banned account: %+v", ids)

	// BLOCKLOGIN: a flow started before the rule cannot be completed
	// after it; a signed-in user still links.
	zoe := h.emailUser("zoe@example.com", strongPassword, "", "Zoe", "zoe-laptop")
	c, s = h.oidcAuthorize(op, "", mStartOIDC, federationtest.Person{Subject: "z", Email: "z@example.com", EmailVerified: true}, "d1")
	lc, ls := h.oidcAuthorize(op, zoe.AccessToken, mStartLink, federationtest.Person{Subject: "zoe-g", Email: "zoe@example.com"}, "")
	h.restrict(admin.token, "ALL", "", "BLOCKLOGIN", 4191)
	blocked := fence{"ACCESS_RESTRICTED", "LOGIN_BLOCKED", 4191}
	h.seen("a provider sign-in's start", nil, "", `mutation { startOidcSignIn(input: {provider: "test", redirectUri: "`+oidcRedirect+`", deviceId: "d1"}) { state } }`, blocked)
	r := h.post("", mCompleteOIDC, oidcVars(c, s, "d1", "", true))
	must(t, fenceOf(r) == blocked, "a provider sign-in's completion under BLOCKLOGIN: %+v", r)
	var l struct{ LinkOidcIdentity linkedIdentity }
	h.ok(zoe.AccessToken, mLinkOIDC, vars("provider", oidcProvider, "code", lc, "state", ls), &l)
}

// TestOIDCAttackParallelUnlinksKeepAWayIn: an account made by a provider
// (no PIN, no password) with two identities; both are unlinked at once,
// many times over. The user's lock decides them one at a time: exactly one
// goes, the other is LAST_SIGN_IN_METHOD.
func TestOIDCAttackParallelUnlinksKeepAWayIn(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	res := h.oidcSignIn(op, federationtest.Person{Subject: "una-1", Email: "una@example.com", EmailVerified: true}, "d1", "", true)
	token := res.Auth.AccessToken
	code, state := h.oidcAuthorize(op, token, mStartLink, federationtest.Person{Subject: "una-2", Email: "una@example.com", EmailVerified: true}, "")
	h.ok(token, mLinkOIDC, vars("provider", oidcProvider, "code", code, "state", state), &struct{}{})
	ids := h.myIdentities(token)
	must(t, len(ids) == 2, "una's identities: %+v", ids)
	var wg sync.WaitGroup
	var mu sync.Mutex
	unlinked, kept := 0, 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.post(token, mUnlinkOIDC, vars("id", ids[i%2].ID))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case len(r.Errors) == 0:
				unlinked++
			case reasonOf(r) == federation.ReasonLastSignInMethod || r.code() == "NOT_FOUND":
				kept++
			default:
				t.Errorf("unexpected answer: %+v", r.Errors)
			}
		}()
	}
	wg.Wait()
	left := h.myIdentities(token)
	must(t, unlinked == 1 && len(left) == 1, "%d unlinks passed, %d identities left", unlinked, len(left))
}

// TestOIDCAttackCompletionsAreRateLimited: completions past the limit are
// RATE_LIMITED before the state is looked at, so they spend nobody's
// state (and ask the provider nothing); a minute later the real one
// completes.
func TestOIDCAttackCompletionsAreRateLimited(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op, func(c *app.Config) { c.OIDCFlowsPerMinute = 3 })
	p := federationtest.Person{Subject: "rl", Email: "rl@example.com", EmailVerified: true}
	code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
	for i := range 3 {
		h.refused("", mCompleteOIDC, oidcVars(code, fmt.Sprintf("guess-%d", i), "d1", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
	}
	exchanges := op.Exchanges()
	h.fails("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "RATE_LIMITED")
	must(t, op.Exchanges() == exchanges, "a limited completion asked the provider")
	h.clock.Advance(time.Minute)
	var d struct{ CompleteOidcSignIn pwSignInResult }
	h.ok("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), &d)
	must(t, d.CompleteOidcSignIn.Status == "SIGNED_IN", "after a minute: %+v", d)
}

// TestOIDCAttackStaffWithoutTheRowsReadNoIdentities: ACCOUNTANT reads
// users (its rows allow user and users) but holds no User.identities row:
// a user's identities are refused to it, one user or a page of them (the
// batched read must not hand them over either).
func TestOIDCAttackStaffWithoutTheRowsReadNoIdentities(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	res := h.oidcSignIn(op, federationtest.Person{Subject: "ida", Email: "ida@example.com", EmailVerified: true}, "d1", "", true)
	accountant := h.staff("ACCOUNTANT", "+447911129911")
	support := h.staff("SUPPORT", "+447911129912")
	var d struct {
		User struct{ Identities []linkedIdentity }
	}
	h.ok(support.token, qUserIdentities, vars("id", res.Auth.User.ID), &d)
	must(t, len(d.User.Identities) == 1, "support reads ida's identities: %+v", d)
	r := h.post(accountant.token, qUserIdentities, vars("id", res.Auth.User.ID))
	must(t, r.code() == "FORBIDDEN" && !strings.Contains(string(r.Data), "ida@example.com"), "accountant, one user: %+v", r)
	r = h.post(accountant.token, `{ users(first: 50) { edges { node { id identities { provider email } } } } }`, nil)
	must(t, r.code() == "FORBIDDEN" && !strings.Contains(string(r.Data), "ida@example.com"), "accountant, a page: %+v", r)
}

// TestOIDCAttackRedirectsAndOddInputs: the redirect URI is the configured
// one, byte for byte: none of the look-alikes an open redirect is made of
// passes. Odd inputs (NUL, huge, Unicode) are refusals with their field,
// never an internal error.
func TestOIDCAttackRedirectsAndOddInputs(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	for _, uri := range []string{
		oidcRedirect + "/", oidcRedirect + "?next=https://evil.example.com", oidcRedirect + "#x",
		oidcRedirect + "/../../evil", oidcRedirect + "%2F..%2Fevil", " " + oidcRedirect, oidcRedirect + " ",
		"https://APP.example.com/oidc/callback", "HTTPS://app.example.com/oidc/callback", "https://app.example.com/oidc/Callback",
		"https://app.example.com:443/oidc/callback", "https://app.example.com:8443/oidc/callback",
		"https://app.example.com@evil.example.com/oidc/callback", "https://evil.example.com@app.example.com/oidc/callback",
		"https://app.example.com.evil.example.com/oidc/callback", "https://evil.example.com/oidc/callback#https://app.example.com/oidc/callback",
		"//app.example.com/oidc/callback", "http://app.example.com/oidc/callback", "https://app.ex\u0430mple.com/oidc/callback",
		"https://app.example.com/oidc/callback\u200b", "https://app.example.com\\@evil.example.com/oidc/callback",
	} {
		h.refused("", mStartOIDC, vars("provider", oidcProvider, "redirect", uri, "device", "d1"), "VALIDATION_FAILED",
			federation.ReasonRedirectNotAllowed)
	}
	for name, v := range map[string]map[string]any{
		"a NUL provider":  vars("provider", oidcProvider+"\x00", "redirect", oidcRedirect, "device", "d1"),
		"a huge provider": vars("provider", strings.Repeat("p", 100000), "redirect", oidcRedirect, "device", "d1"),
		"a NUL redirect":  vars("provider", oidcProvider, "redirect", oidcRedirect+"\x00", "device", "d1"),
		"a huge redirect": vars("provider", oidcProvider, "redirect", oidcRedirect+strings.Repeat("a", 100000), "device", "d1"),
		"a NUL device":    vars("provider", oidcProvider, "redirect", oidcRedirect, "device", "d\x001"),
		"a huge device":   vars("provider", oidcProvider, "redirect", oidcRedirect, "device", strings.Repeat("d", 100000)),
	} {
		r := h.post("", mStartOIDC, v)
		must(t, r.code() == "VALIDATION_FAILED", "start with %s: %+v", name, r.Errors)
	}
	code, state := h.oidcAuthorize(op, "", mStartOIDC, federationtest.Person{Subject: "odd", Email: "odd@example.com", EmailVerified: true}, "d1")
	for name, v := range map[string]map[string]any{
		"a NUL state":   oidcVars(code, state+"\x00", "d1", "", true),
		"a huge state":  oidcVars(code, strings.Repeat("s", 100000), "d1", "", true),
		"a NUL code":    oidcVars(code+"\x00", state+"x", "d1", "", true),
		"a huge code":   oidcVars(strings.Repeat("c", 100000), state, "d1", "", true),
		"a unicode one": oidcVars("c\u202e", "s\u202e", "d1", "", true),
	} {
		r := h.post("", mCompleteOIDC, v)
		must(t, len(r.Errors) > 0 && r.code() != "INTERNAL", "complete with %s: %+v", name, r.Errors)
	}
	// None of those spent the state.
	var d struct{ CompleteOidcSignIn pwSignInResult }
	h.ok("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), &d)
	must(t, d.CompleteOidcSignIn.Status == "SIGNED_IN", "the real completion: %+v", d)
}
