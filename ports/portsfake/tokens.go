package portsfake

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.TokenSigner = (*TokenSigner)(nil)

const tokenPrefix = "fake."

// TokenSigner implements ports.TokenSigner with an HMAC over the JSON
// claims, keyed by a random per-instance key: tokens from one instance
// fail on another. It is a test double, not a JWT; never use it in
// production.
type TokenSigner struct {
	key []byte
}

// NewTokenSigner returns a signer with a fresh random key.
func NewTokenSigner() *TokenSigner {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic(err)
	}
	return &TokenSigner{key: key}
}

func (s *TokenSigner) mac(payload string) string {
	h := hmac.New(sha256.New, s.key)
	h.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(h.Sum(nil))
}

// Sign returns "fake.<claims>.<mac>"; like the real signer it refuses
// claims without an expiry.
func (s *TokenSigner) Sign(c ports.AccessClaims) (string, error) {
	if c.ExpiresAt.IsZero() {
		return "", errors.New("portsfake: sign: ExpiresAt is not set")
	}
	switch {
	case c.Kind == ports.TokenClient && (c.ClientID == "" || c.UserID != uuid.Nil || c.SessionID != uuid.Nil):
		return "", errors.New("portsfake: sign: a client token has a ClientID and no user or session")
	case c.Kind != ports.TokenClient && c.Kind != ports.TokenUser:
		return "", errors.New("portsfake: sign: unknown token kind")
	}
	b, err := json.Marshal(c)
	if err != nil {
		return "", err
	}
	payload := base64.RawURLEncoding.EncodeToString(b)
	return tokenPrefix + payload + "." + s.mac(payload), nil
}

// Verify checks the MAC and that now is before the expiry; any failure is
// an UNAUTHENTICATED *ports.Error.
func (s *TokenSigner) Verify(token string, now time.Time) (ports.AccessClaims, error) {
	c, err := s.parse(token, now)
	if err != nil {
		return ports.AccessClaims{}, &ports.Error{Code: ports.CodeUnauthenticated,
			Message: "access token is invalid or expired", Cause: err}
	}
	return c, nil
}

func (s *TokenSigner) parse(token string, now time.Time) (ports.AccessClaims, error) {
	rest, ok := strings.CutPrefix(token, tokenPrefix)
	if !ok {
		return ports.AccessClaims{}, errors.New("not a fake token")
	}
	payload, sig, ok := strings.Cut(rest, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(s.mac(payload))) {
		return ports.AccessClaims{}, errors.New("bad signature")
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return ports.AccessClaims{}, err
	}
	var c ports.AccessClaims
	if err := json.Unmarshal(b, &c); err != nil {
		return ports.AccessClaims{}, err
	}
	if !now.Before(c.ExpiresAt) {
		return ports.AccessClaims{}, errors.New("token is expired")
	}
	return c, nil
}

// KindOf reads the kind from the claims without checking the MAC.
func (s *TokenSigner) KindOf(token string) ports.TokenKind {
	rest, _ := strings.CutPrefix(token, tokenPrefix)
	payload, _, _ := strings.Cut(rest, ".")
	b, err := base64.RawURLEncoding.DecodeString(payload)
	var c ports.AccessClaims
	if err != nil || json.Unmarshal(b, &c) != nil {
		return ports.TokenUser
	}
	return c.Kind
}

// JWKS returns an empty key set: the fake has no public key.
func (s *TokenSigner) JWKS() []byte { return []byte(`{"keys":[]}`) }
