package federationtest

import (
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// OP is a small OpenID provider for tests, served over HTTP in process:
// a real discovery document, JWKS, an authorization endpoint that
// approves at once for the person the test chose, and a token endpoint
// that checks the client, the redirect URI and the PKCE verifier, spends
// each code once, and returns an ES256-signed id token.
type OP struct {
	URL          string
	ClientID     string
	ClientSecret string

	srv *httptest.Server
	key *ecdsa.PrivateKey
	kid string

	mu    sync.Mutex
	next  Person
	codes map[string]*grant
	down  bool
	// Tweak, when set, changes each id token's claims before signing
	// (a wrong audience, an expired token, another nonce...).
	tweak func(claims map[string]any)
	// Exchanges counts token requests.
	exchanges int
	// forge, when set, replaces each id token with what it returns.
	forge func(claims map[string]any) string
	// overrides answer some paths in place of the provider's own.
	overrides map[string]http.HandlerFunc
}

// Person is who the provider says signed in.
type Person struct {
	Subject       string
	Email         string
	EmailVerified bool
	Name          string
}

type grant struct {
	person      Person
	clientID    string
	redirectURI string
	nonce       string
	challenge   string
	used        bool
}

// NewOP starts a provider for t, closed when t ends.
func NewOP(t testing.TB) *OP {
	t.Helper()
	op, err := NewStandaloneOP("", "gatehouse-test", "test-secret-"+rand.Text())
	if err != nil {
		t.Fatal(err)
	}
	op.srv = httptest.NewServer(op.Handler())
	op.URL = op.srv.URL
	t.Cleanup(op.srv.Close)
	return op
}

// SignsInAs makes the next authorizations approve p.
func (op *OP) SignsInAs(p Person) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.next = p
}

// Tweak changes the claims of the id tokens issued from now on (nil: none).
func (op *OP) Tweak(f func(claims map[string]any)) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.tweak = f
}

// Forge makes the token endpoint return f's result as the id token, given
// the claims it would have signed (nil: sign them as usual): a token
// signed with another key or algorithm, or not at all.
func (op *OP) Forge(f func(claims map[string]any) string) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.forge = f
}

// Override makes h answer requests for path (/.well-known/openid-configuration,
// /jwks, /token, /authorize) in place of the provider (nil: the provider
// again): a provider that is slow, answers too much, or redirects.
func (op *OP) Override(path string, h http.HandlerFunc) {
	op.mu.Lock()
	defer op.mu.Unlock()
	if h == nil {
		delete(op.overrides, path)
		return
	}
	op.overrides[path] = h
}

// Sign signs claims with the provider's own key and kid (ES256).
func (op *OP) Sign(claims map[string]any) (string, error) { return op.sign(claims) }

// SetDown makes every endpoint answer 503 (true) or serve again (false).
func (op *OP) SetDown(down bool) {
	op.mu.Lock()
	defer op.mu.Unlock()
	op.down = down
}

// Exchanges returns how many token requests arrived.
func (op *OP) Exchanges() int {
	op.mu.Lock()
	defer op.mu.Unlock()
	return op.exchanges
}

// Authorize follows authorizationURL as a browser would, the person
// approving at once, and returns the code and state the provider sends to
// the redirect URI.
func (op *OP) Authorize(t testing.TB, authorizationURL string) (code, state string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authorizationURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: status %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query().Get("code"), loc.Query().Get("state")
}

func (op *OP) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                op.URL,
		"authorization_endpoint":                op.URL + "/authorize",
		"token_endpoint":                        op.URL + "/token",
		"jwks_uri":                              op.URL + "/jwks",
		"response_types_supported":              []string{"code"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"ES256"},
		"code_challenge_methods_supported":      []string{"S256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (op *OP) jwks(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &op.key.PublicKey, KeyID: op.kid,
		Algorithm: string(jose.ES256), Use: "sig"}}})
}

func (op *OP) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("response_type") != "code" || q.Get("client_id") != op.ClientID || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("redirect_uri") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	op.mu.Lock()
	op.codes[code] = &grant{person: op.next, clientID: op.ClientID, redirectURI: q.Get("redirect_uri"),
		nonce: q.Get("nonce"), challenge: q.Get("code_challenge")}
	op.mu.Unlock()
	to, _ := url.Parse(q.Get("redirect_uri"))
	back := to.Query()
	back.Set("code", code)
	back.Set("state", q.Get("state"))
	to.RawQuery = back.Encode()
	http.Redirect(w, r, to.String(), http.StatusFound)
}

func (op *OP) token(w http.ResponseWriter, r *http.Request) {
	op.mu.Lock()
	op.exchanges++
	op.mu.Unlock()
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != op.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(op.ClientSecret)) != 1 {
		oauthError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	op.mu.Lock()
	g := op.codes[r.PostForm.Get("code")]
	spent := g == nil || g.used
	if g != nil {
		// A code is spent by its first presentation, right or wrong.
		g.used = true
	}
	tweak, forge := op.tweak, op.forge
	op.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if spent || g.redirectURI != r.PostForm.Get("redirect_uri") ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		oauthError(w, http.StatusBadRequest, "invalid_grant")
		return
	}
	now := time.Now()
	claims := map[string]any{"iss": op.URL, "sub": g.person.Subject, "aud": op.ClientID, "iat": now.Unix(),
		"exp": now.Add(5 * time.Minute).Unix(), "nonce": g.nonce, "email": g.person.Email,
		"email_verified": g.person.EmailVerified, "name": g.person.Name}
	if tweak != nil {
		tweak(claims)
	}
	idToken, err := op.sign(claims)
	if forge != nil {
		idToken = forge(claims)
	}
	if err != nil {
		oauthError(w, http.StatusInternalServerError, "server_error")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": rand.Text(), "token_type": "Bearer",
		"expires_in": 300, "id_token": idToken})
}

// Sign signs claims with the provider's key (a test may forge tokens with
// another provider's Sign).
func (op *OP) sign(claims map[string]any) (string, error) {
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: op.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", op.kid))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := s.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

func oauthError(w http.ResponseWriter, status int, code string) {
	writeJSON(w, status, map[string]string{"error": code})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
