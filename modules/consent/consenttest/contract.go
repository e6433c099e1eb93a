package consenttest

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/ports"
)

// Admin is what the pages use of the OAuth2 server.
type Admin interface {
	consent.Challenges
	consent.Grants
}

// Driver is an OAuth2 server under test, with what the suite needs to play
// the app and the browser around it.
type Driver interface {
	// Admin is the implementation under test.
	Admin() Admin
	// Unreachable is the same implementation bound to a server that does
	// not answer.
	Unreachable(t *testing.T) Admin
	// NewApp registers an app allowed to ask for scopes.
	NewApp(t *testing.T, name string, scopes []string) consent.Client
	// NewBrowser is a browser with no cookies at the server yet.
	NewBrowser(t *testing.T) Browser
	// Introspect asks the server about an access token: whether it is
	// active, and the claims the consent added to it.
	Introspect(t *testing.T, accessToken string) (active bool, claims map[string]any)
}

// Browser is a person's browser, and the app it is sent back to.
type Browser interface {
	// Authorize is the app sending the browser to the server to ask for
	// scopes; it returns where the server sent the browser.
	Authorize(t *testing.T, app consent.Client, scopes []string) Step
	// Follow sends the browser to redirectTo, an answer of Accept… or
	// Reject…, and returns where the server sent it.
	Follow(t *testing.T, redirectTo string) Step
	// Exchange is the app trading the code of step (the app's callback)
	// for tokens; the id token's signature is checked where there is one.
	Exchange(t *testing.T, step Step) Tokens
	// Logout sends the browser to the server's logout endpoint.
	Logout(t *testing.T) Step
}

// Step is where the server sent the browser: one of the pages (its
// challenge), the app's redirect URI (code or error), or the page after a
// logout.
type Step struct {
	URL                                  string
	Login, Consent, Logout               string
	Code, State, Error, ErrorDescription string
	LoggedOut                            bool
	App                                  consent.Client // set by Authorize, kept by Follow
	PKCEVerifier                         string         // the app's, for Exchange
}

// ParseStep reads a URL the browser was sent to.
func ParseStep(u string) Step {
	s := Step{URL: u}
	p, err := url.Parse(u)
	if err != nil {
		return s
	}
	q := p.Query()
	s.Login, s.Consent, s.Logout = q.Get("login_challenge"), q.Get("consent_challenge"), q.Get("logout_challenge")
	s.Code, s.State, s.Error, s.ErrorDescription = q.Get("code"), q.Get("state"), q.Get("error"), q.Get("error_description")
	return s
}

func (s Step) String() string {
	switch {
	case s.Login != "":
		return "login page"
	case s.Consent != "":
		return "consent page"
	case s.Logout != "":
		return "logout page"
	case s.Code != "":
		return "app callback with a code"
	case s.Error != "":
		return fmt.Sprintf("app callback with error %s (%s)", s.Error, s.ErrorDescription)
	case s.LoggedOut:
		return "logged out"
	}
	return "unexpected " + s.URL
}

// Run runs the contract suite against d. The cases share d's server, each
// with its own app, browser and subject.
func Run(t *testing.T, d Driver) {
	cases := []struct {
		name string
		run  func(*testing.T, Driver)
	}{
		{"LoginRequestRead", loginRequestRead},
		{"AcceptedFlowGivesTokensWithClaims", acceptedFlow},
		{"ConsentAnsweredTwiceGivesOneCode", answeredTwice},
		{"UnknownChallengeIsGone", unknownGone},
		{"RejectedLogin", rejectedLogin},
		{"RejectedConsent", rejectedConsent},
		{"RememberedLoginAndConsentSkip", remembered},
		{"ConsentsListedThenRevoked", listedThenRevoked},
		{"Logout", logoutFlow},
		{"Unreachable", unreachable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, d) })
	}
}

var ctx = context.Background()

func subject() string { return "user-" + token()[:12] }

// login takes a fresh browser through the login page with sub and returns
// the step on the consent page.
func login(t *testing.T, d Driver, b Browser, app consent.Client, scopes []string, a consent.LoginAcceptance) Step {
	t.Helper()
	st := b.Authorize(t, app, scopes)
	want(t, st.Login != "", "authorize: want the login page, got %s", st)
	to, err := d.Admin().AcceptLogin(ctx, st.Login, a)
	noErr(t, err)
	next := b.Follow(t, to)
	want(t, next.Consent != "", "after accepting the login: want the consent page, got %s", next)
	return next
}

// complete completes a login and a consent of scopes and returns the app's
// callback.
func complete(t *testing.T, d Driver, b Browser, app consent.Client, scopes []string, la consent.LoginAcceptance,
	ca consent.ConsentAcceptance) Step {
	t.Helper()
	st := login(t, d, b, app, scopes, la)
	to, err := d.Admin().AcceptConsent(ctx, st.Consent, ca)
	noErr(t, err)
	cb := b.Follow(t, to)
	want(t, cb.Code != "", "after accepting the consent: want the app's callback with a code, got %s", cb)
	return cb
}

func loginRequestRead(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid", "email", "phone"})
	st := d.NewBrowser(t).Authorize(t, app, []string{"openid", "email"})
	want(t, st.Login != "", "authorize: want the login page, got %s", st)
	r, err := d.Admin().LoginRequest(ctx, st.Login)
	noErr(t, err)
	want(t, r.Challenge == st.Login, "challenge %q, want %q", r.Challenge, st.Login)
	want(t, r.Client.ID == app.ID && r.Client.Name == "Budget Planner", "client %+v, want %+v", r.Client, app)
	want(t, !r.Skip && r.Subject == "", "a new browser: skip %v subject %q", r.Skip, r.Subject)
	want(t, slices.Equal(r.RequestedScopes, []string{"openid", "email"}), "requested scopes %v", r.RequestedScopes)
	want(t, r.RequestURL != "", "no request URL")
}

func acceptedFlow(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid", "email", "phone"})
	b, sub := d.NewBrowser(t), subject()
	st := login(t, d, b, app, []string{"openid", "email"}, consent.LoginAcceptance{Subject: sub, AMR: []string{"pin", "otp"}})
	r, err := d.Admin().ConsentRequest(ctx, st.Consent)
	noErr(t, err)
	want(t, r.Challenge == st.Consent && r.Subject == sub && r.Client.ID == app.ID && r.Client.Name == "Budget Planner" && !r.Skip,
		"consent request %+v", r)
	want(t, slices.Equal(r.RequestedScopes, []string{"openid", "email"}), "requested scopes %v", r.RequestedScopes)

	to, err := d.Admin().AcceptConsent(ctx, st.Consent, consent.ConsentAcceptance{GrantScopes: []string{"openid", "email"},
		IDToken:     map[string]any{"email": "ana@example.com", "email_verified": true},
		AccessToken: map[string]any{"kyc_level": 2}})
	noErr(t, err)
	cb := b.Follow(t, to)
	want(t, cb.Code != "", "after accepting the consent: want the app's callback with a code, got %s", cb)
	tok := b.Exchange(t, cb)
	want(t, tok.IDToken["sub"] == sub, "id token sub %v, want %s", tok.IDToken["sub"], sub)
	want(t, tok.IDToken["email"] == "ana@example.com" && tok.IDToken["email_verified"] == true, "id token claims %v", tok.IDToken)
	want(t, hasAll(tok.IDToken["amr"], "pin", "otp"), "id token amr %v, want pin and otp", tok.IDToken["amr"])
	want(t, audContains(tok.IDToken["aud"], app.ID), "id token aud %v, want %s", tok.IDToken["aud"], app.ID)
	active, claims := d.Introspect(t, tok.AccessToken)
	want(t, active, "the access token is not active")
	want(t, fmt.Sprint(claims["kyc_level"]) == "2", "access token claims %v, want kyc_level 2", claims)
}

// answeredTwice: a consent challenge answered twice (a double submit, a
// replay) gives the app one code. Hydra v2.3 takes the second answer too
// (its challenges carry the flow, nothing marks them used); the browser
// following it lands at the app with an error. An implementation may
// instead refuse the second answer with ErrChallengeGone.
func answeredTwice(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid"})
	b, sub := d.NewBrowser(t), subject()
	st := login(t, d, b, app, []string{"openid"}, consent.LoginAcceptance{Subject: sub})
	first, err := d.Admin().AcceptConsent(ctx, st.Consent, consent.ConsentAcceptance{GrantScopes: []string{"openid"}})
	noErr(t, err)
	second, secondErr := d.Admin().AcceptConsent(ctx, st.Consent, consent.ConsentAcceptance{GrantScopes: []string{"openid"}})
	cb := b.Follow(t, first)
	want(t, cb.Code != "", "the first answer: want a code, got %s", cb)
	if secondErr != nil {
		gone(t, secondErr, "answering a consent challenge twice")
	} else {
		again := b.Follow(t, second)
		want(t, again.Code == "" && again.Error != "", "following the second answer: want an error at the app, got %s", again)
	}
	// After the app got its code, a late refusal changes nothing either.
	late, err := d.Admin().RejectConsent(ctx, st.Consent, consent.Refusal{Error: "access_denied"})
	if err != nil {
		gone(t, err, "rejecting an answered consent challenge")
	} else {
		again := b.Follow(t, late)
		want(t, again.Code == "" && again.Error != "", "following a late refusal: got %s", again)
	}
	tok := b.Exchange(t, cb)
	want(t, tok.AccessToken != "", "the first answer's code gives no access token")
}

func unknownGone(t *testing.T, d Driver) {
	a := d.Admin()
	_, err := a.LoginRequest(ctx, "no-such-challenge")
	gone(t, err, "reading an unknown login challenge")
	_, err = a.AcceptLogin(ctx, "no-such-challenge", consent.LoginAcceptance{Subject: subject()})
	gone(t, err, "accepting an unknown login challenge")
	_, err = a.RejectLogin(ctx, "no-such-challenge", consent.Refusal{Error: "access_denied"})
	gone(t, err, "rejecting an unknown login challenge")
	_, err = a.ConsentRequest(ctx, "no-such-challenge")
	gone(t, err, "reading an unknown consent challenge")
	_, err = a.AcceptConsent(ctx, "no-such-challenge", consent.ConsentAcceptance{})
	gone(t, err, "accepting an unknown consent challenge")
	_, err = a.LogoutRequest(ctx, "no-such-challenge")
	gone(t, err, "reading an unknown logout challenge")
	_, err = a.AcceptLogout(ctx, "no-such-challenge")
	gone(t, err, "accepting an unknown logout challenge")
}

func rejectedLogin(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid"})
	b := d.NewBrowser(t)
	st := b.Authorize(t, app, []string{"openid"})
	want(t, st.Login != "", "want the login page, got %s", st)
	to, err := d.Admin().RejectLogin(ctx, st.Login, consent.Refusal{Error: "access_denied", Description: "The person cancelled the sign-in."})
	noErr(t, err)
	cb := b.Follow(t, to)
	want(t, cb.Error == "access_denied", "after rejecting the login: want access_denied at the app, got %s", cb)
	want(t, strings.Contains(cb.ErrorDescription, "cancelled"), "error description %q", cb.ErrorDescription)
	want(t, cb.State == st.State, "state %q, want %q", cb.State, st.State)
}

func rejectedConsent(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid"})
	b := d.NewBrowser(t)
	st := login(t, d, b, app, []string{"openid"}, consent.LoginAcceptance{Subject: subject()})
	to, err := d.Admin().RejectConsent(ctx, st.Consent, consent.Refusal{Error: "access_denied", Description: "The person did not allow it."})
	noErr(t, err)
	cb := b.Follow(t, to)
	want(t, cb.Error == "access_denied", "after rejecting the consent: want access_denied at the app, got %s", cb)
	want(t, strings.Contains(cb.ErrorDescription, "did not allow"), "error description %q", cb.ErrorDescription)
}

func remembered(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid", "email"})
	b, sub := d.NewBrowser(t), subject()
	complete(t, d, b, app, []string{"openid", "email"}, consent.LoginAcceptance{Subject: sub, Remember: true, RememberFor: time.Hour},
		consent.ConsentAcceptance{GrantScopes: []string{"openid", "email"}, Remember: true, RememberFor: time.Hour})

	// The same browser again: the server remembers the login and the
	// consent; the pages accept without asking.
	st := b.Authorize(t, app, []string{"openid"})
	want(t, st.Login != "", "want the login page, got %s", st)
	r, err := d.Admin().LoginRequest(ctx, st.Login)
	noErr(t, err)
	want(t, r.Skip && r.Subject == sub, "remembered login: skip %v subject %q, want true %q", r.Skip, r.Subject, sub)
	to, err := d.Admin().AcceptLogin(ctx, st.Login, consent.LoginAcceptance{Subject: sub})
	noErr(t, err)
	next := b.Follow(t, to)
	want(t, next.Consent != "", "want the consent page, got %s", next)
	cr, err := d.Admin().ConsentRequest(ctx, next.Consent)
	noErr(t, err)
	want(t, cr.Skip && cr.Subject == sub, "remembered consent: skip %v subject %q", cr.Skip, cr.Subject)
	to, err = d.Admin().AcceptConsent(ctx, next.Consent, consent.ConsentAcceptance{GrantScopes: cr.RequestedScopes})
	noErr(t, err)
	cb := b.Follow(t, to)
	want(t, cb.Code != "", "want a code, got %s", cb)

	// Another browser is a stranger.
	st = d.NewBrowser(t).Authorize(t, app, []string{"openid"})
	r, err = d.Admin().LoginRequest(ctx, st.Login)
	noErr(t, err)
	want(t, !r.Skip, "another browser's login is skipped")
}

func listedThenRevoked(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid", "email"})
	other := d.NewApp(t, "Tax Helper", []string{"openid"})
	b, sub := d.NewBrowser(t), subject()
	before := time.Now().Add(-time.Minute)
	cb := complete(t, d, b, app, []string{"openid", "email"}, consent.LoginAcceptance{Subject: sub},
		consent.ConsentAcceptance{GrantScopes: []string{"openid", "email"}, Remember: true, RememberFor: time.Hour})
	tok := b.Exchange(t, cb)
	complete(t, d, d.NewBrowser(t), other, []string{"openid"}, consent.LoginAcceptance{Subject: sub},
		consent.ConsentAcceptance{GrantScopes: []string{"openid"}})

	list, err := d.Admin().Consents(ctx, sub)
	noErr(t, err)
	want(t, len(list) == 2, "want 2 consents, got %+v", list)
	byID := map[string]consent.AppConsent{}
	for _, c := range list {
		byID[c.Client.ID] = c
	}
	c := byID[app.ID]
	want(t, c.Client.Name == "Budget Planner" && slices.Equal(c.Scopes, []string{"openid", "email"}), "consent %+v", c)
	want(t, c.Remembered && c.GrantedAt.After(before) && c.ExpiresAt.After(c.GrantedAt.Add(59*time.Minute)),
		"remembered consent: %+v", c)
	o := byID[other.ID]
	want(t, o.Client.Name == "Tax Helper" && !o.Remembered && o.ExpiresAt.IsZero(), "other consent %+v", o)
	want(t, !list[0].GrantedAt.Before(list[1].GrantedAt), "not newest first: %+v", list)

	noErr(t, d.Admin().Revoke(ctx, sub, app.ID))
	list, err = d.Admin().Consents(ctx, sub)
	noErr(t, err)
	want(t, len(list) == 1 && list[0].Client.ID == other.ID, "after revoking, want only the other app: %+v", list)
	active, _ := d.Introspect(t, tok.AccessToken)
	want(t, !active, "the access token is still active after its consent was revoked")
	noErr(t, d.Admin().Revoke(ctx, sub, app.ID)) // again: nothing there, not an error

	none, err := d.Admin().Consents(ctx, subject())
	noErr(t, err)
	want(t, none != nil && len(none) == 0, "a subject without consents: want an empty list, got %#v", none)
}

func logoutFlow(t *testing.T, d Driver) {
	app := d.NewApp(t, "Budget Planner", []string{"openid"})
	b, sub := d.NewBrowser(t), subject()
	complete(t, d, b, app, []string{"openid"}, consent.LoginAcceptance{Subject: sub, Remember: true},
		consent.ConsentAcceptance{GrantScopes: []string{"openid"}})

	st := b.Logout(t)
	want(t, st.Logout != "", "want the logout page, got %s", st)
	r, err := d.Admin().LogoutRequest(ctx, st.Logout)
	noErr(t, err)
	want(t, r.Challenge == st.Logout && r.Subject == sub && r.SessionID != "" && !r.RPInitiated, "logout request %+v", r)
	to, err := d.Admin().AcceptLogout(ctx, st.Logout)
	noErr(t, err)
	done := b.Follow(t, to)
	want(t, done.LoggedOut, "after accepting the logout: got %s", done)
	_, err = d.Admin().LogoutRequest(ctx, st.Logout)
	gone(t, err, "reading an accepted logout challenge")

	// Logged out: the next login is asked for again.
	next := b.Authorize(t, app, []string{"openid"})
	lr, err := d.Admin().LoginRequest(ctx, next.Login)
	noErr(t, err)
	want(t, !lr.Skip, "the login is still remembered after logout")

	// A logout the person declines keeps the login.
	b2 := d.NewBrowser(t)
	complete(t, d, b2, app, []string{"openid"}, consent.LoginAcceptance{Subject: sub, Remember: true},
		consent.ConsentAcceptance{GrantScopes: []string{"openid"}})
	st = b2.Logout(t)
	want(t, st.Logout != "", "want the logout page, got %s", st)
	noErr(t, d.Admin().RejectLogout(ctx, st.Logout))
	next = b2.Authorize(t, app, []string{"openid"})
	lr, err = d.Admin().LoginRequest(ctx, next.Login)
	noErr(t, err)
	want(t, lr.Skip && lr.Subject == sub, "after a declined logout the login is no longer remembered")
}

func unreachable(t *testing.T, d Driver) {
	a := d.Unreachable(t)
	checks := map[string]error{}
	_, checks["LoginRequest"] = a.LoginRequest(ctx, "some-challenge")
	_, checks["AcceptLogin"] = a.AcceptLogin(ctx, "some-challenge", consent.LoginAcceptance{Subject: subject()})
	_, checks["ConsentRequest"] = a.ConsentRequest(ctx, "some-challenge")
	_, checks["AcceptConsent"] = a.AcceptConsent(ctx, "some-challenge", consent.ConsentAcceptance{})
	_, checks["LogoutRequest"] = a.LogoutRequest(ctx, "some-challenge")
	_, checks["Consents"] = a.Consents(ctx, subject())
	checks["Revoke"] = a.Revoke(ctx, subject(), "some-app")
	for name, err := range checks {
		var pe *ports.Error
		want(t, errors.As(err, &pe) && pe.Code == ports.CodeUnavailable && pe.RetryAfter > 0,
			"%s with the server down: want UNAVAILABLE with a retry, got %v", name, err)
		want(t, !errors.Is(err, consent.ErrChallengeGone), "%s with the server down is not a gone challenge", name)
	}
}

func gone(t *testing.T, err error, what string) {
	t.Helper()
	want(t, errors.Is(err, consent.ErrChallengeGone), "%s: want ErrChallengeGone, got %v", what, err)
}

func hasAll(v any, want ...string) bool {
	var have []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			have = append(have, fmt.Sprint(e))
		}
	case []string:
		have = x
	}
	return containsAll(have, want)
}

func audContains(v any, id string) bool {
	if s, ok := v.(string); ok {
		return s == id
	}
	return hasAll(v, id)
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func want(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf(format, args...)
	}
}
