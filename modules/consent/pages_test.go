package consent_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/consent/consenttest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

const (
	phone = "+447911123456"
	pin   = "4831"
)

// A new browser signs in with phone + PIN, answers the SMS code, consents
// to some of the scopes; the app's tokens carry the user id and the
// claims of the granted scopes only. The same browser, now trusted,
// signs in next time without a code.
func TestPINSignInNewBrowserThenTrusted(t *testing.T) {
	e := newEnv(t)
	u := e.addUser(phone, pin)
	app := e.app("Broker", "openid", "phone", "email", "kyc")
	b := e.browser()

	p := b.signInWithPIN(b.authorize(app, "openid", "phone", "email", "kyc"), phone, pin, false)
	require.Equal(t, http.StatusOK, p.status, p.body)
	assert.Contains(t, p.body, "by SMS to", "a new browser must prove the phone")
	p = b.answerCode("/oauth2/login", p, e.lastSMS(phone))
	consentURL := b.follow(p)
	require.Contains(t, consentURL, "consent_challenge=")

	c := b.get(consentURL)
	require.Equal(t, http.StatusOK, c.status, c.body)
	for _, words := range []string{"Broker", "Your phone number", "Your email address", "Your verification level"} {
		assert.Contains(t, c.body, words)
	}
	// The person unticks email.
	cb := b.follow(b.post("/oauth2/consent", form(t, c.body, "", url.Values{"decision": {"allow"},
		"scope": {"openid", "phone", "kyc"}})))
	st := consenttest.ParseStep(cb)
	require.NotEmpty(t, st.Code, "want a code at the app, got %s", cb)
	tok, err := e.server.Exchange(st.Code)
	require.NoError(t, err)
	assert.Equal(t, []string{"openid", "phone", "kyc"}, tok.Scopes)
	assert.Equal(t, u.ID.String(), tok.IDToken["sub"])
	assert.Equal(t, phone, tok.IDToken["phone_number"])
	assert.Equal(t, true, tok.IDToken["phone_number_verified"])
	assert.Equal(t, 2, tok.IDToken["kyc_level"])
	assert.NotContains(t, tok.IDToken, "email")
	assert.NotContains(t, tok.IDToken, "email_verified")

	// The session the sign-in opened was handed off: no live session, no
	// refresh token left behind.
	live, err := e.sessions.ListLive(context.Background(), u.ID, e.clock.Now())
	require.NoError(t, err)
	assert.Empty(t, live)
	assert.NotEmpty(t, e.activities.WithAction("sign_in.handed_off"))
	assert.NotEmpty(t, e.activities.WithAction("oauth2.login"))
	assert.NotEmpty(t, e.activities.WithAction("oauth2.consent_granted"))

	// Next time: the trusted browser skips the code.
	sent := len(e.sms.MessagesTo(phone))
	p = b.signInWithPIN(b.authorize(app, "openid"), phone, pin, false)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Len(t, e.sms.MessagesTo(phone), sent, "no code for a trusted browser")
}

// A wrong PIN and an unknown phone show GraphQL's one message, and the
// challenge stays unanswered.
func TestWrongPINAndUnknownPhoneAlike(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app("Broker", "openid")
	b := e.browser()
	login := b.authorize(app, "openid")
	for _, ph := range []string{phone, "+447911123457"} {
		p := b.signInWithPIN(login, ph, "9753", false)
		assert.Equal(t, http.StatusUnauthorized, p.status)
		assert.Contains(t, p.body, "The phone number or PIN is not correct.")
		assert.Contains(t, p.body, `role="alert"`)
		assert.NotContains(t, p.body, "9753", "the PIN is never shown back")
	}
	challenge := consenttest.ParseStep(login).Login
	_, err := e.server.LoginRequest(context.Background(), challenge)
	assert.NoError(t, err, "no acceptance after a wrong PIN")
}

// Wrong PINs from the trusted browser lock it, and the page says when to
// try again.
func TestLockedShowsWhenToRetry(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app("Broker", "openid")
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid"), phone, pin, false)
	b.follow(b.answerCode("/oauth2/login", p, e.lastSMS(phone)))
	login := b.authorize(app, "openid")
	var last page
	for range 5 {
		last = b.signInWithPIN(login, phone, "9753", false)
	}
	assert.Equal(t, http.StatusForbidden, last.status, last.body)
	assert.Contains(t, last.body, "Too many wrong PINs; try again later. Try again in 15 minutes.")
}

// Field errors are tied to their fields for screen readers.
func TestFieldErrorsAreDescribed(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	p := b.signInWithPIN(b.authorize(e.app("Broker", "openid"), "openid"), "not a phone", "12", false)
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, `aria-describedby="phone-error"`)
	assert.Contains(t, p.body, `id="phone-error"`)
	assert.Contains(t, p.body, `aria-describedby="pin-error"`)
	assert.Contains(t, p.body, `<html lang="en">`)
	assert.Contains(t, p.body, `<label for="phone">`)
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app("Broker", "openid")
	b := e.browser()
	login := b.authorize(app, "openid")
	p := b.get(login)
	good := form(t, p.body, "pin", url.Values{"phone": {phone}, "pin": {pin}})

	missing := cloneValues(good)
	missing.Del("csrf_token")
	assert.Equal(t, http.StatusForbidden, b.post("/oauth2/login", missing).status)

	wrong := cloneValues(good)
	wrong.Set("csrf_token", strings.Repeat("A", 43))
	assert.Equal(t, http.StatusForbidden, b.post("/oauth2/login", wrong).status)

	// A token for another challenge does not answer this one.
	other := b.get(b.authorize(app, "openid"))
	otherToken := form(t, other.body, "pin", nil).Get("csrf_token")
	swapped := cloneValues(good)
	swapped.Set("csrf_token", otherToken)
	assert.Equal(t, http.StatusForbidden, b.post("/oauth2/login", swapped).status)

	// Another browser (no cookie, or its own) cannot post this form.
	assert.Equal(t, http.StatusForbidden, e.browser().post("/oauth2/login", good).status)
	assert.Empty(t, e.activities.WithAction("sign_in.pin"), "nothing was checked")

	// The right token signs in.
	assert.Equal(t, http.StatusOK, b.post("/oauth2/login", good).status)
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vals := range v {
		c[k] = append([]string(nil), vals...)
	}
	return c
}

// What a form must never be is refused before anything is checked.
func TestHostileForms(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	b := e.browser()
	login := b.authorize(e.app("Broker", "openid"), "openid")
	good := form(t, b.get(login).body, "pin", url.Values{"phone": {phone}, "pin": {pin}})

	big := cloneValues(good)
	big.Set("phone", strings.Repeat("9", 40<<10))
	assert.Equal(t, http.StatusRequestEntityTooLarge, b.post("/oauth2/login", big).status)

	long := cloneValues(good)
	long.Set("phone", strings.Repeat("9", 600))
	assert.Equal(t, http.StatusBadRequest, b.post("/oauth2/login", long).status)

	for _, bad := range []string{"+44\x00791", "+44\xff791", "+44\uFFFD791"} {
		v := cloneValues(good)
		v.Set("phone", bad)
		p := b.post("/oauth2/login", v)
		assert.Equal(t, http.StatusBadRequest, p.status, "%q", bad)
	}
	tooMany := cloneValues(good)
	for i := range 200 {
		tooMany.Add("x", strings.Repeat("y", i%3))
	}
	assert.Equal(t, http.StatusBadRequest, b.post("/oauth2/login", tooMany).status)
	longName := cloneValues(good)
	longName.Set(strings.Repeat("n", 5000), "x")
	p := b.post("/oauth2/login", longName)
	assert.Equal(t, http.StatusBadRequest, p.status)
	assert.NotContains(t, p.body, strings.Repeat("n", 100), "the name is not echoed")
	assert.Empty(t, e.activities.WithAction("sign_in.pin"))

	// A challenge that is no challenge: the "open this from an app" page.
	p = b.get(e.http.URL + "/oauth2/login?login_challenge=" + url.QueryEscape("a b<script>"))
	assert.Equal(t, http.StatusBadRequest, p.status)
	assert.NotContains(t, p.body, "<script>")
	p = b.get(e.http.URL + "/oauth2/login")
	assert.Equal(t, http.StatusBadRequest, p.status)
}

// The client's name is text, never markup; scopes Gatehouse does not
// know are shown by name, escaped too.
func TestConsentPageEscapesTheClient(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app(`<img src=x onerror=alert(1)>Evil`, "openid", `<b>x</b>`)
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid", `<b>x</b>`), phone, pin, false)
	c := b.get(b.follow(b.answerCode("/oauth2/login", p, e.lastSMS(phone))))
	require.Equal(t, http.StatusOK, c.status)
	assert.NotContains(t, c.body, "<img")
	assert.NotContains(t, c.body, "<b>x</b>")
	assert.Contains(t, c.body, "&lt;img src=x onerror=alert(1)&gt;Evil")
}

// Denying consent sends the app access_denied.
func TestConsentDenied(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app("Broker", "openid", "email")
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid", "email"), phone, pin, false)
	c := b.get(b.follow(b.answerCode("/oauth2/login", p, e.lastSMS(phone))))
	cb := consenttest.ParseStep(b.follow(b.post("/oauth2/consent", form(t, c.body, "", url.Values{"decision": {"deny"}}))))
	assert.Equal(t, "access_denied", cb.Error)
	assert.Empty(t, cb.Code)
	assert.NotEmpty(t, e.activities.WithAction("oauth2.consent_denied"))
}

// A challenge the server no longer knows (expired, never issued, a
// logout answered already) is a clear page, never the server's text.
func TestGoneChallenge(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app("Broker", "openid")
	b := e.browser()
	login := b.authorize(app, "openid")
	stale := form(t, b.get(login).body, "pin", url.Values{"phone": {phone}, "pin": {pin}})
	e.clock.Advance(31 * time.Minute) // past the server's 30-minute TTL

	for _, u := range []string{login, e.http.URL + "/oauth2/login?login_challenge=nope",
		e.http.URL + "/oauth2/consent?consent_challenge=nope", e.http.URL + "/oauth2/logout?logout_challenge=nope",
		e.http.URL + "/oauth2/register?login_challenge=nope"} {
		g := b.get(u)
		assert.Equal(t, http.StatusGone, g.status, u)
		assert.Contains(t, g.body, "Go back to the app", u)
		assert.NotContains(t, g.body, "consenttest")
	}
	// Posting an expired challenge's form is gone too, and checks nothing.
	assert.Equal(t, http.StatusGone, b.post("/oauth2/login", stale).status)
	assert.Empty(t, e.activities.WithAction("sign_in.pin"))

	// A logout answered is gone.
	b2 := e.browser()
	p := b2.signInWithPIN(b2.authorize(app, "openid"), phone, pin, true)
	c := b2.get(b2.follow(b2.answerCode("/oauth2/login", p, e.lastSMS(phone))))
	b2.follow(b2.post("/oauth2/consent", form(t, c.body, "", url.Values{"decision": {"allow"}, "scope": {"openid"}})))
	out, err := e.server.Logout(b2.name)
	require.NoError(t, err)
	lp := b2.get(out)
	b2.follow(b2.post("/oauth2/logout", form(t, lp.body, "", url.Values{"decision": {"logout"}})))
	assert.Equal(t, http.StatusGone, b2.get(out).status)
}

// "Remember me" makes the next login skip the page; a person blocked
// since is refused, never let in.
func TestRememberedLogin(t *testing.T) {
	e := newEnv(t)
	u := e.addUser(phone, pin)
	app := e.app("Broker", "openid", "phone")
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid", "phone"), phone, pin, true)
	p = b.answerCode("/oauth2/login", p, e.lastSMS(phone))
	c := b.get(b.follow(p))
	b.follow(b.post("/oauth2/consent", form(t, c.body, "", url.Values{"decision": {"allow"},
		"scope": {"openid", "phone"}, "remember": {"1"}})))

	// Remembered login and consent: no page asks anything.
	skip := b.get(b.authorize(app, "openid", "phone"))
	require.Equal(t, http.StatusSeeOther, skip.status, skip.body)
	consentURL := b.follow(skip)
	cs := b.get(consentURL)
	require.Equal(t, http.StatusSeeOther, cs.status, cs.body)
	tok, err := e.server.Exchange(consenttest.ParseStep(b.follow(cs)).Code)
	require.NoError(t, err)
	assert.Equal(t, []string{"openid", "phone"}, tok.Scopes)
	assert.Equal(t, phone, tok.IDToken["phone_number"], "claims read fresh on a remembered consent")

	// Blocked since: the remembered login is refused.
	require.NoError(t, e.users.SetState(context.Background(), u.ID, identity.StateBanned, e.clock.Now()))
	refused := b.get(b.authorize(app, "openid"))
	require.Equal(t, http.StatusSeeOther, refused.status, refused.body)
	cb := consenttest.ParseStep(b.follow(refused))
	assert.Equal(t, "access_denied", cb.Error)
}

// The logout page asks first; "Sign out" accepts, "Stay signed in"
// rejects.
func TestLogout(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app("Broker", "openid")
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid"), phone, pin, true)
	c := b.get(b.follow(b.answerCode("/oauth2/login", p, e.lastSMS(phone))))
	b.follow(b.post("/oauth2/consent", form(t, c.body, "", url.Values{"decision": {"allow"}, "scope": {"openid"}})))

	stayURL, err := e.server.Logout(b.name)
	require.NoError(t, err)
	lp := b.get(stayURL)
	require.Equal(t, http.StatusOK, lp.status)
	assert.Contains(t, lp.body, "Do you want to sign out")
	stay := b.post("/oauth2/logout", form(t, lp.body, "", url.Values{"decision": {"stay"}}))
	assert.Equal(t, http.StatusOK, stay.status)
	assert.Contains(t, stay.body, "still signed in")

	outURL, err := e.server.Logout(b.name)
	require.NoError(t, err)
	lp = b.get(outURL)
	out := b.post("/oauth2/logout", form(t, lp.body, "", url.Values{"decision": {"logout"}}))
	assert.Contains(t, b.follow(out), "/logout/callback")
	_, err = e.server.Logout(b.name)
	assert.Error(t, err, "the server's login session is gone")
	assert.NotEmpty(t, e.activities.WithAction("oauth2.logout"))
}

// The pages name the service as the operator does: the title, the
// openid scope, the logout question.
func TestPagesSayTheProductName(t *testing.T) {
	e := newEnvWith(t, envOptions{product: "Acme Wallet"})
	e.addUser(phone, pin)
	app := e.app("Broker", "openid")
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid"), phone, pin, true)
	assert.Contains(t, p.body, "· Acme Wallet</title>")
	c := b.get(b.follow(b.answerCode("/oauth2/login", p, e.lastSMS(phone))))
	assert.Contains(t, c.body, "your Acme Wallet account id")
	b.follow(b.post("/oauth2/consent", form(t, c.body, "", url.Values{"decision": {"allow"}, "scope": {"openid"}})))
	outURL, err := e.server.Logout(b.name)
	require.NoError(t, err)
	lp := b.get(outURL)
	assert.Contains(t, lp.body, "signed in to with Acme Wallet?")
	for _, page := range []string{p.body, c.body, lp.body} {
		assert.NotContains(t, page, "Gatehouse")
	}
}

// Password sign-in from a new browser answers the emailed code.
func TestPasswordSignInWithSecondFactor(t *testing.T) {
	e := newEnv(t)
	app := e.app("Broker", "openid", "email")
	b := e.browser()
	// Sign up through the registration page with email.
	login := b.authorize(app, "openid", "email")
	reg := b.get(strings.Replace(login, "/oauth2/login", "/oauth2/register", 1))
	require.Equal(t, http.StatusOK, reg.status, reg.body)
	p := b.post("/oauth2/register", form(t, reg.body, "email", url.Values{"email": {"ada@example.com"},
		"password": {"correct horse battery staple"}, "name": {"Ada"}, "acceptTerms": {"1"}}))
	code, ok := e.emails.LastCode("ada@example.com")
	require.True(t, ok, p.body)
	c := b.get(b.follow(b.answerCode("/oauth2/register", p, code)))
	cb := consenttest.ParseStep(b.follow(b.post("/oauth2/consent", form(t, c.body, "", url.Values{
		"decision": {"allow"}, "scope": {"openid", "email"}}))))
	tok, err := e.server.Exchange(cb.Code)
	require.NoError(t, err)
	assert.Equal(t, "ada@example.com", tok.IDToken["email"])
	assert.Equal(t, true, tok.IDToken["email_verified"])

	// Another browser: password, then the code by email.
	b2 := e.browser()
	lp := b2.get(b2.authorize(app, "openid"))
	p = b2.post("/oauth2/login", form(t, lp.body, "password", url.Values{"username": {"ada@example.com"},
		"password": {"correct horse battery staple"}}))
	require.Equal(t, http.StatusOK, p.status, p.body)
	assert.Contains(t, p.body, "by email")
	code, _ = e.emails.LastCode("ada@example.com")
	next := b2.follow(b2.answerCode("/oauth2/login", p, code))
	assert.Contains(t, next, "consent_challenge=")

	// A wrong password shows GraphQL's message.
	lp = b2.get(b2.authorize(app, "openid"))
	p = b2.post("/oauth2/login", form(t, lp.body, "password", url.Values{"username": {"ada@example.com"},
		"password": {"wrong password here"}}))
	assert.Equal(t, http.StatusUnauthorized, p.status)
	assert.Contains(t, p.body, "The username or password is not correct.")
}

// Phone registration: phone → code → PIN and terms → the login accepted.
func TestPhoneRegistration(t *testing.T) {
	e := newEnv(t)
	app := e.app("Wallet", "openid", "phone")
	b := e.browser()
	reg := b.get(strings.Replace(b.authorize(app, "openid", "phone"), "/oauth2/login", "/oauth2/register", 1))
	p := b.post("/oauth2/register", form(t, reg.body, "phone", url.Values{"phone": {phone}}))
	p = b.answerCode("/oauth2/register", p, e.lastSMS(phone))
	require.Contains(t, p.body, "Choose your PIN")
	// Terms not accepted: the field says so.
	again := b.post("/oauth2/register", form(t, p.body, "", url.Values{"pin": {pin}, "confirmPin": {pin}}))
	assert.Equal(t, http.StatusUnprocessableEntity, again.status)
	assert.Contains(t, again.body, `aria-describedby="acceptTerms-error"`)
	done := b.post("/oauth2/register", form(t, again.body, "", url.Values{"pin": {pin}, "confirmPin": {pin},
		"acceptTerms": {"1"}}))
	assert.Contains(t, b.follow(done), "consent_challenge=")
	u, err := e.users.GetByPhone(context.Background(), phone)
	require.NoError(t, err)
	assert.True(t, u.HasPIN)
}

// The OAuth2 server unreachable, maintenance and a restriction are pages
// that say so (503, 503, 403).
func TestRefusals(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	login := b.authorize(e.app("Broker", "openid"), "openid")

	e.server.SetDown(true)
	p := b.get(login)
	assert.Equal(t, http.StatusServiceUnavailable, p.status)
	assert.Equal(t, "5", p.header.Get("Retry-After"))
	assert.Contains(t, p.body, "Temporarily unavailable")
	e.server.SetDown(false)

	e.maint.on = true
	p = b.get(login)
	assert.Equal(t, http.StatusServiceUnavailable, p.status)
	assert.Contains(t, p.body, "down for maintenance")
	e.maint.on = false

	e.gate.err = ports.Refusal(ports.CodeAccessRestricted, "BLOCKLOGIN", "sign-in is not allowed from your network")
	e.gate.err.(*ports.Error).RestrictionCode = 42
	p = b.get(login)
	assert.Equal(t, http.StatusForbidden, p.status)
	assert.Contains(t, p.body, "Sign-in is not allowed from your network. (restriction 42)")
}

func TestSecurityHeadersAndCookies(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	p := b.get(b.authorize(e.app("Broker", "openid"), "openid"))
	require.Equal(t, http.StatusOK, p.status)
	csp := p.header.Get("Content-Security-Policy")
	assert.Contains(t, csp, "default-src 'self'")
	assert.Contains(t, csp, "frame-ancestors 'none'")
	assert.Equal(t, "no-store", p.header.Get("Cache-Control"))
	assert.Equal(t, "no-referrer", p.header.Get("Referrer-Policy"))
	assert.Equal(t, "nosniff", p.header.Get("X-Content-Type-Options"))
	assert.NotContains(t, p.body, "<script")
	cookie := p.header.Get("Set-Cookie")
	assert.Contains(t, cookie, "HttpOnly")
	assert.Contains(t, cookie, "SameSite=Lax")
	assert.Contains(t, cookie, "Path=/oauth2/")
}

func TestIDTokenClaimsFollowScopes(t *testing.T) {
	u := identity.User{Email: "a@b.c", Phone: "+441", State: identity.StateActive, Level: 3}
	assert.Empty(t, consent.IDTokenClaims(u, []string{"openid", "offline_access"}))
	assert.Equal(t, map[string]any{"email": "a@b.c", "email_verified": true},
		consent.IDTokenClaims(u, []string{"email"}))
	assert.Equal(t, map[string]any{"phone_number": "+441", "phone_number_verified": true, "kyc_level": 3},
		consent.IDTokenClaims(u, []string{"phone", "kyc"}))
	pending := identity.User{Email: "a@b.c", PendingPhone: "+442", State: identity.StatePending}
	assert.Equal(t, map[string]any{"email": "a@b.c", "email_verified": false, "phone_number": "+442",
		"phone_number_verified": false}, consent.IDTokenClaims(pending, []string{"email", "phone"}))
	assert.Equal(t, "Your email address", consent.ScopeDescription("email", "Acme Wallet"))
	assert.Equal(t, "Access named “trade”", consent.ScopeDescription("trade", "Acme Wallet"))
	assert.Equal(t, "Know who you are (your Acme Wallet account id)", consent.ScopeDescription("openid", "Acme Wallet"))
}

// The person's app consents are listed and revoked; revoking ends the
// app's tokens; an app never consented to is NOT_FOUND.
func TestAppConsents(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	app := e.app("Broker", "openid", "phone")
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid", "phone"), phone, pin, false)
	c := b.get(b.follow(b.answerCode("/oauth2/login", p, e.lastSMS(phone))))
	cb := consenttest.ParseStep(b.follow(b.post("/oauth2/consent", form(t, c.body, "", url.Values{
		"decision": {"allow"}, "scope": {"openid", "phone"}, "remember": {"1"}}))))
	tok, err := e.server.Exchange(cb.Code)
	require.NoError(t, err)

	// The person signs in to Gatehouse itself (the trusted browser's
	// device is another device: a new session on the phone).
	res, err := e.svc.SignIn.SignInWithPIN(context.Background(), identity.PINSignIn{Phone: phone, PIN: pin,
		DeviceKey: "phone-1", DeviceName: "Phone"})
	require.NoError(t, err)
	auth, err := e.svc.SignIn.VerifyDeviceSignIn(context.Background(), res.Challenge.ID, e.lastSMS(phone))
	require.NoError(t, err)
	ctx := identity.WithBearerToken(context.Background(), auth.AccessToken)

	list, err := e.apps.MyAppConsents(ctx)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, app.ID, list[0].Client.ID)
	assert.Equal(t, "Broker", list[0].Client.Name)
	assert.Equal(t, []string{"openid", "phone"}, list[0].Scopes)
	assert.True(t, list[0].Remembered)

	_, err = e.apps.RevokeAppConsent(ctx, "other-app")
	assert.Equal(t, ports.CodeNotFound, ports.ErrorCodeOf(err))
	_, err = e.apps.RevokeAppConsent(ctx, "bad\x00id")
	assert.Equal(t, ports.CodeValidationFailed, ports.ErrorCodeOf(err))

	revoked, err := e.apps.RevokeAppConsent(ctx, app.ID)
	require.NoError(t, err)
	assert.Equal(t, app.ID, revoked.Client.ID)
	assert.False(t, e.server.Active(tok.AccessToken), "revoking ends the app's tokens")
	list, err = e.apps.MyAppConsents(ctx)
	require.NoError(t, err)
	assert.Empty(t, list)
	assert.NotEmpty(t, e.activities.WithAction("oauth2.consent_revoked"))

	_, err = e.apps.MyAppConsents(context.Background())
	assert.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err))

	// No OAuth2 server: nothing to list, nothing to revoke.
	none := consent.NewApps(nil, e.svc.Viewer, e.activities, e.clock, nil)
	list, err = none.MyAppConsents(ctx)
	require.NoError(t, err)
	assert.Empty(t, list)
	_, err = none.RevokeAppConsent(ctx, app.ID)
	assert.Equal(t, ports.CodeNotFound, ports.ErrorCodeOf(err))
	_ = time.Second
}

// Past the sign-in rate limit the page says when to try again, as
// GraphQL's RATE_LIMITED does.
func TestRateLimitedShowsWhenToRetry(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	b := e.browser()
	login := b.authorize(e.app("Broker", "openid"), "openid")
	var last page
	for range identity.DefaultConfig().SignInsPerMinute + 1 {
		last = b.signInWithPIN(login, phone, "9753", false)
	}
	assert.Equal(t, http.StatusTooManyRequests, last.status, last.body)
	assert.Contains(t, last.body, "Too many requests, try again later. Try again in ")
}

// A person blocked between login and consent is refused at the consent
// page: the app gets access_denied, never a code.
func TestConsentRefusedForABlockedPerson(t *testing.T) {
	e := newEnv(t)
	u := e.addUser(phone, pin)
	app := e.app("Broker", "openid")
	b := e.browser()
	p := b.signInWithPIN(b.authorize(app, "openid"), phone, pin, false)
	consentURL := b.follow(b.answerCode("/oauth2/login", p, e.lastSMS(phone)))
	require.NoError(t, e.users.SetState(context.Background(), u.ID, identity.StateBanned, e.clock.Now()))
	c := b.get(consentURL)
	require.Equal(t, http.StatusSeeOther, c.status, c.body)
	cb := consenttest.ParseStep(b.follow(c))
	assert.Equal(t, "access_denied", cb.Error)
	assert.Empty(t, cb.Code)
}

// One client's page requests are bounded (each asks the OAuth2 server
// about its challenge): past the limit a page says when to come back, with
// Retry-After, and the server is not asked.
func TestPagesRateLimited(t *testing.T) {
	e := newEnvLimited(t, 3)
	b := e.browser()
	login := b.authorize(e.app("Broker", "openid"), "openid")
	for range 3 {
		assert.Equal(t, http.StatusOK, b.get(login).status)
	}
	p := b.get(login)
	assert.Equal(t, http.StatusTooManyRequests, p.status)
	assert.Equal(t, "60", p.header.Get("Retry-After"))
	assert.Contains(t, p.body, "Try again in 1 minute.")
	e.server.SetDown(true) // a request that reached the server would be 503
	assert.Equal(t, http.StatusTooManyRequests, b.get(login).status)
	e.server.SetDown(false)
	e.clock.Advance(time.Minute)
	assert.Equal(t, http.StatusOK, b.get(login).status)
}

// The code page sends a fresh code on request, not before the resend
// delay (the page says when), and the fresh code signs in.
func TestResendCode(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, pin)
	b := e.browser()
	p := b.signInWithPIN(b.authorize(e.app("Broker", "openid"), "openid"), phone, pin, false)
	require.Contains(t, p.body, "Send me a new code")
	first := e.lastSMS(phone)

	early := b.post("/oauth2/login", form(t, p.body, "resend", nil))
	assert.Equal(t, http.StatusTooManyRequests, early.status)
	assert.Contains(t, early.body, "Try again in 1 minute.")
	assert.Len(t, e.sms.MessagesTo(phone), 1)

	e.clock.Advance(61 * time.Second)
	again := b.post("/oauth2/login", form(t, early.body, "resend", nil))
	require.Equal(t, http.StatusOK, again.status, again.body)
	require.Len(t, e.sms.MessagesTo(phone), 2)
	fresh := e.lastSMS(phone)
	if fresh != first {
		wrong := b.answerCode("/oauth2/login", again, first)
		assert.Equal(t, http.StatusUnauthorized, wrong.status, "the old code stopped working")
		again = wrong
	}
	// A resend form that names no code step is refused (before the login is
	// answered: that renews the browser's CSRF nonce, and the forms with it).
	bad := form(t, again.body, "resend", url.Values{"code_step": {"pin"}})
	assert.Equal(t, http.StatusBadRequest, b.post("/oauth2/login", bad).status)
	assert.Contains(t, b.follow(b.answerCode("/oauth2/login", again, fresh)), "consent_challenge=")
}

// With the authenticator app on, the password's second factor is the
// app's code or a recovery code; nothing is sent, so nothing is resent.
func TestPasswordSignInWithAuthenticatorApp(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	const email, password = "grace@example.com", "correct horse battery staple"
	ch, err := e.svc.Signup.SignUpWithEmail(ctx, identity.EmailSignup{Email: email, Password: password, Name: "Grace",
		AcceptTerms: true, DeviceKey: "laptop", DeviceName: "Laptop"})
	require.NoError(t, err)
	code, _ := e.emails.LastCode(email)
	auth, err := e.svc.Signup.ConfirmEmail(ctx, ch.ID, code)
	require.NoError(t, err)
	as := identity.WithBearerToken(ctx, auth.AccessToken)
	en, err := e.svc.MFA.StartTOTPEnrollment(as)
	require.NoError(t, err)
	totp, err := identity.TOTPCode(en.Secret, e.clock.Now())
	require.NoError(t, err)
	recovery, err := e.svc.MFA.ConfirmTOTPEnrollment(as, totp)
	require.NoError(t, err)
	require.NotEmpty(t, recovery)

	app := e.app("Broker", "openid")
	signIn := func(b *browser) page {
		lp := b.get(b.authorize(app, "openid"))
		p := b.post("/oauth2/login", form(t, lp.body, "password", url.Values{"username": {email}, "password": {password}}))
		require.Equal(t, http.StatusOK, p.status, p.body)
		assert.Contains(t, p.body, "authenticator app")
		assert.NotContains(t, p.body, "Send me a new code")
		return p
	}
	e.clock.Advance(30 * time.Second)
	totp, err = identity.TOTPCode(en.Secret, e.clock.Now())
	require.NoError(t, err)
	b := e.browser()
	assert.Contains(t, b.follow(b.answerCode("/oauth2/login", signIn(b), totp)), "consent_challenge=")

	b2 := e.browser()
	p := signIn(b2)
	wrong := b2.answerCode("/oauth2/login", p, "000000")
	assert.NotEqual(t, http.StatusSeeOther, wrong.status)
	assert.NotContains(t, wrong.body, "Send me a new code")
	assert.Contains(t, b2.follow(b2.answerCode("/oauth2/login", wrong, recovery[0])), "consent_challenge=")
}
