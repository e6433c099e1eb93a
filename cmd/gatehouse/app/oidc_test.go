package app_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
)

// Sign-in with an OpenID provider, end to end: the client calls GraphQL,
// the "browser" follows the authorization URL to an in-process provider
// (real discovery, JWKS, authorize and token endpoints, signed id tokens)
// and brings back the code and state.

const (
	oidcRedirect = "https://app.example.com/oidc/callback"
	oidcProvider = "test"

	mStartOIDC = `mutation($provider: String!, $redirect: String!, $device: String!) {
		startOidcSignIn(input: {provider: $provider, redirectUri: $redirect, deviceId: $device}) { authorizationUrl state expiresAt } }`
	mCompleteOIDC = `mutation($provider: String!, $code: String!, $state: String!, $device: String!, $secret: String, $terms: Boolean) {
		completeOidcSignIn(input: {provider: $provider, code: $code, state: $state, deviceId: $device, deviceSecret: $secret, deviceName: "Phone", acceptTerms: $terms}) {
			status auth { ` + authFields + ` } challenge { ` + challengeFields + ` } } }`
	mStartLink = `mutation($provider: String!, $redirect: String!) {
		startOidcLink(input: {provider: $provider, redirectUri: $redirect}) { authorizationUrl state expiresAt } }`
	mLinkOIDC = `mutation($provider: String!, $code: String!, $state: String!) {
		linkOidcIdentity(input: {provider: $provider, code: $code, state: $state}) { id provider email emailVerified linkedAt lastUsedAt } }`
	mUnlinkOIDC     = `mutation($id: ID!) { unlinkOidcIdentity(input: {identityId: $id}) }`
	qMyIdentities   = `{ me { id identities { id provider email emailVerified linkedAt lastUsedAt } } }`
	qUserIdentities = `query($id: ID!) { user(id: $id) { identities { id provider email } } }`
)

type oidcFlow struct {
	AuthorizationURL string `json:"authorizationUrl"`
	State            string `json:"state"`
	ExpiresAt        string `json:"expiresAt"`
}

type linkedIdentity struct {
	ID            string `json:"id"`
	Provider      string `json:"provider"`
	Email         string `json:"email"`
	EmailVerified bool   `json:"emailVerified"`
}

// newOIDCHarness is a Gatehouse configured with one provider, op.
func newOIDCHarness(t *testing.T, op *federationtest.OP, tweak ...func(*app.Config)) *harness {
	t.Helper()
	return newHarness(t, append([]func(*app.Config){func(c *app.Config) {
		c.OIDCProviders = []federation.Provider{{Name: oidcProvider, Issuer: op.URL, ClientID: op.ClientID,
			ClientSecret: federation.Secret(op.ClientSecret), RedirectURIs: []string{oidcRedirect}}}
	}}, tweak...)...)
}

// oidcAuthorize starts a flow with mutation (startOidcSignIn on device,
// or startOidcLink) as token and has the provider approve it for person.
func (h *harness) oidcAuthorize(op *federationtest.OP, token, mutation string, person federationtest.Person, device string) (code, state string) {
	h.t.Helper()
	var d struct {
		StartOidcSignIn *oidcFlow
		StartOidcLink   *oidcFlow
	}
	v := vars("provider", oidcProvider, "redirect", oidcRedirect)
	if mutation == mStartOIDC {
		v["device"] = device
	}
	h.ok(token, mutation, v, &d)
	f := d.StartOidcSignIn
	if f == nil {
		f = d.StartOidcLink
	}
	op.SignsInAs(person)
	code, state = op.Authorize(h.t, f.AuthorizationURL)
	must(h.t, state == f.State, "the provider sent back state %q, not %q", state, f.State)
	return code, state
}

func oidcVars(code, state, device, secret string, terms bool) map[string]any {
	v := vars("provider", oidcProvider, "code", code, "state", state, "device", device, "terms", terms)
	if secret != "" {
		v["secret"] = secret
	}
	return v
}

// oidcSignIn runs a whole sign-in for person on device; errors fail the test.
func (h *harness) oidcSignIn(op *federationtest.OP, person federationtest.Person, device, secret string, terms bool) pwSignInResult {
	h.t.Helper()
	code, state := h.oidcAuthorize(op, "", mStartOIDC, person, device)
	var d struct{ CompleteOidcSignIn pwSignInResult }
	h.ok("", mCompleteOIDC, oidcVars(code, state, device, secret, terms), &d)
	return d.CompleteOidcSignIn
}

func (h *harness) myIdentities(token string) []linkedIdentity {
	h.t.Helper()
	var d struct {
		Me struct{ Identities []linkedIdentity }
	}
	h.ok(token, qMyIdentities, nil, &d)
	return d.Me.Identities
}

// refused posts and asserts the first error's code and reason.
func (h *harness) refused(token, query string, v map[string]any, code, reason string) {
	h.t.Helper()
	r := h.fails(token, query, v, code)
	must(h.t, reasonOf(r) == reason, "want reason %s, got %+v", reason, r.Errors)
}

func TestOIDCNewUserSignsUpThenSignsInByTheDeviceRules(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	nina := federationtest.Person{Subject: "nina-1", Email: "Nina@Example.com", EmailVerified: true, Name: "Nina N"}

	// No account yet: one is made only once the terms are accepted, and
	// the state was spent by that answer.
	code, state := h.oidcAuthorize(op, "", mStartOIDC, nina, "phone-1")
	h.refused("", mCompleteOIDC, oidcVars(code, state, "phone-1", "", false), "VALIDATION_FAILED", "TERMS_NOT_ACCEPTED")
	h.refused("", mCompleteOIDC, oidcVars(code, state, "phone-1", "", true), "INVALID_CODE", federation.ReasonStateInvalid)

	res := h.oidcSignIn(op, nina, "phone-1", "", true)
	must(t, res.Status == "SIGNED_IN" && res.Auth != nil && res.Auth.secret() != "", "new account: %+v", res)
	u := res.Auth.User
	must(t, str(u.Email) == "nina@example.com" && u.State == "ACTIVE" && u.Name == "Nina N" && !u.HasPin && !u.HasPassword,
		"the new account: %+v", u)
	ids := h.myIdentities(res.Auth.AccessToken)
	must(t, len(ids) == 1 && ids[0].Provider == oidcProvider && ids[0].Email == "nina@example.com" && ids[0].EmailVerified,
		"me.identities: %+v", ids)

	// The trusted device signs in at once with its secret.
	again := h.oidcSignIn(op, nina, "phone-1", res.Auth.secret(), false)
	must(t, again.Status == "SIGNED_IN" && again.Auth.User.ID == u.ID, "trusted device: %+v", again)

	// Another device answers a code sent to the account's email first.
	before := h.mailCount("nina@example.com")
	other := h.oidcSignIn(op, nina, "laptop-9", "", false)
	must(t, other.Status == "DEVICE_VERIFICATION_REQUIRED" && other.Challenge != nil && other.Auth == nil,
		"new device: %+v", other)
	auth := h.verifySignIn(other.Challenge.ID, h.nextEmailCode("nina@example.com", before))
	must(t, auth.User.ID == u.ID && auth.secret() != "", "verified device: %+v", auth)
}

func TestOIDCLinksToAnAccountWhoseEmailBothSidesVerified(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	ann := h.emailUser("ann@example.com", strongPassword, "", "Ann", testDeviceLaptop)
	person := federationtest.Person{Subject: "ann-g", Email: "ann@example.com", EmailVerified: true}

	// The laptop Ann trusted signs in with the provider at once.
	res := h.oidcSignIn(op, person, testDeviceLaptop, ann.secret(), false)
	must(t, res.Status == "SIGNED_IN" && res.Auth.User.ID == ann.User.ID, "linked sign-in: %+v", res)
	ids := h.myIdentities(ann.AccessToken)
	must(t, len(ids) == 1 && ids[0].Provider == oidcProvider, "ann's identities: %+v", ids)
	// A device Ann never used still answers a code.
	res = h.oidcSignIn(op, person, "tablet-1", "", false)
	must(t, res.Status == "DEVICE_VERIFICATION_REQUIRED", "new device: %+v", res)
}

func TestOIDCUnverifiedEmailIsNotLinkedButCanBeLinkedFromMe(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	bob := h.emailUser("bob@example.com", strongPassword, "", "Bob", testDeviceLaptop)
	claimer := federationtest.Person{Subject: "someone", Email: "bob@example.com", EmailVerified: false}

	code, state := h.oidcAuthorize(op, "", mStartOIDC, claimer, "phone-x")
	h.refused("", mCompleteOIDC, oidcVars(code, state, "phone-x", "", true), "CONFLICT", federation.ReasonAccountExists)
	must(t, len(h.myIdentities(bob.AccessToken)) == 0, "an unverified email linked an identity")

	// No account holds the email and the provider did not verify it: no
	// account is made.
	stranger := federationtest.Person{Subject: "stranger", Email: "stranger@example.com"}
	code, state = h.oidcAuthorize(op, "", mStartOIDC, stranger, "phone-x")
	h.refused("", mCompleteOIDC, oidcVars(code, state, "phone-x", "", true), "FORBIDDEN", federation.ReasonEmailNotVerified)

	// Bob, signed in, links it himself: then it signs him in.
	code, state = h.oidcAuthorize(op, bob.AccessToken, mStartLink, claimer, "")
	var d struct{ LinkOidcIdentity linkedIdentity }
	h.ok(bob.AccessToken, mLinkOIDC, vars("provider", oidcProvider, "code", code, "state", state), &d)
	must(t, d.LinkOidcIdentity.Provider == oidcProvider && !d.LinkOidcIdentity.EmailVerified, "linked: %+v", d)
	res := h.oidcSignIn(op, claimer, testDeviceLaptop, bob.secret(), false)
	must(t, res.Status == "SIGNED_IN" && res.Auth.User.ID == bob.User.ID, "sign-in with the linked identity: %+v", res)

	// One identity, one account: another user cannot link it too.
	cat := h.emailUser("cat@example.com", strongPassword, "", "Cat", "cat-laptop")
	code, state = h.oidcAuthorize(op, cat.AccessToken, mStartLink, claimer, "")
	h.refused(cat.AccessToken, mLinkOIDC, vars("provider", oidcProvider, "code", code, "state", state),
		"CONFLICT", federation.ReasonLinkedElsewhere)
	// And Bob cannot link it twice.
	code, state = h.oidcAuthorize(op, bob.AccessToken, mStartLink, claimer, "")
	h.refused(bob.AccessToken, mLinkOIDC, vars("provider", oidcProvider, "code", code, "state", state),
		"CONFLICT", federation.ReasonAlreadyLinked)
}

func TestOIDCStatesAndCodesAreRefused(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	p := federationtest.Person{Subject: "eve-1", Email: "eve@example.com", EmailVerified: true}

	h.refused("", mStartOIDC, vars("device", "d1", "provider", "nope", "redirect", oidcRedirect), "VALIDATION_FAILED", federation.ReasonUnknownProvider)
	h.refused("", mStartOIDC, vars("device", "d1", "provider", oidcProvider, "redirect", oidcRedirect+"/../evil"),
		"VALIDATION_FAILED", federation.ReasonRedirectNotAllowed)
	h.refused("", mStartOIDC, vars("device", "d1", "provider", oidcProvider, "redirect", "https://evil.example.com/cb"),
		"VALIDATION_FAILED", federation.ReasonRedirectNotAllowed)

	t.Run("WrongState", func(t *testing.T) {
		code, _ := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		h.refused("", mCompleteOIDC, oidcVars(code, "made-up-state", "d1", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
	})
	t.Run("ReplayedState", func(t *testing.T) {
		code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		var d struct{ CompleteOidcSignIn pwSignInResult }
		h.ok("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), &d)
		must(t, d.CompleteOidcSignIn.Status == "SIGNED_IN", "first completion: %+v", d)
		h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
	})
	t.Run("ReplayedCode", func(t *testing.T) {
		code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		h.ok("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), &struct{}{})
		// A fresh state does not revive a spent code.
		_, state2 := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		h.refused("", mCompleteOIDC, oidcVars(code, state2, "d1", "", true), "INVALID_CODE", federation.ReasonCodeRejected)
	})
	t.Run("UnknownProviderOnCompletion", func(t *testing.T) {
		code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		v := oidcVars(code, state, "d1", "", true)
		v["provider"] = "nope"
		h.refused("", mCompleteOIDC, v, "VALIDATION_FAILED", federation.ReasonUnknownProvider)
	})
	t.Run("ExpiredState", func(t *testing.T) {
		code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
		h.clock.Advance(federation.DefaultConfig().StateTTL)
		h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "CODE_EXPIRED", federation.ReasonStateExpired)
	})
	for _, tc := range []struct {
		name   string
		tweak  func(map[string]any)
		code   string
		reason string
	}{
		{"WrongNonce", func(c map[string]any) { c["nonce"] = "another" }, "UNAUTHENTICATED", federation.ReasonNonceMismatch},
		{"ExpiredIDToken", func(c map[string]any) { c["exp"] = c["iat"].(int64) - 3600 }, "UNAUTHENTICATED", federation.ReasonIDTokenInvalid},
		{"WrongAudience", func(c map[string]any) { c["aud"] = "another-client" }, "UNAUTHENTICATED", federation.ReasonIDTokenInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op.Tweak(tc.tweak)
			defer op.Tweak(nil)
			code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
			h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), tc.code, tc.reason)
		})
	}
	t.Run("BoundToTheStartingDevice", func(t *testing.T) {
		var d struct{ StartOidcSignIn oidcFlow }
		h.ok("", `mutation($p: String!, $r: String!, $d: String!) { startOidcSignIn(input: {provider: $p, redirectUri: $r, deviceId: $d}) { authorizationUrl state } }`,
			vars("p", oidcProvider, "r", oidcRedirect, "d", "victim-phone"), &d)
		op.SignsInAs(p)
		code, state := op.Authorize(t, d.StartOidcSignIn.AuthorizationURL)
		// Planted on another device: refused, and spent.
		h.refused("", mCompleteOIDC, oidcVars(code, state, "attacker-phone", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
		h.refused("", mCompleteOIDC, oidcVars(code, state, "victim-phone", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
		h.ok("", `mutation($p: String!, $r: String!, $d: String!) { startOidcSignIn(input: {provider: $p, redirectUri: $r, deviceId: $d}) { authorizationUrl state } }`,
			vars("p", oidcProvider, "r", oidcRedirect, "d", "victim-phone"), &d)
		code, state = op.Authorize(t, d.StartOidcSignIn.AuthorizationURL)
		var c struct{ CompleteOidcSignIn pwSignInResult }
		h.ok("", mCompleteOIDC, oidcVars(code, state, "victim-phone", "", true), &c)
		must(t, c.CompleteOidcSignIn.Status != "", "the starting device completes: %+v", c)
	})
	t.Run("LinkStateIsNotASignIn", func(t *testing.T) {
		u := h.emailUser("fred@example.com", strongPassword, "", "Fred", "fred-laptop")
		code, state := h.oidcAuthorize(op, u.AccessToken, mStartLink, p, "")
		h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
		// Nor is it another user's to complete.
		code, state = h.oidcAuthorize(op, u.AccessToken, mStartLink, p, "")
		gus := h.emailUser("gus@example.com", strongPassword, "", "Gus", "gus-laptop")
		h.refused(gus.AccessToken, mLinkOIDC, vars("provider", oidcProvider, "code", code, "state", state),
			"INVALID_CODE", federation.ReasonStateInvalid)
	})
}

// TestOIDCParallelCompletesSpendTheStateOnce: one state, many completions
// at once: one signs in, the others are refused, and the provider is
// asked once.
func TestOIDCParallelCompletesSpendTheStateOnce(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	code, state := h.oidcAuthorize(op, "", mStartOIDC, federationtest.Person{Subject: "par", Email: "par@example.com", EmailVerified: true}, "d1")
	var wg sync.WaitGroup
	var mu sync.Mutex
	signedIn, refused := 0, 0
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := h.post("", mCompleteOIDC, oidcVars(code, state, "d1", "", true))
			mu.Lock()
			defer mu.Unlock()
			switch {
			case len(r.Errors) == 0:
				signedIn++
			case r.code() == "INVALID_CODE" && reasonOf(r) == federation.ReasonStateInvalid:
				refused++
			default:
				t.Errorf("unexpected answer: %+v", r.Errors)
			}
		}()
	}
	wg.Wait()
	must(t, signedIn == 1 && refused == 5, "%d signed in, %d refused; want 1 and 5", signedIn, refused)
	must(t, op.Exchanges() == 1, "the provider was asked %d times for one state", op.Exchanges())
}

// TestOIDCProviderDownAnswersUnavailable: a provider that does not answer
// at start stops nothing but its own sign-ins, which answer UNAVAILABLE
// (not the client's fault).
func TestOIDCProviderDownAnswersUnavailable(t *testing.T) {
	op := federationtest.NewOP(t)
	op.SetDown(true)
	h := newOIDCHarness(t, op)
	h.refused("", mStartOIDC, vars("device", "d1", "provider", oidcProvider, "redirect", oidcRedirect), "UNAVAILABLE", federation.ReasonProviderUnavailable)
	// The rest of Gatehouse serves.
	u := h.emailUser("hal@example.com", strongPassword, "", "Hal", "hal-laptop")
	must(t, u.AccessToken != "", "email sign-up while the provider is down")
}

func TestOIDCUnlinkKeepsAWayToSignIn(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	res := h.oidcSignIn(op, federationtest.Person{Subject: "ivy", Email: "ivy@example.com", EmailVerified: true}, "d1", "", true)
	ids := h.myIdentities(res.Auth.AccessToken)
	must(t, len(ids) == 1, "ivy's identities: %+v", ids)
	h.refused(res.Auth.AccessToken, mUnlinkOIDC, vars("id", ids[0].ID), "CONFLICT", federation.ReasonLastSignInMethod)

	// Ivy sets a password the way anyone who forgot one does; then the
	// identity may go, and she signs in with the password.
	before := h.mailCount("ivy@example.com")
	var rr struct{ RequestPasswordReset otpChallenge }
	h.ok("", mRequestReset, vars("username", "ivy@example.com"), &rr)
	h.ok("", mResetPassword, vars("id", rr.RequestPasswordReset.ID, "code", h.nextEmailCode("ivy@example.com", before),
		"new", strongPassword, "confirm", strongPassword), &struct{}{})
	// The reset signed every session out and took every device's trust:
	// Ivy signs in with the password and the emailed code.
	before = h.mailCount("ivy@example.com")
	pw := h.pwSignIn("ivy@example.com", strongPassword, "d1", "")
	must(t, pw.Status == "DEVICE_VERIFICATION_REQUIRED", "password sign-in: %+v", pw)
	ivyToken := h.verifySignIn(pw.Challenge.ID, h.nextEmailCode("ivy@example.com", before)).AccessToken
	var un struct{ UnlinkOidcIdentity bool }
	h.ok(ivyToken, mUnlinkOIDC, vars("id", ids[0].ID), &un)
	must(t, un.UnlinkOidcIdentity && len(h.myIdentities(ivyToken)) == 0, "unlink once a password is set")

	// With a password, the identity may go.
	jo := h.emailUser("jo@example.com", strongPassword, "", "Jo", "jo-laptop")
	code, state := h.oidcAuthorize(op, jo.AccessToken, mStartLink, federationtest.Person{Subject: "jo-g", Email: "jo@example.com"}, "")
	h.ok(jo.AccessToken, mLinkOIDC, vars("provider", oidcProvider, "code", code, "state", state), &struct{}{})
	ids = h.myIdentities(jo.AccessToken)
	// Another user's identity id is not found.
	h.fails(ivyToken, mUnlinkOIDC, vars("id", ids[0].ID), "NOT_FOUND")
	var d struct{ UnlinkOidcIdentity bool }
	h.ok(jo.AccessToken, mUnlinkOIDC, vars("id", ids[0].ID), &d)
	must(t, d.UnlinkOidcIdentity && len(h.myIdentities(jo.AccessToken)) == 0, "unlink: %+v", d)
}

func TestOIDCStaffSeeIdentitiesAndDeletionForgetsThem(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	kim := h.emailUser("kim@example.com", strongPassword, "", "Kim", "kim-laptop")
	person := federationtest.Person{Subject: "kim-g", Email: "kim@example.com", EmailVerified: true}
	must(t, h.oidcSignIn(op, person, "kim-laptop", kim.secret(), false).Status == "SIGNED_IN", "kim's linked sign-in")

	support := h.staff("SUPPORT", "+447911124913")
	var d struct {
		User struct{ Identities []linkedIdentity }
	}
	h.ok(support.token, qUserIdentities, vars("id", kim.User.ID), &d)
	must(t, len(d.User.Identities) == 1 && d.User.Identities[0].Email == "kim@example.com", "support reads: %+v", d)
	other := h.emailUser("lee@example.com", strongPassword, "", "Lee", "lee-laptop")
	h.fails(other.AccessToken, qUserIdentities, vars("id", kim.User.ID), "FORBIDDEN")

	h.ok(kim.AccessToken, mDeleteMe, vars("password", strongPassword), &struct{}{})
	// The identity no longer opens the deleted account: it would make a
	// new one (and asks for the terms for it).
	code, state := h.oidcAuthorize(op, "", mStartOIDC, person, "kim-laptop")
	h.refused("", mCompleteOIDC, oidcVars(code, state, "kim-laptop", "", false), "VALIDATION_FAILED", "TERMS_NOT_ACCEPTED")
}

// TestOIDCSecretsStayOutOfTheLogs: the client secret, the provider's code
// and the state are credentials; none reaches the log, refused or not.
func TestOIDCSecretsStayOutOfTheLogs(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	person := federationtest.Person{Subject: "max", Email: "max@example.com", EmailVerified: true}
	code, state := h.oidcAuthorize(op, "", mStartOIDC, person, "d1")
	h.ok("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), &struct{}{})
	h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
	logs := h.logs.String()
	must(t, strings.Contains(logs, "completeOidcSignIn"), "the requests were not logged: nothing to check")
	for name, secret := range map[string]string{"client secret": op.ClientSecret, "code": code, "state": state} {
		must(t, !strings.Contains(logs, secret), "the %s is in the log", name)
	}
}

// TestOIDCIdentitiesOfAPageCostOneStatement: staff asking a page of users
// for their identities read them in one statement, for 5 users as for 30.
func TestOIDCIdentitiesOfAPageCostOneStatement(t *testing.T) {
	op := federationtest.NewOP(t)
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)}, func(c *app.Config) {
		c.OIDCProviders = []federation.Provider{{Name: oidcProvider, Issuer: op.URL, ClientID: op.ClientID,
			ClientSecret: federation.Secret(op.ClientSecret), RedirectURIs: []string{oidcRedirect}}}
		c.SessionCacheTTL = 0
		c.OIDCFlowsPerMinute = 100 // 30 sign-ups from one address
	})
	support := h.staff("SUPPORT", "+447911124914")
	for i := range 30 {
		p := federationtest.Person{Subject: fmt.Sprintf("s-%d", i), Email: fmt.Sprintf("u%d@example.com", i), EmailVerified: true}
		must(t, h.oidcSignIn(op, p, "d1", "", true).Status == "SIGNED_IN", "sign-up %d", i)
	}
	const q = `query($n: Int!) { users(first: $n) { edges { node { id identities { provider email } } } } }`
	page := func(n int) int {
		var d struct {
			Users struct {
				Edges []struct {
					Node struct{ Identities []linkedIdentity }
				}
			}
		}
		stmts := log.during(func() { h.ok(support.token, q, vars("n", n), &d) })
		linked := 0
		for _, e := range d.Users.Edges {
			linked += len(e.Node.Identities)
		}
		must(t, linked >= n-1, "page of %d shows %d identities", n, linked)
		return touching(stmts, "federated_identities")
	}
	five, thirty := page(5), page(30)
	must(t, five == 1 && thirty == 1, "identities read in %d statements for 5 users, %d for 30", five, thirty)
}

// TestOIDCFlowsAreRateLimitedPerClient: starts past the limit answer
// RATE_LIMITED; a minute later they work again.
func TestOIDCFlowsAreRateLimitedPerClient(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op, func(c *app.Config) { c.OIDCFlowsPerMinute = 2 })
	v := vars("device", "d1", "provider", oidcProvider, "redirect", oidcRedirect)
	h.ok("", mStartOIDC, v, &struct{}{})
	h.ok("", mStartOIDC, v, &struct{}{})
	h.fails("", mStartOIDC, v, "RATE_LIMITED")
	h.clock.Advance(time.Minute)
	h.ok("", mStartOIDC, v, &struct{}{})
}

// TestOIDCSignInsAreCounted: a provider sign-in that opens a session, and
// one refused, move gatehouse_sign_ins_total{method="oidc"}.
func TestOIDCSignInsAreCounted(t *testing.T) {
	op := federationtest.NewOP(t)
	h := newOIDCHarness(t, op)
	p := federationtest.Person{Subject: "ola", Email: "ola@example.com", EmailVerified: true}
	first := h.oidcSignIn(op, p, "d1", "", true) // a sign-up (signup.oidc), not counted as a sign-in
	h.oidcSignIn(op, p, "d1", first.Auth.secret(), false)
	code, _ := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
	h.refused("", mCompleteOIDC, oidcVars(code, "forged", "d1", "", false), "INVALID_CODE", federation.ReasonStateInvalid)
	_, body := scrape(t, h.srv.URL)
	ok, failed := sample(body, `gatehouse_sign_ins_total{method="oidc",result="succeeded"}`),
		sample(body, `gatehouse_sign_ins_total{method="oidc",result="failed"}`)
	must(t, ok == 1 && failed == 1, "oidc sign-ins counted %v succeeded, %v failed", ok, failed)
}
