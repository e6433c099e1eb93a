package hydra_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

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
	consenttest.Run(t, hydratest.NewDriver(h, h.Admin(t)))
	t.Logf("Hydra contract suite: %s (Hydra's start included when this test started it)", time.Since(t0).Round(time.Millisecond))
}

// TestPagesRedirector: Hydra's login, consent and logout URLs lead the
// browser to the pages of the app's client (hydratest's redirector), which
// is how an end-to-end test points the one Hydra at its own Gatehouse
// server.
func TestPagesRedirector(t *testing.T) {
	h := hydratest.Start(t)
	var mu sync.Mutex
	var seen []string
	pages := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.URL.RequestURI())
		mu.Unlock()
		w.WriteHeader(http.StatusOK)
	}))
	got := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
	defer pages.Close()
	c := h.CreateClient(t, hydratest.ClientOptions{Name: "Budget Planner", RedirectURIs: []string{hydratest.AppCallback},
		Scopes: []string{"openid"}, Pages: pages.URL})
	other := h.CreateClient(t, hydratest.ClientOptions{Name: "No pages", RedirectURIs: []string{hydratest.AppCallback}, Scopes: []string{"openid"}})

	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	verifier := oauth2.GenerateVerifier()
	res, err := browser.Get(c.OAuth2Config().AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if g := got(); res.StatusCode != http.StatusOK || len(g) != 1 || !strings.HasPrefix(g[0], "/oauth2/login?login_challenge=") {
		t.Fatalf("want the pages' login page, got %d after %v", res.StatusCode, g)
	}
	ch := consenttest.ParseStep(got()[0]).Login
	lr, err := h.Admin(t).LoginRequest(context.Background(), ch)
	if err != nil || lr.Client.ID != c.ID {
		t.Fatalf("the challenge the pages got: %+v %v", lr, err)
	}

	res, err = browser.Get(other.OAuth2Config().AuthCodeURL("state-0123456789", oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound || len(got()) != 1 {
		t.Fatalf("a client without pages: want 404 from the redirector, got %d (%v)", res.StatusCode, got())
	}
}

// TestExpiredChallengeIsGone: a login or consent challenge older than
// Hydra's ttl.login_consent_request is gone. A second Hydra on the same
// database with a 1 s TTL reads the challenges the first one issued.
func TestExpiredChallengeIsGone(t *testing.T) {
	h := hydratest.Start(t)
	short := h.Another(t, "TTL_LOGIN_CONSENT_REQUEST=1s").Admin(t)
	admin := h.Admin(t)
	c := h.CreateClient(t, hydratest.ClientOptions{Name: "Budget Planner", RedirectURIs: []string{hydratest.AppCallback},
		Scopes: []string{"openid"}})
	b := h.NewBrowser()
	b.Use(c)
	st := b.Authorize(t, consent.Client{ID: c.ID}, []string{"openid"})
	to, err := admin.AcceptLogin(context.Background(), st.Login, consent.LoginAcceptance{Subject: "user-expiry"})
	if err != nil {
		t.Fatal(err)
	}
	next := b.Follow(t, to)
	if next.Consent == "" {
		t.Fatalf("want the consent page, got %s", next)
	}
	// Fresh, the other Hydra reads them like the first.
	if _, err := short.LoginRequest(context.Background(), st.Login); err != nil {
		t.Fatalf("a fresh login challenge at the other Hydra: %v", err)
	}
	time.Sleep(1200 * time.Millisecond)
	_, err = short.LoginRequest(context.Background(), st.Login)
	if !errors.Is(err, consent.ErrChallengeGone) {
		t.Fatalf("an expired login challenge: want ErrChallengeGone, got %v", err)
	}
	_, err = short.AcceptLogin(context.Background(), st.Login, consent.LoginAcceptance{Subject: "user-expiry"})
	if !errors.Is(err, consent.ErrChallengeGone) {
		t.Fatalf("accepting an expired login challenge: want ErrChallengeGone, got %v", err)
	}
	_, err = short.ConsentRequest(context.Background(), next.Consent)
	if !errors.Is(err, consent.ErrChallengeGone) {
		t.Fatalf("an expired consent challenge: want ErrChallengeGone, got %v", err)
	}
	_, err = short.AcceptConsent(context.Background(), next.Consent, consent.ConsentAcceptance{GrantScopes: []string{"openid"}})
	if !errors.Is(err, consent.ErrChallengeGone) {
		t.Fatalf("accepting an expired consent challenge: want ErrChallengeGone, got %v", err)
	}
	// The first Hydra, with its 30 minutes, still takes them.
	if _, err := admin.ConsentRequest(context.Background(), next.Consent); err != nil {
		t.Fatalf("the same consent challenge at the first Hydra: %v", err)
	}
}

// TestConfidentialClient: hydratest's confidential clients authenticate
// at the token endpoint with their secret (the suite's apps are public,
// PKCE only).
func TestConfidentialClient(t *testing.T) {
	h := hydratest.Start(t)
	admin := h.Admin(t)
	c := h.CreateClient(t, hydratest.ClientOptions{Name: "Tax Helper", RedirectURIs: []string{hydratest.AppCallback},
		Scopes: []string{"openid"}, Confidential: true})
	if c.Secret == "" {
		t.Fatal("a confidential client without a secret")
	}
	b := h.NewBrowser()
	b.Use(c)
	st := b.Authorize(t, consent.Client{ID: c.ID}, []string{"openid"})
	to, err := admin.AcceptLogin(context.Background(), st.Login, consent.LoginAcceptance{Subject: "user-confidential"})
	if err != nil {
		t.Fatal(err)
	}
	next := b.Follow(t, to)
	to, err = admin.AcceptConsent(context.Background(), next.Consent, consent.ConsentAcceptance{GrantScopes: []string{"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	tok := b.Exchange(t, b.Follow(t, to))
	if tok.IDToken["sub"] != "user-confidential" {
		t.Fatalf("id token %v", tok.IDToken)
	}
	if active, _ := h.Introspect(t, tok.AccessToken); !active {
		t.Fatal("the access token is not active")
	}
}
