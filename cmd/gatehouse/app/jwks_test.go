package app_test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

// TestAccessTokenVerifiesOfflineWithJWKS does what another service would:
// fetch the key set once, then check a token without calling Gatehouse.
func TestAccessTokenVerifiesOfflineWithJWKS(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.signUp("+447911123510", "4831", "device-A")

	res, err := http.Get(h.srv.URL + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set struct {
		Keys []struct{ Kty, Crv, X, Kid, Alg string }
	}
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil {
		t.Fatal(err)
	}
	must(t, len(set.Keys) == 1 && set.Keys[0].Kty == "OKP" && set.Keys[0].Crv == "Ed25519", "keys: %+v", set.Keys)
	x, err := base64.RawURLEncoding.DecodeString(set.Keys[0].X)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Parse(a.AccessToken, func(tok *jwt.Token) (any, error) {
		must(t, tok.Header["kid"] == set.Keys[0].Kid, "kid %v not in JWKS", tok.Header["kid"])
		return ed25519.PublicKey(x), nil
	}, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithAudience("gatehouse-clients"), jwt.WithIssuer("gatehouse"),
		jwt.WithTimeFunc(h.clock.Now))
	if err != nil {
		t.Fatalf("offline verification failed: %v", err)
	}
	claims := tok.Claims.(jwt.MapClaims)
	must(t, claims["sub"] == a.User.ID && claims["role"] == "MEMBER" && claims["sid"] != nil, "claims: %v", claims)

	for _, path := range []string{"/healthz", "/readyz"} {
		r, err := http.Get(h.srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		must(t, r.StatusCode == 200, "%s: %d", path, r.StatusCode)
	}
}
