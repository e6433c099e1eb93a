package app_test

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/adapters/hydra/hydratest"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const (
	qMyAppConsents  = `{ myAppConsents { clientId clientName scopes grantedAt remembered expiresAt } }`
	qUserConsents   = `query($id: ID!) { userAppConsents(userId: $id) { clientId scopes } }`
	mRevokeConsent  = `mutation($c: ID!) { revokeAppConsent(input: {clientId: $c}) { appConsent { clientId scopes } } }`
	oauth2Callback  = "http://127.0.0.1:9/callback" // never reached: the browser stops at it
	oauth2Phone     = "+447911131001"
	oauth2OtherUser = "+447911131002"
)

type gqlAppConsent struct {
	ClientID   string   `json:"clientId"`
	ClientName string   `json:"clientName"`
	Scopes     []string `json:"scopes"`
	Remembered bool     `json:"remembered"`
}

// Without GATEHOUSE_HYDRA_ADMIN_URL the pages are not there and the
// consent fields answer as for a person who consented to nothing.
func TestOAuth2PagesAbsentWithoutHydra(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, p := range []string{"/oauth2/login?login_challenge=x", "/oauth2/consent?consent_challenge=x",
		"/oauth2/logout?logout_challenge=x", "/oauth2/register?login_challenge=x", "/oauth2/pages.css"} {
		res, err := h.srv.Client().Get(h.srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
	}
	u := h.signUp(oauth2Phone, "4831", "device-A")
	var d struct{ MyAppConsents []gqlAppConsent }
	h.ok(u.AccessToken, qMyAppConsents, nil, &d)
	if d.MyAppConsents == nil || len(d.MyAppConsents) != 0 {
		t.Errorf("myAppConsents = %+v, want []", d.MyAppConsents)
	}
	r := h.fails(u.AccessToken, mRevokeConsent, vars("c", "some-app"), "NOT_FOUND")
	if r.Errors[0].Extensions["reason"] != "APP_CONSENT_NOT_FOUND" {
		t.Errorf("reason %v", r.Errors[0].Extensions["reason"])
	}
	h.fails(u.AccessToken, qUserConsents, vars("id", u.User.ID), "FORBIDDEN")
	support := h.staff("SUPPORT", "+447911131003")
	var s struct{ UserAppConsents []gqlAppConsent }
	row := h.audited("userAppConsents", func() { h.ok(support.token, qUserConsents, vars("id", u.User.ID), &s) })
	must(t, row.AdminID == support.id && row.TargetID == u.User.ID, "audit row %+v", row)
	must(t, s.UserAppConsents != nil && len(s.UserAppConsents) == 0, "userAppConsents = %+v", s.UserAppConsents)
	// A bot's key reads the consents (read scope) but never revokes an
	// app's access, as it never revokes a session.
	bot := h.totpUser("bot-owner@example.com")
	key := bot.createKey("read", "write")
	var viaKey struct{ MyAppConsents []gqlAppConsent }
	r = h.postSigned(key, key.Secret, h.nonce(0), "", qMyAppConsents, nil)
	must(t, len(r.Errors) == 0, "myAppConsents with a key: %+v", r.Errors)
	must(t, json.Unmarshal(r.Data, &viaKey) == nil && viaKey.MyAppConsents != nil, "data %s", r.Data)
	refusedWith(t, h.postSigned(key, key.Secret, h.nonce(time.Millisecond), "", mRevokeConsent, vars("c", "some-app")),
		"FORBIDDEN", "PROGRAM_NOT_ALLOWED")
	h.fails("", qMyAppConsents, nil, "UNAUTHENTICATED")
}

// pageBrowser is a person's browser driving Hydra and Gatehouse's pages:
// one cookie jar for both, redirects followed until a page or the app's
// callback.
type pageBrowser struct {
	t *testing.T
	c *http.Client
}

func newPageBrowser(t *testing.T) *pageBrowser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &pageBrowser{t: t, c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// shown is where the browser stopped: a page (its status and body) or the
// app's callback (its URL).
type shown struct {
	status   int
	body     string
	callback *url.URL
}

// walk sends req and follows redirects (Hydra's, the test redirector's,
// the pages') until a page answers or the browser reaches the callback.
func (b *pageBrowser) walk(req *http.Request) shown {
	b.t.Helper()
	for range 20 {
		res, err := b.c.Do(req)
		if err != nil {
			b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode < 300 || res.StatusCode >= 400 {
			return shown{status: res.StatusCode, body: string(body)}
		}
		next, err := req.URL.Parse(res.Header.Get("Location"))
		if err != nil {
			b.t.Fatal(err)
		}
		if strings.HasPrefix(next.String(), oauth2Callback) {
			return shown{status: res.StatusCode, callback: next}
		}
		req, _ = http.NewRequest(http.MethodGet, next.String(), nil)
	}
	b.t.Fatal("too many redirects")
	return shown{}
}

func (b *pageBrowser) get(u string) shown {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return b.walk(req)
}

// submit posts the page's form for step (the first form when "") with
// its hidden fields and extra, to base + the form's action.
func (b *pageBrowser) submit(base string, page shown, step string, extra url.Values) shown {
	b.t.Helper()
	if page.callback != nil {
		b.t.Fatalf("want a page with a form, got the app's callback %v", page.callback)
	}
	for _, f := range pageFormRE.FindAllStringSubmatch(page.body, -1) {
		v := url.Values{}
		for _, m := range pageHiddenRE.FindAllStringSubmatch(f[2], -1) {
			v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		if step != "" && v.Get("step") != step {
			continue
		}
		for k, vals := range extra {
			v[k] = vals
		}
		req, _ := http.NewRequest(http.MethodPost, base+html.UnescapeString(f[1]), strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return b.walk(req)
	}
	b.t.Fatalf("no form for step %q in: %s", step, page.body)
	return shown{}
}

var (
	pageFormRE   = regexp.MustCompile(`(?s)<form method="post" action="([^"]+)"[^>]*>(.*?)</form>`)
	pageHiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// An app signs a person in through Hydra and Gatehouse's pages with the
// authorization code flow and PKCE (golang.org/x/oauth2): phone + PIN on a
// new browser, the SMS code, consent to some scopes; Hydra's introspection
// calls the access token active and the id token carries the user id and
// the claims of the granted scopes only. Revoking the consent through
// GraphQL ends the token. Then the refusals: a wrong PIN (the page says
// so and Hydra gets no acceptance), a denied consent (the app gets
// access_denied), a challenge that is gone. Last, a remembered login and
// consent pass both pages unseen, and a logout through the logout page
// brings the login page back.
func TestOAuth2CodeFlowThroughHydra(t *testing.T) {
	hy := hydratest.Start(t)
	h := newHarness(t, func(c *app.Config) { c.HydraAdminURL = hy.AdminURL() })
	user := h.signUp(oauth2Phone, "4831", "device-A")
	client := hy.CreateClient(t, hydratest.ClientOptions{Name: "Broker <b>Web</b>", RedirectURIs: []string{oauth2Callback},
		Scopes: []string{"openid", "offline_access", "email", "phone", "kyc"}, Pages: h.srv.URL})
	conf := client.OAuth2Config()
	ctx := context.Background()

	start := func(b *pageBrowser) (shown, string) {
		verifier := oauth2.GenerateVerifier()
		login := b.get(conf.AuthCodeURL("state-1234567890", oauth2.S256ChallengeOption(verifier)))
		if login.status != http.StatusOK || !strings.Contains(login.body, "With your phone and PIN") {
			t.Fatalf("want the login page, got %d: %s", login.status, login.body)
		}
		return login, verifier
	}

	// The flow that works.
	b := newPageBrowser(t)
	login, verifier := start(b)
	before := h.sms.count(oauth2Phone)
	codePage := b.submit(h.srv.URL, login, "pin", url.Values{"phone": {oauth2Phone}, "pin": {"4831"}})
	if !strings.Contains(codePage.body, "by SMS to") {
		t.Fatalf("want the code page for a new browser, got %d: %s", codePage.status, codePage.body)
	}
	consentPage := b.submit(h.srv.URL, codePage, "", url.Values{"code": {h.nextSMSCode(oauth2Phone, before)}})
	for _, want := range []string{"Broker &lt;b&gt;Web&lt;/b&gt;", "Your phone number", "Your verification level",
		"Your email address"} {
		if !strings.Contains(consentPage.body, want) {
			t.Fatalf("consent page lacks %q: %d %s", want, consentPage.status, consentPage.body)
		}
	}
	cb := b.submit(h.srv.URL, consentPage, "", url.Values{"decision": {"allow"},
		"scope": {"openid", "offline_access", "phone", "kyc"}})
	if cb.callback == nil || cb.callback.Query().Get("code") == "" {
		t.Fatalf("want the app's callback with a code, got %d %v: %s", cb.status, cb.callback, cb.body)
	}
	if cb.callback.Query().Get("state") != "state-1234567890" {
		t.Fatalf("state %q", cb.callback.Query().Get("state"))
	}
	tok, err := conf.Exchange(ctx, cb.callback.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	if active, _ := hy.Introspect(t, tok.AccessToken); !active {
		t.Fatal("introspection: the access token is not active")
	}
	rawID, _ := tok.Extra("id_token").(string)
	claims := hy.VerifyIDToken(t, rawID, client.ID)
	if claims["sub"] != user.User.ID || claims["phone_number"] != oauth2Phone || claims["phone_number_verified"] != true ||
		claims["kyc_level"] != float64(user.User.Level) {
		t.Fatalf("id token claims %v, want sub %s, phone and kyc_level %d", claims, user.User.ID, user.User.Level)
	}
	for _, absent := range []string{"email", "email_verified"} {
		if _, ok := claims[absent]; ok {
			t.Errorf("id token has %s without the email scope: %v", absent, claims)
		}
	}

	// The person sees the app in GraphQL; staff do too.
	var mine struct{ MyAppConsents []gqlAppConsent }
	h.ok(user.AccessToken, qMyAppConsents, nil, &mine)
	if len(mine.MyAppConsents) != 1 || mine.MyAppConsents[0].ClientID != client.ID ||
		mine.MyAppConsents[0].ClientName != "Broker <b>Web</b>" ||
		!slices.Equal(mine.MyAppConsents[0].Scopes, []string{"openid", "offline_access", "phone", "kyc"}) {
		t.Fatalf("myAppConsents = %+v", mine.MyAppConsents)
	}
	support := h.staff("SUPPORT", "+447911131004")
	var theirs struct{ UserAppConsents []gqlAppConsent }
	h.ok(support.token, qUserConsents, vars("id", user.User.ID), &theirs)
	if len(theirs.UserAppConsents) != 1 {
		t.Fatalf("userAppConsents = %+v", theirs.UserAppConsents)
	}

	// Revoked through GraphQL: the token dies.
	var rv struct {
		RevokeAppConsent struct{ AppConsent gqlAppConsent }
	}
	h.ok(user.AccessToken, mRevokeConsent, vars("c", client.ID), &rv)
	if rv.RevokeAppConsent.AppConsent.ClientID != client.ID {
		t.Fatalf("revoked %+v", rv)
	}
	if active, _ := hy.Introspect(t, tok.AccessToken); active {
		t.Fatal("introspection: the access token is still active after revokeAppConsent")
	}
	h.ok(user.AccessToken, qMyAppConsents, nil, &mine)
	if len(mine.MyAppConsents) != 0 {
		t.Fatalf("after revoking: %+v", mine.MyAppConsents)
	}

	// A wrong PIN: the page says so, Hydra hears nothing.
	b2 := newPageBrowser(t)
	login2, _ := start(b2)
	wrong := b2.submit(h.srv.URL, login2, "pin", url.Values{"phone": {oauth2Phone}, "pin": {"9753"}})
	if wrong.status != http.StatusUnauthorized || !strings.Contains(wrong.body, "The phone number or PIN is not correct.") {
		t.Fatalf("wrong PIN: %d %s", wrong.status, wrong.body)
	}
	// The challenge is still open: the form works again with the right PIN.
	again := b2.submit(h.srv.URL, wrong, "pin", url.Values{"phone": {oauth2Phone}, "pin": {"4831"}})
	if !strings.Contains(again.body, "Enter your code") {
		t.Fatalf("after a wrong PIN the challenge must still be open: %d %s", again.status, again.body)
	}

	// Denied consent: the app gets access_denied. The first browser is
	// trusted now (its device secret cookie): no code this time.
	login3, _ := start(b)
	consent3 := b.submit(h.srv.URL, login3, "pin", url.Values{"phone": {oauth2Phone}, "pin": {"4831"}})
	if !strings.Contains(consent3.body, "Allow") {
		t.Fatalf("a trusted browser goes straight to consent: %d %s", consent3.status, consent3.body)
	}
	denied := b.submit(h.srv.URL, consent3, "", url.Values{"decision": {"deny"}})
	if denied.callback == nil || denied.callback.Query().Get("error") != "access_denied" || denied.callback.Query().Get("code") != "" {
		t.Fatalf("denied consent: want access_denied at the app, got %v %s", denied.callback, denied.body)
	}

	// A challenge Hydra does not know: never issued, or altered (Hydra
	// v2.3's challenges carry their flow sealed; a tampered or expired one
	// does not open). Hydra takes an answered challenge again (see the
	// consenttest contract), so a replay is not "gone" there: it needs the
	// PIN again, like any sign-in.
	gone := b.get(h.srv.URL + "/oauth2/login?login_challenge=" + strings.Repeat("x", 40))
	if gone.status != http.StatusGone || !strings.Contains(gone.body, "Go back to the app") {
		t.Fatalf("unknown challenge: %d %s", gone.status, gone.body)
	}
	real := pageHiddenRE.FindStringSubmatch(login3.body)
	if real == nil || real[1] != "login_challenge" {
		t.Fatalf("no login challenge in the login page")
	}
	c := []byte(html.UnescapeString(real[2]))
	c[len(c)/2] ^= 0x01
	tampered := b.get(h.srv.URL + "/oauth2/login?login_challenge=" + url.QueryEscape(string(c)))
	if tampered.status != http.StatusGone {
		t.Fatalf("tampered challenge: %d %s", tampered.status, tampered.body)
	}
	for _, leak := range []string{"hydra", "Hydra", "error", "400", "410"} {
		if strings.Contains(tampered.body, leak) {
			t.Fatalf("the gone page shows the OAuth2 server's text (%q): %s", leak, tampered.body)
		}
	}
	// "Remember me" and "Remember this choice": the next authorization
	// from that browser passes both pages without showing them, and the
	// id token's claims are read again.
	b4 := newPageBrowser(t)
	login4, _ := start(b4)
	before4 := h.sms.count(oauth2Phone)
	code4 := b4.submit(h.srv.URL, login4, "pin", url.Values{"phone": {oauth2Phone}, "pin": {"4831"}, "remember": {"1"}})
	consent4 := b4.submit(h.srv.URL, code4, "", url.Values{"code": {h.nextSMSCode(oauth2Phone, before4)}})
	first := b4.submit(h.srv.URL, consent4, "", url.Values{"decision": {"allow"}, "scope": {"openid", "phone"},
		"remember": {"1"}})
	if first.callback == nil || first.callback.Query().Get("code") == "" {
		t.Fatalf("remembered flow, first time: %v %s", first.callback, first.body)
	}
	verifier5 := oauth2.GenerateVerifier()
	conf.Scopes = []string{"openid", "phone"}
	again5 := b4.get(conf.AuthCodeURL("state-again-123", oauth2.S256ChallengeOption(verifier5)))
	if again5.callback == nil || again5.callback.Query().Get("code") == "" {
		t.Fatalf("a remembered login and consent must show no page: %d %s", again5.status, again5.body)
	}
	tok5, err := conf.Exchange(ctx, again5.callback.Query().Get("code"), oauth2.VerifierOption(verifier5))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	raw5, _ := tok5.Extra("id_token").(string)
	claims5 := hy.VerifyIDToken(t, raw5, client.ID)
	if claims5["sub"] != user.User.ID || claims5["phone_number"] != oauth2Phone {
		t.Fatalf("remembered consent's claims %v", claims5)
	}
	if _, ok := claims5["kyc_level"]; ok {
		t.Fatalf("kyc_level without the kyc scope: %v", claims5)
	}

	// Logout from Hydra: Gatehouse's page asks, "Sign out" ends Hydra's
	// login, and the next authorization shows the login page again.
	lo := b4.get(hy.PublicURL() + "/oauth2/sessions/logout")
	if lo.status != http.StatusOK || !strings.Contains(lo.body, "Do you want to sign out") {
		t.Fatalf("want the logout page, got %d: %s", lo.status, lo.body)
	}
	b4.submit(h.srv.URL, lo, "", url.Values{"decision": {"logout"}})
	start(b4)
}
