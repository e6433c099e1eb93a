package hydra_test

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/adapters/hydra"
	"github.com/gatehouse/gatehouse/adapters/hydra/hydratest"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/consent/consenttest"
)

func TestMain(m *testing.M) { pgtest.Main(m, hydratest.Stop) }

// TestContract runs the suite the in-memory fake passes against a real
// Hydra: a browser (an HTTP client with cookies) and an app (oauth2 with
// PKCE) around the adapter.
func TestContract(t *testing.T) {
	t0 := time.Now()
	h := hydratest.Start(t)
	consenttest.Run(t, &driver{h: h, admin: h.Admin(t), clients: map[string]hydratest.Client{}})
	t.Logf("Hydra contract suite: %s (Hydra's start included when this test started it)", time.Since(t0).Round(time.Millisecond))
}

// callback is the apps' redirect URI: nothing listens there, the browser
// stops before it.
const callback = "http://127.0.0.1:1/callback"

type driver struct {
	h       *hydratest.Hydra
	admin   *hydra.Admin
	clients map[string]hydratest.Client
}

func (d *driver) Admin() consenttest.Admin { return d.admin }

func (d *driver) Unreachable(t *testing.T) consenttest.Admin {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	a, err := hydra.New("http://"+addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (d *driver) NewApp(t *testing.T, name string, scopes []string) consent.Client {
	c := d.h.CreateClient(t, hydratest.ClientOptions{Name: name, RedirectURIs: []string{callback}, Scopes: scopes})
	d.clients[c.ID] = c
	return consent.Client{ID: c.ID, Name: c.Name}
}

func (d *driver) NewBrowser(t *testing.T) consenttest.Browser {
	jar, _ := cookiejar.New(nil)
	pub, _ := url.Parse(d.h.PublicURL())
	b := &browser{d: d, verifiers: map[string]string{}}
	b.c = &http.Client{Jar: jar, Timeout: 10 * time.Second,
		// Follow Hydra's own redirects; stop where it sends the browser
		// elsewhere (the pages, the app).
		CheckRedirect: func(req *http.Request, _ []*http.Request) error {
			if req.URL.Host != pub.Host {
				return http.ErrUseLastResponse
			}
			return nil
		}}
	return b
}

func (d *driver) Introspect(t *testing.T, accessToken string) (bool, map[string]any) {
	return d.h.Introspect(t, accessToken)
}

type browser struct {
	d         *driver
	c         *http.Client
	app       consent.Client
	verifiers map[string]string // state → the app's PKCE verifier
}

func (b *browser) Authorize(t *testing.T, app consent.Client, scopes []string) consenttest.Step {
	t.Helper()
	cfg := b.d.clients[app.ID].OAuth2Config()
	cfg.Scopes = scopes
	state, verifier := oauth2.GenerateVerifier()[:24], oauth2.GenerateVerifier()
	b.verifiers[state] = verifier
	b.app = app
	st := b.get(t, cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)))
	st.State = state
	return st
}

func (b *browser) Follow(t *testing.T, redirectTo string) consenttest.Step {
	t.Helper()
	return b.get(t, redirectTo)
}

func (b *browser) Logout(t *testing.T) consenttest.Step {
	t.Helper()
	return b.get(t, b.d.h.PublicURL()+"/oauth2/sessions/logout")
}

// get sends the browser to u and returns where Hydra sent it.
func (b *browser) get(t *testing.T, u string) consenttest.Step {
	t.Helper()
	res, err := b.c.Get(u)
	if err != nil {
		t.Fatalf("browser: GET %s: %v", u, err)
	}
	res.Body.Close()
	var st consenttest.Step
	switch {
	case res.StatusCode >= 300 && res.StatusCode < 400:
		st = consenttest.ParseStep(res.Header.Get("Location"))
	case res.StatusCode == http.StatusOK && strings.HasSuffix(res.Request.URL.Path, "/logout/callback"):
		st = consenttest.Step{URL: res.Request.URL.String(), LoggedOut: true}
	default:
		// Hydra's error page: /oauth2/fallbacks/error?error=…
		st = consenttest.ParseStep(res.Request.URL.String())
		if st.Error == "" {
			t.Fatalf("browser: %s answered %d at %s", u, res.StatusCode, res.Request.URL)
		}
	}
	st.App = b.app
	st.PKCEVerifier = b.verifiers[st.State]
	return st
}

func (b *browser) Exchange(t *testing.T, step consenttest.Step) consenttest.Tokens {
	t.Helper()
	c := b.d.clients[step.App.ID]
	if step.PKCEVerifier == "" {
		t.Fatalf("exchange: no PKCE verifier for state %q", step.State)
	}
	tok, err := c.OAuth2Config().Exchange(context.Background(), step.Code, oauth2.VerifierOption(step.PKCEVerifier))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	raw, _ := tok.Extra("id_token").(string)
	var claims map[string]any
	if raw != "" {
		claims = b.d.h.VerifyIDToken(t, raw, c.ID)
	}
	var scopes []string
	if s, ok := tok.Extra("scope").(string); ok {
		scopes = strings.Fields(s)
	}
	return consenttest.Tokens{AccessToken: tok.AccessToken, IDToken: claims, Scopes: scopes}
}

// TestPagesRedirector: Hydra's login, consent and logout URLs lead the
// browser to the pages of the app's client (hydratest's redirector), which
// is how an end-to-end test points the one Hydra at its own Gatehouse
// server.
func TestPagesRedirector(t *testing.T) {
	h := hydratest.Start(t)
	var got []string
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.URL.RequestURI())
		w.WriteHeader(http.StatusOK)
	}))
	defer pages.Close()
	c := h.CreateClient(t, hydratest.ClientOptions{Name: "Budget Planner", RedirectURIs: []string{callback},
		Scopes: []string{"openid"}, Pages: pages.URL})
	other := h.CreateClient(t, hydratest.ClientOptions{Name: "No pages", RedirectURIs: []string{callback}, Scopes: []string{"openid"}})

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	verifier := oauth2.GenerateVerifier()
	res, err := browser.Get(c.OAuth2Config().AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || len(got) != 1 || !strings.HasPrefix(got[0], "/oauth2/login?login_challenge=") {
		t.Fatalf("want the pages' login page, got %d after %v", res.StatusCode, got)
	}
	ch := consenttest.ParseStep(got[0]).Login
	lr, err := h.Admin(t).LoginRequest(context.Background(), ch)
	if err != nil || lr.Client.ID != c.ID {
		t.Fatalf("the challenge the pages got: %+v %v", lr, err)
	}

	res, err = browser.Get(other.OAuth2Config().AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || len(got) != 1 {
		t.Fatalf("a client without pages: want 404 from the redirector, got %d (%v)", res.StatusCode, got)
	}
}
