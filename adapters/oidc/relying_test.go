package oidc_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/oidc"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
	"github.com/gatehouse/gatehouse/ports"
)

const redirect = "https://app.example.com/oidc/callback"

func newRelying(t *testing.T, op *federationtest.OP) *oidc.Relying {
	t.Helper()
	p := federation.Provider{Name: "test", Issuer: op.URL, ClientID: op.ClientID,
		ClientSecret: federation.Secret(op.ClientSecret), RedirectURIs: []string{redirect}}
	if problems := federation.CheckProviders([]federation.Provider{p}, true); len(problems) > 0 {
		t.Fatal(problems)
	}
	opts := oidc.DefaultOptions()
	opts.Timeout, opts.RetryAfter = 2*time.Second, time.Hour
	return oidc.New([]federation.Provider{p}, opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
}

// flow runs the browser's part: the authorization URL, the provider's
// approval, and returns the code with the request that made it.
func flow(t *testing.T, op *federationtest.OP, r *oidc.Relying, nonce string) (string, federation.AuthRequest) {
	t.Helper()
	a := federation.AuthRequest{RedirectURI: redirect, State: "st-" + t.Name(), Nonce: nonce, Verifier: strings.Repeat("v", 43)}
	u, err := r.AuthorizationURL(context.Background(), "test", a)
	if err != nil {
		t.Fatal(err)
	}
	q := mustQuery(t, u)
	if q.Get("code_challenge_method") != "S256" || q.Get("nonce") != nonce || q.Get("state") != a.State ||
		!strings.Contains(q.Get("scope"), "openid") {
		t.Fatalf("authorization URL %s lacks PKCE, nonce, state or openid", u)
	}
	code, state := op.Authorize(t, u)
	if state != a.State {
		t.Fatalf("state came back as %q", state)
	}
	return code, a
}

func mustQuery(t *testing.T, raw string) url.Values {
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func redeem(r *oidc.Relying, code string, a federation.AuthRequest) (federation.Claims, error) {
	return r.Redeem(context.Background(), "test", federation.Redemption{Code: code, RedirectURI: a.RedirectURI,
		Verifier: a.Verifier, Nonce: a.Nonce})
}

func wantRefusal(t *testing.T, err error, code ports.ErrorCode, reason string) {
	t.Helper()
	var e *ports.Error
	if !errors.As(err, &e) || e.Code != code || e.Reason != reason {
		t.Fatalf("got %v, want %s %s", err, code, reason)
	}
}

func TestRedeemVerifiesTheIDToken(t *testing.T) {
	op := federationtest.NewOP(t)
	r := newRelying(t, op)
	op.SignsInAs(federationtest.Person{Subject: "alice-1", Email: "Alice@Example.com", EmailVerified: true, Name: "Alice"})
	code, a := flow(t, op, r, "nonce-1")
	c, err := redeem(r, code, a)
	if err != nil {
		t.Fatal(err)
	}
	if c.Subject != "alice-1" || c.Email != "Alice@Example.com" || !c.EmailVerified || c.Name != "Alice" {
		t.Fatalf("claims %+v", c)
	}
	// The code was spent: the provider refuses it again.
	_, err = redeem(r, code, a)
	wantRefusal(t, err, ports.CodeInvalidCode, federation.ReasonCodeRejected)
}

func TestRedeemRefuses(t *testing.T) {
	cases := []struct {
		name   string
		tweak  func(map[string]any)
		change func(*federation.AuthRequest)
		code   ports.ErrorCode
		reason string
	}{
		{name: "WrongNonce", change: func(a *federation.AuthRequest) { a.Nonce = "another" },
			code: ports.CodeUnauthenticated, reason: federation.ReasonNonceMismatch},
		{name: "ExpiredIDToken", tweak: func(c map[string]any) {
			c["exp"], c["iat"] = time.Now().Add(-time.Hour).Unix(), time.Now().Add(-2*time.Hour).Unix()
		}, code: ports.CodeUnauthenticated, reason: federation.ReasonIDTokenInvalid},
		{name: "WrongAudience", tweak: func(c map[string]any) { c["aud"] = "someone-else" },
			code: ports.CodeUnauthenticated, reason: federation.ReasonIDTokenInvalid},
		{name: "WrongIssuer", tweak: func(c map[string]any) { c["iss"] = "https://evil.example.com" },
			code: ports.CodeUnauthenticated, reason: federation.ReasonIDTokenInvalid},
		{name: "WrongVerifier", change: func(a *federation.AuthRequest) { a.Verifier = strings.Repeat("w", 43) },
			code: ports.CodeInvalidCode, reason: federation.ReasonCodeRejected},
		{name: "WrongRedirect", change: func(a *federation.AuthRequest) { a.RedirectURI = "https://evil.example.com/cb" },
			code: ports.CodeInvalidCode, reason: federation.ReasonCodeRejected},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			op := federationtest.NewOP(t)
			r := newRelying(t, op)
			op.SignsInAs(federationtest.Person{Subject: "bob", Email: "bob@example.com", EmailVerified: true})
			op.Tweak(tc.tweak)
			code, a := flow(t, op, r, "nonce-2")
			if tc.change != nil {
				tc.change(&a)
			}
			_, err := redeem(r, code, a)
			wantRefusal(t, err, tc.code, tc.reason)
		})
	}
}

func TestEmailVerifiedAsString(t *testing.T) {
	op := federationtest.NewOP(t)
	r := newRelying(t, op)
	op.SignsInAs(federationtest.Person{Subject: "carol", Email: "carol@example.com"})
	op.Tweak(func(c map[string]any) { c["email_verified"] = "true" })
	code, a := flow(t, op, r, "n")
	c, err := redeem(r, code, a)
	if err != nil || !c.EmailVerified {
		t.Fatalf("claims %+v, err %v: \"true\" is verified", c, err)
	}
}

// TestProviderDownIsUnavailable: a provider that does not answer its
// discovery makes its sign-ins UNAVAILABLE, at once while it is known to
// be down (no wait per request), and a restart of Gatehouse is not needed
// once it answers again (checked with a short retry period).
func TestProviderDownIsUnavailable(t *testing.T) {
	op := federationtest.NewOP(t)
	op.SetDown(true)
	p := federation.Provider{Name: "test", Issuer: op.URL, ClientID: op.ClientID,
		ClientSecret: federation.Secret(op.ClientSecret), RedirectURIs: []string{redirect}}
	opts := oidc.DefaultOptions()
	opts.Timeout, opts.RetryAfter = 2*time.Second, 200*time.Millisecond
	r := oidc.New([]federation.Provider{p}, opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
	a := federation.AuthRequest{RedirectURI: redirect, State: "s", Nonce: "n", Verifier: strings.Repeat("v", 43)}
	_, err := r.AuthorizationURL(context.Background(), "test", a)
	wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
	op.SetDown(false)
	_, err = r.AuthorizationURL(context.Background(), "test", a)
	wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
	time.Sleep(250 * time.Millisecond)
	if _, err := r.AuthorizationURL(context.Background(), "test", a); err != nil {
		t.Fatalf("after the retry period, the provider is back: %v", err)
	}
	// Down at the token endpoint: UNAVAILABLE too, not the client's fault.
	op.SignsInAs(federationtest.Person{Subject: "dan"})
	code, a := flow(t, op, r, "n")
	op.SetDown(true)
	_, err = redeem(r, code, a)
	wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
}
