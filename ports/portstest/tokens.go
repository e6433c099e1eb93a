package portstest

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// RunTokenSigner runs the TokenSigner contract suite against
// implementations from newSigner (portsfake.TokenSigner and the EdDSA
// signer of adapters/token); two calls give signers with different keys.
func RunTokenSigner(t *testing.T, newSigner func(t *testing.T) ports.TokenSigner) {
	t.Run("SignVerify", func(t *testing.T) { t.Parallel(); signerSignVerify(t, newSigner(t), newSigner(t)) })
	t.Run("ClientToken", func(t *testing.T) { t.Parallel(); signerClientToken(t, newSigner(t)) })
}

// signerClientToken: a client token comes back as a client's, naming no
// user and no session, so no session lookup can take it for a user's.
func signerClientToken(t *testing.T, s ports.TokenSigner) {
	clientID := uuid.NewString()
	c := ports.AccessClaims{Kind: ports.TokenClient, ClientID: clientID, Role: ports.RolePartner,
		Scopes: []string{"accounts:write"}, IssuedAt: T0, ExpiresAt: T0.Add(time.Minute)}
	tok, err := s.Sign(c)
	noErr(t, err)
	check(t, s.KindOf(tok) == ports.TokenClient, "KindOf a client token: %q", s.KindOf(tok))
	got, err := s.Verify(tok, T0)
	noErr(t, err)
	check(t, got.Kind == ports.TokenClient && got.ClientID == clientID && got.UserID == uuid.Nil &&
		got.SessionID == uuid.Nil && got.Role == ports.RolePartner && slices.Equal(got.Scopes, c.Scopes) &&
		got.ExpiresAt.Equal(c.ExpiresAt), "client claims: %+v", got)

	user := ports.AccessClaims{UserID: uuid.New(), SessionID: uuid.New(), Role: ports.RoleMember, IssuedAt: T0,
		ExpiresAt: T0.Add(time.Minute)}
	tok, err = s.Sign(user)
	noErr(t, err)
	got, err = s.Verify(tok, T0)
	noErr(t, err)
	check(t, got.Kind == ports.TokenUser && got.ClientID == "", "a user's token came back as %+v", got)
	for _, other := range []string{tok, "garbage", "", "a.b.c", "fake.x.y"} {
		check(t, s.KindOf(other) == ports.TokenUser, "KindOf %q: %q", other, s.KindOf(other))
	}

	_, err = s.Sign(ports.AccessClaims{Kind: ports.TokenClient, Role: ports.RolePartner, ExpiresAt: T0.Add(time.Minute)})
	check(t, err != nil, "signed a client token without its client")
	_, err = s.Sign(ports.AccessClaims{Kind: "robot", UserID: uuid.New(), SessionID: uuid.New(), ExpiresAt: T0.Add(time.Minute)})
	check(t, err != nil, "signed a token of an unknown kind")
}

func signerSignVerify(t *testing.T, s, other ports.TokenSigner) {
	// Whole seconds: a JWT's times are.
	c := ports.AccessClaims{UserID: uuid.New(), SessionID: uuid.New(), Role: ports.RoleSupport,
		Scopes: []string{"kyc:read", "users:read"}, IssuedAt: T0, ExpiresAt: T0.Add(time.Minute)}
	tok, err := s.Sign(c)
	noErr(t, err)
	got, err := s.Verify(tok, T0.Add(59*time.Second))
	noErr(t, err)
	check(t, got.UserID == c.UserID && got.SessionID == c.SessionID && got.Role == c.Role &&
		slices.Equal(got.Scopes, c.Scopes) && got.IssuedAt.Equal(c.IssuedAt) && got.ExpiresAt.Equal(c.ExpiresAt),
		"claims: %+v, want %+v", got, c)

	fromOther, err := other.Sign(c)
	noErr(t, err)
	for name, tc := range map[string]struct {
		token string
		at    time.Time
	}{
		"expired":      {tok, T0.Add(time.Minute)},
		"tampered":     {tok[:len(tok)-2] + "xx", T0},
		"other signer": {fromOther, T0},
		"not a token":  {"garbage", T0},
		"empty":        {"", T0},
	} {
		_, err := s.Verify(tc.token, tc.at)
		check(t, ports.ErrorCodeOf(err) == ports.CodeUnauthenticated, "%s: %v, want UNAUTHENTICATED", name, err)
	}
	_, err = s.Sign(ports.AccessClaims{UserID: c.UserID, SessionID: c.SessionID, Role: c.Role})
	check(t, err != nil, "signed claims without an expiry")

	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	check(t, json.Unmarshal(s.JWKS(), &set) == nil && set.Keys != nil, "JWKS is not a key set: %s", s.JWKS())
}
