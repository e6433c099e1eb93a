package hydratest

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/adapters/hydra"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/consent/consenttest"
)

// AppCallback is the redirect URI of NewDriver's apps: nothing listens
// there, the browser stops before it.
const AppCallback = "http://127.0.0.1:1/callback"

// NewDriver drives h for consenttest.Run with admin under test (h.Admin,
// or a wrapper of it): apps are clients of h, browsers are HTTP clients
// with cookies, apps exchange codes with PKCE and check id tokens against
// h's keys.
func NewDriver(h *Hydra, admin consenttest.Admin) consenttest.Driver {
	return &driver{h: h, admin: admin, clients: map[string]Client{}}
}

type driver struct {
	h       *Hydra
	admin   consenttest.Admin
	mu      sync.Mutex
	clients map[string]Client
}

func (d *driver) client(id string) (Client, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	c, ok := d.clients[id]
	return c, ok
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
	c := d.h.CreateClient(t, ClientOptions{Name: name, RedirectURIs: []string{AppCallback}, Scopes: scopes})
	d.mu.Lock()
	d.clients[c.ID] = c
	d.mu.Unlock()
	return consent.Client{ID: c.ID, Name: c.Name}
}

func (d *driver) NewBrowser(*testing.T) consenttest.Browser {
	b := d.h.NewBrowser()
	b.more = d.client
	return b
}

// NewBrowser is a browser with no cookies at h yet, for the suite or for a
// test that drives its own pages with the same cookies (HTTP).
func (h *Hydra) NewBrowser() *Browser {
	jar, _ := cookiejar.New(nil)
	pub, _ := url.Parse(h.PublicURL())
	b := &Browser{h: h, verifiers: map[string]string{}, apps: map[string]Client{}}
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

// Browser is a person's browser at Hydra, and the apps it is sent back
// to (consenttest.Browser).
type Browser struct {
	h         *Hydra
	c         *http.Client
	app       consent.Client
	apps      map[string]Client // Use's
	more      func(id string) (Client, bool)
	verifiers map[string]string // state → the app's PKCE verifier
}

// HTTP is the browser's HTTP client: its cookie jar, following Hydra's
// own redirects and stopping where Hydra sends it elsewhere.
func (b *Browser) HTTP() *http.Client { return b.c }

// Use lets Authorize and Exchange act for c (a client made with
// CreateClient rather than the driver's NewApp).
func (b *Browser) Use(c Client) { b.apps[c.ID] = c }

func (b *Browser) client(t *testing.T, id string) Client {
	t.Helper()
	if c, ok := b.apps[id]; ok {
		return c
	}
	if b.more != nil {
		if c, ok := b.more(id); ok {
			return c
		}
	}
	t.Fatalf("browser: app %s unknown (the driver's NewApp, or Browser.Use)", id)
	return Client{}
}

var _ consenttest.Browser = (*Browser)(nil)

// Authorize sends the browser to Hydra with app's authorization request
// (state and PKCE made here) and returns where Hydra sent it.
func (b *Browser) Authorize(t *testing.T, app consent.Client, scopes []string) consenttest.Step {
	t.Helper()
	cfg := b.client(t, app.ID).OAuth2Config()
	cfg.Scopes = scopes
	state, verifier := oauth2.GenerateVerifier()[:24], oauth2.GenerateVerifier()
	b.verifiers[state] = verifier
	b.app = app
	st := b.get(t, cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)))
	st.State = state
	return st
}

// Follow sends the browser to redirectTo and returns where Hydra sent it.
func (b *Browser) Follow(t *testing.T, redirectTo string) consenttest.Step {
	t.Helper()
	return b.get(t, redirectTo)
}

// Logout sends the browser to Hydra's logout endpoint.
func (b *Browser) Logout(t *testing.T) consenttest.Step {
	t.Helper()
	return b.get(t, b.h.PublicURL()+"/oauth2/sessions/logout")
}

// get sends the browser to u and returns where Hydra sent it.
func (b *Browser) get(t *testing.T, u string) consenttest.Step {
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

// Exchange trades step's code for tokens as the app, with its PKCE
// verifier, and checks the id token against Hydra's keys.
func (b *Browser) Exchange(t *testing.T, step consenttest.Step) consenttest.Tokens {
	t.Helper()
	c := b.client(t, step.App.ID)
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
		claims = b.h.VerifyIDToken(t, raw, c.ID)
	}
	var scopes []string
	if s, ok := tok.Extra("scope").(string); ok {
		scopes = strings.Fields(s)
	}
	return consenttest.Tokens{AccessToken: tok.AccessToken, IDToken: claims, Scopes: scopes}
}
