package federationtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
)

// NewStandaloneOP makes the provider (NewOP serves one for a test) for a program that
// serves it itself (the development provider, cmd/gatehouse-dev-idp) at
// url, which becomes its issuer: no test owns it, and Handler answers its
// requests. Every authorization approves the person SignsInAs chose.
func NewStandaloneOP(url, clientID, clientSecret string) (*OP, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	return &OP{URL: url, ClientID: clientID, ClientSecret: clientSecret, key: key, kid: "k-" + rand.Text()[:8],
		codes: map[string]*grant{}, overrides: map[string]http.HandlerFunc{}}, nil
}

// Handler serves the provider's endpoints (discovery, JWKS, authorize,
// token), honouring SetDown and Override as NewOP's server does.
func (op *OP) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", op.discovery)
	mux.HandleFunc("GET /jwks", op.jwks)
	mux.HandleFunc("GET /authorize", op.authorize)
	mux.HandleFunc("POST /token", op.token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		op.mu.Lock()
		down := op.down
		override := op.overrides[r.URL.Path]
		op.mu.Unlock()
		if down {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			return
		}
		if override != nil {
			override(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}
