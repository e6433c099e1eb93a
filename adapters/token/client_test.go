package token

import (
	"crypto/ed25519"
	"crypto/rand"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

// TestClientTokensMustBeWellFormed: a token signed with our key but
// mixing a client token's claims with a user's is refused, so no claim
// set can be read as both.
func TestClientTokensMustBeWellFormed(t *testing.T) {
	priv := newKey(t)
	s := NewSigner(priv, iss, aud)
	client := uuid.NewString()
	base := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": iss, "aud": aud, "sub": client, "client_id": client, "gty": "client_credentials",
			"role": "PARTNER", "iat": t0.Unix(), "exp": t0.Add(time.Minute).Unix(), "jti": uuid.NewString()}
	}
	sign := func(c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
		tok.Header["kid"] = KeyID(priv.Public().(ed25519.PublicKey))
		out, err := tok.SignedString(priv)
		require.NoError(t, err)
		return out
	}
	got, err := s.Verify(sign(base()), t0)
	require.NoError(t, err)
	require.Equal(t, ports.TokenClient, got.Kind)
	require.Equal(t, client, got.ClientID)

	for name, edit := range map[string]func(jwt.MapClaims){
		"a session":              func(c jwt.MapClaims) { c["sid"] = uuid.NewString() },
		"client_id is not sub":   func(c jwt.MapClaims) { c["client_id"] = uuid.NewString() },
		"no client_id":           func(c jwt.MapClaims) { delete(c, "client_id") },
		"another grant":          func(c jwt.MapClaims) { c["gty"] = "password" },
		"a user's with a client": func(c jwt.MapClaims) { delete(c, "gty"); c["sub"] = uuid.NewString(); c["sid"] = uuid.NewString() },
	} {
		c := base()
		edit(c)
		_, err := s.Verify(sign(c), t0)
		require.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err), name)
	}
}

// BenchmarkVerify is one access token's check: what a request not
// answered by the session cache pays for each reading of its token.
func BenchmarkVerify(b *testing.B) {
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	s := NewSigner(priv, iss, aud)
	tok, err := s.Sign(sampleClaims())
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.Verify(tok, t0); err != nil {
			b.Fatal(err)
		}
	}
}
