package app_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const (
	mCreatePartnerApp = `mutation($name: String!, $scopes: [String!]!) {
		createPartnerApp(input: {name: $name, scopes: $scopes}) { clientId clientSecret app { id name scopes state } } }`
	mRotatePartnerApp = `mutation($id: ID!) {
		rotatePartnerAppSecret(input: {id: $id}) { clientId clientSecret app { previousSecretExpiresAt } } }`
	mDisablePartnerApp = `mutation($id: ID!) { disablePartnerApp(input: {id: $id}) { state disabledAt } }`
	qPartnerApps       = `query { partnerApps(first: 10) { edges { node { clientId name state } } pageInfo { hasNextPage } } }`
	mPartnerOpen       = `mutation($user: ID!, $email: String) {
		openAccount(input: {userId: $user, email: $email}) { id email active } }`
	qPartnerUsers = `query { users(first: 5) { edges { node { id } } } }`
)

// partnerApp is a created app's credentials, as staff hand them over.
type partnerApp struct {
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
}

func (h *harness) createPartnerApp(token, name string, scopes ...string) partnerApp {
	h.t.Helper()
	var d struct{ CreatePartnerApp partnerApp }
	h.ok(token, mCreatePartnerApp, vars("name", name, "scopes", scopes), &d)
	must(h.t, d.CreatePartnerApp.ClientSecret != "", "no client secret")
	return d.CreatePartnerApp
}

// partnerClient is the partner's side: golang.org/x/oauth2's client
// credentials flow against our token endpoint, with style as the client
// authentication method.
func (h *harness) partnerClient(app partnerApp, style oauth2.AuthStyle, scopes ...string) (*clientcredentials.Config, context.Context) {
	cfg := &clientcredentials.Config{ClientID: app.ClientID, ClientSecret: app.ClientSecret,
		TokenURL: h.srv.URL + "/oauth2/token", Scopes: scopes, AuthStyle: style}
	return cfg, context.WithValue(context.Background(), oauth2.HTTPClient, h.srv.Client())
}

// postAs sends one GraphQL request with a partner's HTTP client (which
// adds its bearer token itself).
func (h *harness) postAs(c *http.Client, query string, vs map[string]any) gqlResponse {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vs})
	res, err := c.Post(h.srv.URL+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		h.t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		h.t.Fatalf("decode: %v", err)
	}
	return out
}

func reasonOf(r gqlResponse) string {
	if len(r.Errors) == 0 {
		return ""
	}
	s, _ := r.Errors[0].Extensions["reason"].(string)
	return s
}

// oauthCode is the RFC 6749 error code of a failed token request.
func oauthCode(t *testing.T, err error) string {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("want an OAuth2 error, got %v", err)
	}
	return re.ErrorCode
}

func TestPartnerAppGetsATokenAndOpensAnAccount(t *testing.T) {
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911126101")
	member := h.signUp("+447911126102", "482915", "phone-1")
	app := h.createPartnerApp(admin.token, "Acme back office", "accounts:write")

	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		cfg, ctx := h.partnerClient(app, style)
		tok, err := cfg.Token(ctx)
		must(t, err == nil, "token (style %d): %v", style, err)
		must(t, tok.TokenType == "Bearer" && tok.Expiry.After(time.Now()), "token: %+v", tok)
		must(t, tok.Extra("scope") == "accounts:write", "scope: %v", tok.Extra("scope"))
		claims := verifyWithJWKS(t, h, tok.AccessToken)
		must(t, claims["sub"] == app.ClientID && claims["client_id"] == app.ClientID && claims["role"] == "PARTNER" &&
			claims["gty"] == "client_credentials" && claims["sid"] == nil, "claims: %v", claims)

		var r gqlResponse
		row := h.audited("openAccount", func() {
			r = h.postAs(cfg.Client(ctx), mPartnerOpen, vars("user", member.User.ID, "email", "books@acme.example"))
		})
		must(t, len(r.Errors) == 0, "openAccount (style %d): %+v", style, r.Errors)
		must(t, row.AdminID == app.ClientID && row.TargetID == member.User.ID && row.Result == "SUCCEEDED",
			"the audit row names the client: %+v", row)
		var d struct{ OpenAccount struct{ ID, Email string } }
		must(t, json.Unmarshal(r.Data, &d) == nil && d.OpenAccount.Email == "books@acme.example", "account: %s", r.Data)
	}

	// The member sees the accounts the partner opened, and who opened them.
	var mine struct {
		Me struct{ Accounts []struct{ Email string } }
	}
	h.ok(member.AccessToken, `query { me { accounts { email } } }`, nil, &mine)
	must(t, len(mine.Me.Accounts) == 3, "the member's accounts: %+v", mine.Me.Accounts)

	// A client token is no user's session.
	cfg, ctx := h.partnerClient(app, oauth2.AuthStyleInHeader)
	var me struct{ Me *struct{ ID string } }
	r := h.postAs(cfg.Client(ctx), `query { me { id } }`, nil)
	must(t, len(r.Errors) == 0 && json.Unmarshal(r.Data, &me) == nil && me.Me == nil, "me as a partner: %s %+v", r.Data, r.Errors)
}

func TestPartnerTokensReachOnlyTheirScopes(t *testing.T) {
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911126111")
	member := h.signUp("+447911126112", "482915", "phone-1")
	writer := h.createPartnerApp(admin.token, "Writer", "accounts:write")
	reader := h.createPartnerApp(admin.token, "Reader", "users:read")

	// A scope the app does not hold is refused at the token endpoint.
	cfg, ctx := h.partnerClient(writer, oauth2.AuthStyleInHeader, "users:read")
	_, err := cfg.Token(ctx)
	must(t, oauthCode(t, err) == "invalid_scope", "token for a scope not held: %v", err)

	cfg, ctx = h.partnerClient(reader, oauth2.AuthStyleInHeader)
	client := cfg.Client(ctx)
	r := h.postAs(client, mPartnerOpen, vars("user", member.User.ID))
	must(t, r.code() == "FORBIDDEN" && reasonOf(r) == "SCOPE_MISSING", "openAccount with users:read: %+v", r.Errors)
	r = h.postAs(client, qPartnerUsers, nil)
	must(t, len(r.Errors) == 0, "users with users:read: %+v", r.Errors)
	// What no row of PARTNER allows, and what the PARTNER rows allow but no
	// partner scope covers, are both refused.
	r = h.postAs(client, `query { partnerApps { edges { cursor } } }`, nil)
	must(t, r.code() == "FORBIDDEN", "partnerApps as a partner: %+v", r.Errors)
	r = h.postAs(client, `query { myProfile { firstName } }`, nil)
	must(t, r.code() == "FORBIDDEN" && reasonOf(r) == "SCOPE_MISSING", "myProfile as a partner: %+v", r.Errors)
	r = h.postAs(client, `query($id: ID!) { user(id: $id) { id sessions { id } } }`, vars("id", member.User.ID))
	must(t, r.code() == "FORBIDDEN", "a user's sessions as a partner: %+v (%s)", r.Errors, r.Data)

	// validateToken understands a partner's token.
	tok, err := cfg.Token(ctx)
	must(t, err == nil, "token: %v", err)
	var v struct {
		ValidateToken struct {
			Valid              bool
			Subject, ClientID  *string
			Roles              []string
			MissingPermissions []string
		}
	}
	h.ok("", `query($t: String!) { validateToken(token: $t, permissions: ["users", "openAccount", "myProfile"]) {
		valid subject clientId roles missingPermissions } }`, vars("t", tok.AccessToken), &v)
	vt := v.ValidateToken
	must(t, vt.Valid && vt.ClientID != nil && *vt.ClientID == reader.ClientID && *vt.Subject == reader.ClientID &&
		strings.Join(vt.Roles, ",") == "PARTNER" && strings.Join(vt.MissingPermissions, ",") == "openAccount,myProfile",
		"validateToken: %+v", vt)
}

func TestARotatedPartnerSecretWorksForItsGracePeriod(t *testing.T) {
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911126121")
	app := h.createPartnerApp(admin.token, "Rolling", "users:read")
	var d struct {
		RotatePartnerAppSecret struct {
			partnerApp
			App struct{ PreviousSecretExpiresAt string }
		}
	}
	h.ok(admin.token, mRotatePartnerApp, vars("id", app.ClientID), &d)
	rotated := d.RotatePartnerAppSecret.partnerApp
	must(t, rotated.ClientID == app.ClientID && rotated.ClientSecret != app.ClientSecret, "rotated: %+v", rotated)
	graceEnd, err := time.Parse(time.RFC3339Nano, d.RotatePartnerAppSecret.App.PreviousSecretExpiresAt)
	must(t, err == nil && graceEnd.Equal(h.clock.Now().Add(24*time.Hour)), "grace ends at %s",
		d.RotatePartnerAppSecret.App.PreviousSecretExpiresAt)

	token := func(a partnerApp) error {
		cfg, ctx := h.partnerClient(a, oauth2.AuthStyleInHeader)
		_, err := cfg.Token(ctx)
		return err
	}
	must(t, token(app) == nil, "the old secret within its grace")
	must(t, token(rotated) == nil, "the new secret")
	h.clock.Advance(24 * time.Hour)
	err = token(app)
	must(t, err != nil && oauthCode(t, err) == "invalid_client", "the old secret after its grace: %v", err)
	must(t, token(rotated) == nil, "the new secret after the grace")
}

func TestADisabledPartnerAppStopsAtOnce(t *testing.T) {
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911126131")
	member := h.signUp("+447911126132", "482915", "phone-1")
	app := h.createPartnerApp(admin.token, "Leaving", "accounts:write", "users:read")
	cfg, ctx := h.partnerClient(app, oauth2.AuthStyleInParams)
	client := cfg.Client(ctx)
	r := h.postAs(client, qPartnerUsers, nil)
	must(t, len(r.Errors) == 0, "users before: %+v", r.Errors)

	var d struct{ DisablePartnerApp struct{ State string } }
	h.ok(admin.token, mDisablePartnerApp, vars("id", app.ClientID), &d)
	must(t, d.DisablePartnerApp.State == "DISABLED", "state: %+v", d)

	// The token it already holds stops working at the next request.
	r = h.postAs(client, mPartnerOpen, vars("user", member.User.ID))
	must(t, r.code() == "UNAUTHENTICATED" && reasonOf(r) == "CLIENT_DISABLED", "openAccount after: %+v", r.Errors)
	_, err := cfg.Token(ctx)
	must(t, err != nil && oauthCode(t, err) == "invalid_client", "a new token after: %v", err)

	var list struct {
		PartnerApps struct {
			Edges []struct {
				Node struct{ ClientID, State string }
			}
		}
	}
	h.ok(admin.token, qPartnerApps, nil, &list)
	must(t, len(list.PartnerApps.Edges) == 1 && list.PartnerApps.Edges[0].Node.State == "DISABLED", "apps: %+v", list)
}

// TestTheTokenEndpointSpeaksRFC6749 checks the endpoint's refusals the way
// a client sees them on the wire (RFC 6749 §5.2).
func TestTheTokenEndpointSpeaksRFC6749(t *testing.T) {
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911126141")
	app := h.createPartnerApp(admin.token, "Wire", "users:read")
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Add(kv[i], kv[i+1])
		}
		return v.Encode()
	}
	basic := func(id, secret string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id)+":"+url.QueryEscape(secret)))
	}
	for _, tc := range []struct {
		name, body, auth, contentType string
		status                        int
		code                          string
		challenge                     bool
	}{
		{"basic", form("grant_type", "client_credentials"), basic(app.ClientID, app.ClientSecret), "", 200, "", false},
		{"post", form("grant_type", "client_credentials", "client_id", app.ClientID, "client_secret", app.ClientSecret), "", "", 200, "", false},
		{"wrong secret, basic", form("grant_type", "client_credentials"), basic(app.ClientID, "nope"), "", 401, "invalid_client", true},
		{"wrong secret, post", form("grant_type", "client_credentials", "client_id", app.ClientID, "client_secret", "nope"), "", "", 400, "invalid_client", false},
		{"unknown client", form("grant_type", "client_credentials"), basic("0193a3c1-0000-7000-8000-000000000000", "x"), "", 401, "invalid_client", true},
		{"no credentials", form("grant_type", "client_credentials"), "", "", 401, "invalid_client", true},
		{"two methods", form("grant_type", "client_credentials", "client_secret", app.ClientSecret), basic(app.ClientID, app.ClientSecret), "", 400, "invalid_request", false},
		{"other grant", form("grant_type", "password", "username", "a", "password", "b"), basic(app.ClientID, app.ClientSecret), "", 400, "unsupported_grant_type", false},
		{"no grant", form("scope", "users:read"), basic(app.ClientID, app.ClientSecret), "", 400, "invalid_request", false},
		{"repeated", form("grant_type", "client_credentials", "scope", "users:read", "scope", "users:read"), basic(app.ClientID, app.ClientSecret), "", 400, "invalid_request", false},
		{"json body", `{"grant_type":"client_credentials"}`, basic(app.ClientID, app.ClientSecret), "application/json", 400, "invalid_request", false},
		{"bearer", form("grant_type", "client_credentials"), "Bearer x", "", 401, "invalid_client", true},
		{"huge body", form("grant_type", "client_credentials", "pad", strings.Repeat("a", 9000)), basic(app.ClientID, app.ClientSecret), "", 413, "invalid_request", false},
		{"scope not held", form("grant_type", "client_credentials", "scope", "accounts:write"), basic(app.ClientID, app.ClientSecret), "", 400, "invalid_scope", false},
	} {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/oauth2/token", strings.NewReader(tc.body))
		ct := tc.contentType
		if ct == "" {
			ct = "application/x-www-form-urlencoded"
		}
		req.Header.Set("Content-Type", ct)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		res, err := h.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		var out struct {
			Error, ErrorDescription, AccessToken, TokenType string
		}
		_ = json.Unmarshal(bytes.ReplaceAll(bytes.ReplaceAll(body, []byte("error_description"), []byte("errorDescription")),
			[]byte("access_token"), []byte("accessToken")), &out)
		must(t, res.StatusCode == tc.status, "%s: status %d, want %d (%s)", tc.name, res.StatusCode, tc.status, body)
		must(t, out.Error == tc.code, "%s: error %q, want %q (%s)", tc.name, out.Error, tc.code, body)
		must(t, (res.Header.Get("WWW-Authenticate") != "") == tc.challenge, "%s: WWW-Authenticate %q", tc.name,
			res.Header.Get("WWW-Authenticate"))
		must(t, res.Header.Get("Cache-Control") == "no-store", "%s: Cache-Control %q", tc.name, res.Header.Get("Cache-Control"))
		must(t, (tc.status == 200) == (out.AccessToken != ""), "%s: token %q", tc.name, out.AccessToken)
		must(t, !strings.Contains(string(body), app.ClientSecret), "%s: the secret came back", tc.name)
	}
	must(t, !strings.Contains(h.logs.String(), app.ClientSecret), "the client secret is in the logs")
}

// verifyWithJWKS checks a token with the keys /.well-known/jwks.json
// publishes, as another service would, and returns its claims.
func verifyWithJWKS(t *testing.T, h *harness, token string) jwt.MapClaims {
	t.Helper()
	res, err := h.srv.Client().Get(h.srv.URL + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct{ Keys []struct{ Kid, X string } }
	must(t, json.NewDecoder(res.Body).Decode(&set) == nil && len(set.Keys) > 0, "no JWKS")
	claims := jwt.MapClaims{}
	_, err = jwt.ParseWithClaims(token, claims, func(tok *jwt.Token) (any, error) {
		for _, k := range set.Keys {
			if k.Kid == tok.Header["kid"] {
				x, err := base64.RawURLEncoding.DecodeString(k.X)
				return ed25519.PublicKey(x), err
			}
		}
		return nil, errors.New("unknown kid")
	}, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithAudience(h.cfg.TokenAudience), jwt.WithIssuer(h.cfg.TokenIssuer),
		jwt.WithTimeFunc(h.clock.Now))
	must(t, err == nil, "the token does not verify with the JWKS: %v", err)
	return claims
}

// TestTokenRequestsAreRateLimited: past the client's limit the endpoint
// answers 429 with Retry-After, before the secret is checked.
func TestTokenRequestsAreRateLimited(t *testing.T) {
	h := newHarness(t, func(c *app.Config) { c.PartnerTokensPerMinute = 2 })
	admin := h.staff("ADMIN", "+447911126151")
	busy := h.createPartnerApp(admin.token, "Busy", "users:read")
	cfg, ctx := h.partnerClient(busy, oauth2.AuthStyleInHeader)
	for i := range 2 {
		_, err := cfg.Token(ctx)
		must(t, err == nil, "token %d: %v", i, err)
	}
	_, err := cfg.Token(ctx)
	var re *oauth2.RetrieveError
	must(t, errors.As(err, &re) && re.Response.StatusCode == http.StatusTooManyRequests &&
		re.Response.Header.Get("Retry-After") != "" && re.ErrorCode == "rate_limited", "third token in a minute: %v", err)
	h.clock.Advance(time.Minute)
	_, err = cfg.Token(ctx)
	must(t, err == nil, "a minute later: %v", err)
}
