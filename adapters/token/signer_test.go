package token

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
)

const (
	iss = "https://auth.example.test"
	aud = "example-api"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func newKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return priv
}

func sampleClaims() ports.AccessClaims {
	return ports.AccessClaims{
		UserID:    uuid.New(),
		SessionID: uuid.New(),
		Role:      "user",
		Scopes:    []string{"profile:read", "profile:write"},
		IssuedAt:  t0,
		ExpiresAt: t0.Add(15 * time.Minute),
	}
}

func assertUnauthenticated(t *testing.T, err error) {
	t.Helper()
	require.Error(t, err)
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, ports.CodeUnauthenticated, pe.Code)
	assert.Equal(t, "access token is invalid or expired", pe.Message)
	assert.Error(t, pe.Cause, "the cause is kept for logs")
}

// payload decodes the token's middle part.
func payload(t *testing.T, tok string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	require.NoError(t, err)
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m))
	return m
}

func TestSignVerifyRoundTrip(t *testing.T) {
	s := NewSigner(newKey(t), iss, aud)
	in := sampleClaims()
	tok, err := s.Sign(in)
	require.NoError(t, err)

	out, err := s.Verify(tok, t0.Add(time.Minute))
	require.NoError(t, err)
	assert.Equal(t, in, out)

	p := payload(t, tok)
	assert.Equal(t, iss, p["iss"])
	assert.Equal(t, aud, p["aud"], "single audience is a plain string")
	assert.Equal(t, in.UserID.String(), p["sub"])
	assert.Equal(t, in.SessionID.String(), p["sid"])
	assert.Equal(t, "profile:read profile:write", p["scope"])
	jti, _ := p["jti"].(string)
	_, err = uuid.Parse(jti)
	assert.NoError(t, err)

	h, _, err := jwt.NewParser().ParseUnverified(tok, jwt.MapClaims{})
	require.NoError(t, err)
	assert.Equal(t, "EdDSA", h.Header["alg"])
	assert.Equal(t, s.kid, h.Header["kid"])

	tok2, err := s.Sign(in)
	require.NoError(t, err)
	assert.NotEqual(t, jti, payload(t, tok2)["jti"], "jti is unique per token")
}

func TestNoScopesOmitted(t *testing.T) {
	s := NewSigner(newKey(t), iss, aud)
	c := sampleClaims()
	c.Scopes = nil
	tok, err := s.Sign(c)
	require.NoError(t, err)
	assert.NotContains(t, payload(t, tok), "scope")
	out, err := s.Verify(tok, t0)
	require.NoError(t, err)
	assert.Empty(t, out.Scopes)
}

func TestSignRequiresExpiry(t *testing.T) {
	s := NewSigner(newKey(t), iss, aud)
	c := sampleClaims()
	c.ExpiresAt = time.Time{}
	_, err := s.Sign(c)
	assert.Error(t, err)
}

func TestExpiredRejected(t *testing.T) {
	s := NewSigner(newKey(t), iss, aud)
	c := sampleClaims()
	tok, err := s.Sign(c)
	require.NoError(t, err)

	_, err = s.Verify(tok, c.ExpiresAt.Add(-time.Second))
	require.NoError(t, err)
	_, err = s.Verify(tok, c.ExpiresAt)
	assertUnauthenticated(t, err)
	_, err = s.Verify(tok, c.ExpiresAt.Add(time.Hour))
	assertUnauthenticated(t, err)
}

func TestWrongAudienceOrIssuerRejected(t *testing.T) {
	key := newKey(t)
	tok, err := NewSigner(key, iss, "other-api").Sign(sampleClaims())
	require.NoError(t, err)
	_, err = NewSigner(key, iss, aud).Verify(tok, t0)
	assertUnauthenticated(t, err)

	tok, err = NewSigner(key, "https://evil.test", aud).Sign(sampleClaims())
	require.NoError(t, err)
	_, err = NewSigner(key, iss, aud).Verify(tok, t0)
	assertUnauthenticated(t, err)
}

func TestOtherKeyRejected(t *testing.T) {
	tok, err := NewSigner(newKey(t), iss, aud).Sign(sampleClaims())
	require.NoError(t, err)
	_, err = NewSigner(newKey(t), iss, aud).Verify(tok, t0)
	assertUnauthenticated(t, err)
}

func TestOtherKeyWithForgedKidRejected(t *testing.T) {
	victim := NewSigner(newKey(t), iss, aud)
	attacker := NewSigner(newKey(t), iss, aud)
	attacker.kid = victim.kid // claim to be signed by the victim's key
	tok, err := attacker.Sign(sampleClaims())
	require.NoError(t, err)
	_, err = victim.Verify(tok, t0)
	assertUnauthenticated(t, err)
}

func TestTamperedPayloadRejected(t *testing.T) {
	s := NewSigner(newKey(t), iss, aud)
	tok, err := s.Sign(sampleClaims())
	require.NoError(t, err)

	parts := strings.Split(tok, ".")
	p := payload(t, tok)
	p["role"] = "admin"
	raw, err := json.Marshal(p)
	require.NoError(t, err)
	parts[1] = base64.RawURLEncoding.EncodeToString(raw)
	_, err = s.Verify(strings.Join(parts, "."), t0)
	assertUnauthenticated(t, err)

	_, err = s.Verify("not.a.token", t0)
	assertUnauthenticated(t, err)
	_, err = s.Verify("", t0)
	assertUnauthenticated(t, err)
}

func TestOtherAlgorithmsRejected(t *testing.T) {
	key := newKey(t)
	s := NewSigner(key, iss, aud)
	c := sampleClaims()
	mc := jwt.MapClaims{
		"iss": iss, "aud": aud, "sub": c.UserID.String(), "sid": c.SessionID.String(),
		"role": "admin", "iat": t0.Unix(), "exp": c.ExpiresAt.Unix(),
	}

	none := jwt.NewWithClaims(jwt.SigningMethodNone, mc)
	none.Header["kid"] = s.kid
	tok, err := none.SignedString(jwt.UnsafeAllowNoneSignatureType)
	require.NoError(t, err)
	_, err = s.Verify(tok, t0)
	assertUnauthenticated(t, err)

	// HS256 keyed with the public key: the classic algorithm-confusion attack.
	hs := jwt.NewWithClaims(jwt.SigningMethodHS256, mc)
	hs.Header["kid"] = s.kid
	tok, err = hs.SignedString([]byte(key.Public().(ed25519.PublicKey)))
	require.NoError(t, err)
	_, err = s.Verify(tok, t0)
	assertUnauthenticated(t, err)
}

func TestRotation(t *testing.T) {
	oldKey, newK := newKey(t), newKey(t)
	tok, err := NewSigner(oldKey, iss, aud).Sign(sampleClaims())
	require.NoError(t, err)

	_, err = NewSigner(newK, iss, aud).Verify(tok, t0)
	assertUnauthenticated(t, err)

	rotated := NewSigner(newK, iss, aud, oldKey.Public().(ed25519.PublicKey))
	_, err = rotated.Verify(tok, t0)
	assert.NoError(t, err)

	fresh, err := rotated.Sign(sampleClaims())
	require.NoError(t, err)
	_, err = rotated.Verify(fresh, t0)
	assert.NoError(t, err)
}

func TestJWKS(t *testing.T) {
	cur, old := newKey(t), newKey(t)
	curPub := cur.Public().(ed25519.PublicKey)
	oldPub := old.Public().(ed25519.PublicKey)
	// The current key listed again as extra must not be duplicated.
	s := NewSigner(cur, iss, aud, oldPub, curPub)

	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	require.NoError(t, json.Unmarshal(s.JWKS(), &set))
	require.Len(t, set.Keys, 2)
	for i, want := range []ed25519.PublicKey{curPub, oldPub} {
		k := set.Keys[i]
		assert.Equal(t, "OKP", k["kty"])
		assert.Equal(t, "Ed25519", k["crv"])
		assert.Equal(t, "EdDSA", k["alg"])
		assert.Equal(t, "sig", k["use"])
		assert.Equal(t, KeyID(want), k["kid"])
		x, err := base64.RawURLEncoding.DecodeString(k["x"])
		require.NoError(t, err)
		assert.Equal(t, []byte(want), x)
	}

	b := s.JWKS()
	b[0] = 'X'
	assert.True(t, json.Valid(s.JWKS()), "callers cannot corrupt the cached JWKS")
}

func TestKeyIDShape(t *testing.T) {
	kid := KeyID(newKey(t).Public().(ed25519.PublicKey))
	assert.Len(t, kid, 22) // 16 bytes, base64url, unpadded
	assert.NotContains(t, kid, "=")
}
