package app_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/adapters/hydra/hydratest"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// formOf is the action and hidden fields of the page's form for step (the
// first form when "").
func formOf(t *testing.T, page shown, step string) (string, url.Values) {
	t.Helper()
	for _, f := range pageFormRE.FindAllStringSubmatch(page.body, -1) {
		v := url.Values{}
		for _, m := range pageHiddenRE.FindAllStringSubmatch(f[2], -1) {
			v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		if step == "" || v.Get("step") == step {
			return html.UnescapeString(f[1]), v
		}
	}
	t.Fatalf("no form for step %q in: %d %s", step, page.status, page.body)
	return "", nil
}

// postRaw posts form to base+target with hdr, following redirects.
func (b *pageBrowser) postRaw(target string, form url.Values, hdr map[string]string) shown {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	return b.walk(req)
}

// The attack pass through the real pages and a real Hydra: a form posted
// from another site or with the PIN in its URL is refused and Hydra gets
// no answer; a consent challenge taken to another browser (an attacker who
// got hold of the link) is refused there without being answered (answered,
// Hydra would give that browser no code, but the flow would be spent and
// the person's own answer refused as "verifier already used"); the
// person's own browser then finishes as usual.
func TestOAuth2PagesAttackThroughHydra(t *testing.T) {
	hy := hydratest.Start(t)
	h := newHarness(t, func(c *app.Config) { c.HydraAdminURL = hy.AdminURL() })
	h.signUp(oauth2Phone, "4831", "device-A")
	client := hy.CreateClient(t, hydratest.ClientOptions{Name: "Broker", RedirectURIs: []string{oauth2Callback},
		Scopes: []string{"openid", "phone"}, Pages: h.srv.URL})
	conf := client.OAuth2Config()

	b := newPageBrowser(t)
	login := b.get(conf.AuthCodeURL("state-1234567890", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	if login.status != http.StatusOK {
		t.Fatalf("want the login page, got %d: %s", login.status, login.body)
	}
	action, form := formOf(t, login, "pin")
	form.Set("phone", oauth2Phone)
	form.Set("pin", "4831")
	before := h.sms.count(oauth2Phone)

	if got := b.postRaw(h.srv.URL+action, form, map[string]string{"Sec-Fetch-Site": "cross-site"}); got.status != http.StatusForbidden {
		t.Fatalf("a cross-site post: want 403, got %d: %s", got.status, got.body)
	}
	noPIN := url.Values{}
	for k, v := range form {
		if k != "pin" {
			noPIN[k] = v
		}
	}
	if got := b.postRaw(h.srv.URL+action+"?pin=4831", noPIN, nil); got.status != http.StatusUnprocessableEntity {
		t.Fatalf("a PIN in the URL: want 422, got %d: %s", got.status, got.body)
	}
	if n := h.sms.count(oauth2Phone); n != before {
		t.Fatalf("a refused post sent %d codes", n-before)
	}

	codePage := b.postRaw(h.srv.URL+action, form, map[string]string{"Sec-Fetch-Site": "same-origin"})
	if !strings.Contains(codePage.body, "by SMS to") {
		t.Fatalf("want the code page, got %d: %s", codePage.status, codePage.body)
	}
	consentPage := b.submit(h.srv.URL, codePage, "", url.Values{"code": {h.nextSMSCode(oauth2Phone, before)}})
	_, consentForm := formOf(t, consentPage, "")
	challenge := consentForm.Get("consent_challenge")
	if challenge == "" {
		t.Fatalf("want the consent page, got %d: %s", consentPage.status, consentPage.body)
	}

	// Another browser with the link: the pages refuse it (Hydra carries the
	// login's browser tag to the consent request), so it can neither see
	// the request nor spend the flow.
	thief := newPageBrowser(t)
	stolen := thief.get(h.srv.URL + "/oauth2/consent?" + url.Values{"consent_challenge": {challenge}}.Encode())
	if stolen.status != http.StatusForbidden || strings.Contains(stolen.body, "csrf_token") {
		t.Fatalf("the consent page in another browser: want 403 without a form, got %d %s", stolen.status, stolen.body)
	}

	// The person's own browser goes on.
	cb := b.submit(h.srv.URL, consentPage, "", url.Values{"decision": {"allow"}, "scope": {"openid"}})
	if cb.callback == nil || cb.callback.Query().Get("code") == "" {
		t.Fatalf("want the app's callback with a code, got %d %v: %s", cb.status, cb.callback, cb.body)
	}
}
