// Package token signs and verifies access tokens (EdDSA JWTs) and loads the
// key material they and OTP codes depend on.
package token

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.TokenSigner = (*Signer)(nil)

// Signer issues Ed25519-signed JWTs with one private key and verifies
// tokens signed by it or by any extra public key, so that after a key
// rotation tokens issued with the old key stay valid until they expire.
type Signer struct {
	priv     ed25519.PrivateKey
	kid      string
	issuer   string
	audience string
	keys     map[string]ed25519.PublicKey // by kid: current and extra keys
	jwks     []byte
}

// NewSigner returns a Signer that signs with priv and verifies with priv's
// public key and extraPublic (old keys kept for rotation).
func NewSigner(priv ed25519.PrivateKey, issuer, audience string, extraPublic ...ed25519.PublicKey) *Signer {
	// A malformed key is a wiring bug; fail at startup, not on first use.
	if len(priv) != ed25519.PrivateKeySize {
		panic("token: NewSigner: invalid Ed25519 private key")
	}
	pub := priv.Public().(ed25519.PublicKey)
	s := &Signer{
		priv:     priv,
		kid:      KeyID(pub),
		issuer:   issuer,
		audience: audience,
		keys:     make(map[string]ed25519.PublicKey, 1+len(extraPublic)),
	}
	set := jwkSet{Keys: []jwk{}}
	// The current key goes first; a duplicate (e.g. the current public key
	// also listed as extra) is skipped so kids stay unique in the JWKS.
	for _, k := range append([]ed25519.PublicKey{pub}, extraPublic...) {
		if len(k) != ed25519.PublicKeySize {
			panic("token: NewSigner: invalid Ed25519 public key")
		}
		kid := KeyID(k)
		if _, dup := s.keys[kid]; dup {
			continue
		}
		s.keys[kid] = k
		set.Keys = append(set.Keys, jwk{
			Kty: "OKP", Crv: "Ed25519", X: base64.RawURLEncoding.EncodeToString(k),
			Kid: kid, Alg: "EdDSA", Use: "sig",
		})
	}
	s.jwks, _ = json.Marshal(set) // cannot fail: only strings
	return s
}

// KeyID is the JWT "kid" of pub: the first 16 bytes of its SHA-256,
// base64url without padding. Deriving it from the key means every instance
// agrees on it without configuration.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return base64.RawURLEncoding.EncodeToString(sum[:16])
}

// claims is the JWT payload. aud is a single string rather than
// jwt.ClaimStrings, which would always be encoded as an array.
type claims struct {
	Issuer    string `json:"iss"`
	Audience  string `json:"aud"`
	Subject   string `json:"sub"`
	SessionID string `json:"sid,omitempty"`
	// GrantType is "client_credentials" on a program's own token (the
	// claim "gty" other issuers use for it too); a user's token has none.
	GrantType string `json:"gty,omitempty"`
	// ClientID is RFC 9068's client_id: the partner app, also the subject
	// of its own token.
	ClientID  string           `json:"client_id,omitempty"`
	Role      string           `json:"role"`
	Scope     string           `json:"scope,omitempty"`
	IssuedAt  *jwt.NumericDate `json:"iat"`
	ExpiresAt *jwt.NumericDate `json:"exp"`
	ID        string           `json:"jti"`
}

func (c *claims) GetExpirationTime() (*jwt.NumericDate, error) { return c.ExpiresAt, nil }
func (c *claims) GetIssuedAt() (*jwt.NumericDate, error)       { return c.IssuedAt, nil }
func (c *claims) GetNotBefore() (*jwt.NumericDate, error)      { return nil, nil }
func (c *claims) GetIssuer() (string, error)                   { return c.Issuer, nil }
func (c *claims) GetSubject() (string, error)                  { return c.Subject, nil }
func (c *claims) GetAudience() (jwt.ClaimStrings, error) {
	return jwt.ClaimStrings{c.Audience}, nil
}

// Sign returns a compact JWT for c.
func (s *Signer) Sign(c ports.AccessClaims) (string, error) {
	// A token without exp would be refused by Verify anyway; fail loudly at
	// the source instead of minting something unusable.
	if c.ExpiresAt.IsZero() {
		return "", errors.New("token: sign: ExpiresAt is not set")
	}
	jti, err := uuid.NewRandom()
	if err != nil {
		return "", fmt.Errorf("token: sign: jti: %w", err)
	}
	body := &claims{
		Issuer:    s.issuer,
		Audience:  s.audience,
		Subject:   c.UserID.String(),
		SessionID: c.SessionID.String(),
		Role:      c.Role,
		Scope:     strings.Join(c.Scopes, " "),
		IssuedAt:  jwt.NewNumericDate(c.IssuedAt),
		ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
		ID:        jti.String(),
	}
	switch c.Kind {
	case ports.TokenUser:
	case ports.TokenClient:
		if c.ClientID == "" {
			return "", errors.New("token: sign: a client token needs its ClientID")
		}
		// No sid: a client token has no session to be looked up by, so
		// the user path refuses it for want of one as well as by its gty.
		body.Subject, body.SessionID, body.GrantType, body.ClientID = c.ClientID, "", grantClientCredentials, c.ClientID
	default:
		return "", fmt.Errorf("token: sign: unknown token kind %q", c.Kind)
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, body)
	t.Header["kid"] = s.kid
	out, err := t.SignedString(s.priv)
	if err != nil {
		return "", fmt.Errorf("token: sign: %w", err)
	}
	return out, nil
}

// Verify checks token's signature, issuer, audience and expiry at now and
// returns its claims. Every failure is the same UNAUTHENTICATED error so
// clients learn nothing about why; the cause is kept for logs.
func (s *Signer) Verify(token string, now time.Time) (ports.AccessClaims, error) {
	c, err := s.parse(token, now)
	if err != nil {
		return ports.AccessClaims{}, &ports.Error{
			Code:    ports.CodeUnauthenticated,
			Message: "access token is invalid or expired",
			Cause:   err,
		}
	}
	return c, nil
}

func (s *Signer) parse(token string, now time.Time) (ports.AccessClaims, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, s.key,
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithAudience(s.audience),
		jwt.WithIssuer(s.issuer),
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithExpirationRequired(),
	)
	if err != nil {
		return ports.AccessClaims{}, err
	}
	switch c.GrantType {
	case "":
	case grantClientCredentials:
		return s.clientClaims(c)
	default:
		return ports.AccessClaims{}, fmt.Errorf("gty: unknown grant type %q", c.GrantType)
	}
	if c.ClientID != "" {
		return ports.AccessClaims{}, errors.New("client_id on a user's token")
	}
	uid, err := uuid.Parse(c.Subject)
	if err != nil {
		return ports.AccessClaims{}, fmt.Errorf("sub: %w", err)
	}
	sid, err := uuid.Parse(c.SessionID)
	if err != nil {
		return ports.AccessClaims{}, fmt.Errorf("sid: %w", err)
	}
	out := ports.AccessClaims{
		UserID:    uid,
		SessionID: sid,
		Role:      c.Role,
		Scopes:    strings.Fields(c.Scope),
		ExpiresAt: c.ExpiresAt.UTC(),
	}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.UTC()
	}
	return out, nil
}

// grantClientCredentials is the gty claim of a client token.
const grantClientCredentials = "client_credentials"

// clientClaims reads a client token: its subject is its client, and it
// carries no session.
func (s *Signer) clientClaims(c claims) (ports.AccessClaims, error) {
	if c.Subject == "" || c.ClientID != c.Subject || c.SessionID != "" {
		return ports.AccessClaims{}, errors.New("client token: sub and client_id differ, or a sid is set")
	}
	out := ports.AccessClaims{Kind: ports.TokenClient, ClientID: c.ClientID, Role: c.Role,
		Scopes: strings.Fields(c.Scope), ExpiresAt: c.ExpiresAt.UTC()}
	if c.IssuedAt != nil {
		out.IssuedAt = c.IssuedAt.UTC()
	}
	return out, nil
}

// key picks the verification key named by the token's kid. Tokens without
// a known kid are refused rather than tried against every key.
func (s *Signer) key(t *jwt.Token) (any, error) {
	kid, _ := t.Header["kid"].(string)
	k, ok := s.keys[kid]
	if !ok {
		return nil, fmt.Errorf("unknown kid %q", kid)
	}
	return k, nil
}

// KindOf reads the gty claim of token's payload without checking the
// signature: a client token says client_credentials. A token too long to
// be ours is read as a user's (and Verify refuses it).
func (s *Signer) KindOf(token string) ports.TokenKind {
	if len(token) > 4096 {
		return ports.TokenUser
	}
	_, rest, ok := strings.Cut(token, ".")
	payload, _, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 {
		return ports.TokenUser
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return ports.TokenUser
	}
	var c struct {
		GrantType string `json:"gty"`
	}
	if json.Unmarshal(b, &c) != nil || c.GrantType != grantClientCredentials {
		return ports.TokenUser
	}
	return ports.TokenClient
}

// JWKS returns the public keys as a JSON Web Key Set (RFC 8037 OKP keys),
// for /.well-known/jwks.json. It is built once; callers get a copy so they
// cannot corrupt it.
func (s *Signer) JWKS() []byte { return slices.Clone(s.jwks) }

type jwkSet struct {
	Keys []jwk `json:"keys"`
}

type jwk struct {
	Kty string `json:"kty"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
}
