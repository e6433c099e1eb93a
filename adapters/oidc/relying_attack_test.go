package oidc_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"github.com/gatehouse/gatehouse/adapters/oidc"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
	"github.com/gatehouse/gatehouse/ports"
)

// Attacks on the relying party: id tokens that must not verify, and
// providers that answer slowly, too much, or in circles.

func signWith(t *testing.T, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := s.Sign(payload)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRedeemRefusesForgedAndOddIDTokens: each token below came from the
// provider's token endpoint, yet must not sign anyone in.
func TestRedeemRefusesForgedAndOddIDTokens(t *testing.T) {
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var op *federationtest.OP
	cases := []struct {
		name  string
		tweak func(map[string]any)
		forge func(t *testing.T, claims map[string]any) string
	}{
		{name: "AlgNone", forge: func(_ *testing.T, c map[string]any) string {
			h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`))
			p, _ := json.Marshal(c)
			return h + "." + base64.RawURLEncoding.EncodeToString(p) + "."
		}},
		{name: "HS256WithTheClientSecret", forge: func(t *testing.T, c map[string]any) string {
			return signWith(t, jose.HS256, []byte(op.ClientSecret), "", c)
		}},
		{name: "AnotherKeyUnknownKid", forge: func(t *testing.T, c map[string]any) string {
			return signWith(t, jose.ES256, other, "k-unknown", c)
		}},
		{name: "AnotherKeyNoKid", forge: func(t *testing.T, c map[string]any) string {
			return signWith(t, jose.ES256, other, "", c)
		}},
		{name: "NotAJWT", forge: func(*testing.T, map[string]any) string { return strings.Repeat("A", 5000) }},
		// Issued to another client that also names us: the token was not
		// made for Gatehouse (OpenID Connect Core 3.1.3.7, items 4 and 5).
		{name: "AuthorizedPartyIsAnother", tweak: func(c map[string]any) {
			c["aud"], c["azp"] = []string{op.ClientID, "another-client"}, "another-client"
		}},
		{name: "SeveralAudiencesNoAuthorizedParty", tweak: func(c map[string]any) {
			c["aud"] = []string{op.ClientID, "another-client"}
		}},
		{name: "SingleAudienceAuthorizedPartyIsAnother", tweak: func(c map[string]any) { c["azp"] = "another-client" }},
		{name: "IssuedInTheFuture", tweak: func(c map[string]any) {
			c["iat"], c["exp"] = time.Now().Add(time.Hour).Unix(), time.Now().Add(2*time.Hour).Unix()
		}},
		{name: "NULInTheSubject", tweak: func(c map[string]any) { c["sub"] = "eve\x00admin" }},
		{name: "ControlInTheSubject", tweak: func(c map[string]any) { c["sub"] = "eve\nadmin" }},
		{name: "NULInTheEmail", tweak: func(c map[string]any) { c["email"] = "eve@example.com\x00" }},
		{name: "NULInTheName", tweak: func(c map[string]any) { c["name"] = "Eve\x00" }},
		{name: "EmailNotAString", tweak: func(c map[string]any) { c["email"] = []string{"a@example.com"} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			op = federationtest.NewOP(t)
			r := newRelying(t, op)
			op.SignsInAs(federationtest.Person{Subject: "eve", Email: "eve@example.com", EmailVerified: true, Name: "Eve"})
			op.Tweak(tc.tweak)
			if tc.forge != nil {
				op.Forge(func(c map[string]any) string { return tc.forge(t, c) })
			}
			code, a := flow(t, op, r, "nonce-f")
			_, err := redeem(r, code, a)
			wantRefusal(t, err, ports.CodeUnauthenticated, federation.ReasonIDTokenInvalid)
		})
	}
	// The checks above refuse only what they should: several audiences
	// with Gatehouse the authorized party, and a token issued a minute
	// ahead of our clock, verify.
	t.Run("SeveralAudiencesWithUsAuthorized", func(t *testing.T) {
		op = federationtest.NewOP(t)
		r := newRelying(t, op)
		op.SignsInAs(federationtest.Person{Subject: "eve", Email: "eve@example.com", EmailVerified: true})
		op.Tweak(func(c map[string]any) {
			c["aud"], c["azp"] = []string{op.ClientID, "another-client"}, op.ClientID
			c["iat"] = time.Now().Add(time.Minute).Unix()
		})
		code, a := flow(t, op, r, "nonce-g")
		if _, err := redeem(r, code, a); err != nil {
			t.Fatal(err)
		}
	})
}

// flood answers with size bytes of JSON whitespace, as fast as the client
// reads; sent counts what went out, done closes when it stops.
func flood(size int64, sent *atomic.Int64, done chan struct{}) http.HandlerFunc {
	var once sync.Once
	return func(w http.ResponseWriter, _ *http.Request) {
		defer once.Do(func() { close(done) })
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for sent.Load() < size {
			n, err := w.Write(chunk)
			sent.Add(int64(n))
			if err != nil {
				return
			}
		}
	}
}

// TestProviderAnswersAreBounded: a provider's answers are read up to a
// bound (its discovery and keys were read whole, into memory and, on an
// error, into the log), and each call up to the timeout; a redirect loop
// ends. All are UNAVAILABLE, not the client's fault.
func TestProviderAnswersAreBounded(t *testing.T) {
	const huge = 256 << 20
	quick := func(t *testing.T, op *federationtest.OP) *oidc.Relying {
		p := federation.Provider{Name: "test", Issuer: op.URL, ClientID: op.ClientID,
			ClientSecret: federation.Secret(op.ClientSecret), RedirectURIs: []string{redirect}}
		opts := oidc.DefaultOptions()
		opts.Timeout, opts.RetryAfter = 500*time.Millisecond, time.Millisecond
		return oidc.New([]federation.Provider{p}, opts, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	person := federationtest.Person{Subject: "big", Email: "big@example.com", EmailVerified: true}
	a := federation.AuthRequest{RedirectURI: redirect, State: "s", Nonce: "n", Verifier: strings.Repeat("v", 43)}

	for _, path := range []string{"/.well-known/openid-configuration", "/jwks", "/token"} {
		t.Run("Huge"+path, func(t *testing.T) {
			op := federationtest.NewOP(t)
			r := quick(t, op)
			op.SignsInAs(person)
			var sent atomic.Int64
			done := make(chan struct{})
			var code string
			if path != "/.well-known/openid-configuration" {
				code, a = flow(t, op, r, "n")
			}
			op.Override(path, flood(huge, &sent, done))
			var err error
			if code == "" {
				_, err = r.AuthorizationURL(t.Context(), "test", a)
			} else {
				_, err = redeem(r, code, a)
			}
			wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				t.Fatal("the provider is still sending")
			}
			t.Logf("%s: %d KiB of a %d MiB answer went out before the read stopped", path, sent.Load()>>10, huge>>20)
			if sent.Load() > 16<<20 {
				t.Fatalf("%d MiB of the provider's answer were read", sent.Load()>>20)
			}
			if len(err.Error()) > 2000 {
				t.Fatalf("the error (for the log) is %d bytes", len(err.Error()))
			}
		})
	}
	t.Run("ErrorBodyStaysOutOfTheLog", func(t *testing.T) {
		op := federationtest.NewOP(t)
		r := newRelying(t, op) // failures remembered for an hour
		op.Override("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, strings.Repeat("x", 500<<10), http.StatusInternalServerError)
		})
		// The failure as it happens, then as remembered.
		for range 2 {
			_, err := r.AuthorizationURL(t.Context(), "test", a)
			wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
			if len(err.Error()) > 2000 {
				t.Fatalf("the error (for the log) is %d bytes", len(err.Error()))
			}
		}
	})
	for _, path := range []string{"/.well-known/openid-configuration", "/jwks", "/token"} {
		t.Run("Slow"+path, func(t *testing.T) {
			op := federationtest.NewOP(t)
			r := quick(t, op)
			op.SignsInAs(person)
			var code string
			if path != "/.well-known/openid-configuration" {
				code, a = flow(t, op, r, "n")
			}
			release := make(chan struct{})
			defer close(release)
			op.Override(path, func(http.ResponseWriter, *http.Request) { <-release })
			began := time.Now()
			var err error
			if code == "" {
				_, err = r.AuthorizationURL(t.Context(), "test", a)
			} else {
				_, err = redeem(r, code, a)
			}
			wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
			if took := time.Since(began); took > 3*time.Second {
				t.Fatalf("a provider that does not answer held the sign-in %v", took)
			}
		})
		t.Run("RedirectLoop"+path, func(t *testing.T) {
			op := federationtest.NewOP(t)
			r := quick(t, op)
			op.SignsInAs(person)
			var code string
			if path != "/.well-known/openid-configuration" {
				code, a = flow(t, op, r, "n")
			}
			op.Override(path, func(w http.ResponseWriter, req *http.Request) {
				http.Redirect(w, req, req.URL.Path, http.StatusTemporaryRedirect)
			})
			var err error
			if code == "" {
				_, err = r.AuthorizationURL(t.Context(), "test", a)
			} else {
				_, err = redeem(r, code, a)
			}
			wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
		})
	}
}

// TestTokenEndpointRefusingUsIsAnOutage: the token endpoint refusing
// Gatehouse itself (a client secret rotated at the provider but not here,
// a rate limit on our client) is no fault of the client's code: it was
// told INVALID_CODE "start again", for ever, and nothing was logged as a
// fault. It is UNAVAILABLE; only invalid_grant (or a bare 400) is the
// code's refusal.
func TestTokenEndpointRefusingUsIsAnOutage(t *testing.T) {
	person := federationtest.Person{Subject: "t", Email: "t@example.com", EmailVerified: true}
	for _, tc := range []struct {
		name   string
		status int
		body   string
		code   ports.ErrorCode
	}{
		{"InvalidClient", http.StatusUnauthorized, `{"error":"invalid_client"}`, ports.CodeUnavailable},
		{"UnauthorizedClient", http.StatusBadRequest, `{"error":"unauthorized_client"}`, ports.CodeUnavailable},
		{"InvalidRequest", http.StatusBadRequest, `{"error":"invalid_request"}`, ports.CodeUnavailable},
		{"RateLimited", http.StatusTooManyRequests, `{"error":"slow_down"}`, ports.CodeUnavailable},
		{"RateLimitedBare", http.StatusTooManyRequests, `too many`, ports.CodeUnavailable},
		{"Forbidden", http.StatusForbidden, `<html>WAF</html>`, ports.CodeUnavailable},
		{"InvalidGrant", http.StatusBadRequest, `{"error":"invalid_grant"}`, ports.CodeInvalidCode},
		{"Bare400", http.StatusBadRequest, `bad code`, ports.CodeInvalidCode},
	} {
		t.Run(tc.name, func(t *testing.T) {
			op := federationtest.NewOP(t)
			r := newRelying(t, op)
			op.SignsInAs(person)
			code, a := flow(t, op, r, "n")
			op.Override("/token", func(w http.ResponseWriter, _ *http.Request) {
				if strings.HasPrefix(tc.body, "{") {
					w.Header().Set("Content-Type", "application/json")
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			})
			_, err := redeem(r, code, a)
			if got := ports.ErrorCodeOf(err); got != tc.code {
				t.Fatalf("got %v (%v), want %s", got, err, tc.code)
			}
		})
	}
	// The whole way: the secret Gatehouse holds is not the provider's.
	op := federationtest.NewOP(t)
	p := federation.Provider{Name: "test", Issuer: op.URL, ClientID: op.ClientID,
		ClientSecret: federation.Secret("rotated-" + op.ClientSecret), RedirectURIs: []string{redirect}}
	r := oidc.New([]federation.Provider{p}, oidc.DefaultOptions(), slog.New(slog.DiscardHandler))
	op.SignsInAs(person)
	code, a := flow(t, op, r, "n")
	_, err := redeem(r, code, a)
	wantRefusal(t, err, ports.CodeUnavailable, federation.ReasonProviderUnavailable)
}

// TestEmailVerifiedIsReadStrictly: only true, or the string "true" in any
// case (as some providers send it), says the provider verified the email:
// "yes", 1, "1", "false", null and objects do not.
func TestEmailVerifiedIsReadStrictly(t *testing.T) {
	for _, tc := range []struct {
		value any
		want  bool
	}{
		{true, true}, {"true", true}, {"TRUE", true}, {"True", true},
		{false, false}, {"false", false}, {"yes", false}, {1, false}, {"1", false}, {nil, false},
		{map[string]any{"value": true}, false}, {[]any{true}, false}, {" true", false}, {"", false},
	} {
		op := federationtest.NewOP(t)
		r := newRelying(t, op)
		op.SignsInAs(federationtest.Person{Subject: "v", Email: "v@example.com"})
		op.Tweak(func(c map[string]any) { c["email_verified"] = tc.value })
		code, a := flow(t, op, r, "n")
		c, err := redeem(r, code, a)
		if err != nil || c.EmailVerified != tc.want {
			t.Fatalf("email_verified %#v: verified %v, err %v; want %v", tc.value, c.EmailVerified, err, tc.want)
		}
	}
}
