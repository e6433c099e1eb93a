package token_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/token"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// TestTokenSignerContract runs the suite portsfake.TokenSigner also
// passes, so the fake the module tests run on cannot drift from this.
func TestTokenSignerContract(t *testing.T) {
	portstest.RunTokenSigner(t, func(t *testing.T) ports.TokenSigner {
		_, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return token.NewSigner(priv, "https://auth.example.test", "example-api")
	})
}
