package portsfake_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// These tests pin the fakes to the semantics documented on the ports, so
// that module tests built on them mean something.

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func TestTokenSignerHonoursExpiry(t *testing.T) {
	s := portsfake.NewTokenSigner()
	c := ports.AccessClaims{UserID: uuid.New(), SessionID: uuid.New(), Role: "MEMBER", IssuedAt: t0, ExpiresAt: t0.Add(time.Minute)}
	tok, err := s.Sign(c)
	require.NoError(t, err)
	got, err := s.Verify(tok, t0.Add(59*time.Second))
	require.NoError(t, err)
	assert.Equal(t, c.UserID, got.UserID)
	assert.Equal(t, c.SessionID, got.SessionID)

	for name, tc := range map[string]struct {
		token string
		at    time.Time
	}{
		"expired":      {tok, t0.Add(time.Minute)},
		"tampered":     {tok[:len(tok)-2] + "xx", t0},
		"other signer": {func() string { x, _ := portsfake.NewTokenSigner().Sign(c); return x }(), t0},
		"not a token":  {"garbage", t0},
		"empty":        {"", t0},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := s.Verify(tc.token, tc.at)
			var pe *ports.Error
			require.True(t, errors.As(err, &pe), "want *ports.Error, got %v", err)
			assert.Equal(t, ports.CodeUnauthenticated, pe.Code)
		})
	}
	_, err = s.Sign(ports.AccessClaims{})
	assert.Error(t, err, "no expiry")
}

func TestSMSSenderLastCode(t *testing.T) {
	ctx := context.Background()
	s := portsfake.NewSMSSender()
	_, ok := s.LastCode("+1")
	assert.False(t, ok)
	require.NoError(t, s.SendSMS(ctx, "+1", "code 111111."))
	require.NoError(t, s.SendSMS(ctx, "+2", "code 222222."))
	require.NoError(t, s.SendSMS(ctx, "+1", "App: your code is 333333. It expires in 2 minutes."))
	code, ok := s.LastCode("+1")
	assert.True(t, ok)
	assert.Equal(t, "333333", code)
}

func TestEmailSenderLastCode(t *testing.T) {
	ctx := context.Background()
	s := portsfake.NewEmailSender()
	_, ok := s.LastCode("a@example.com")
	assert.False(t, ok)
	require.NoError(t, s.SendEmail(ctx, ports.Email{To: "a@example.com", Subject: "Code", Text: "code 111111."}))
	require.NoError(t, s.SendEmail(ctx, ports.Email{To: "b@example.com", Subject: "Code", Text: "code 222222."}))
	require.NoError(t, s.SendEmail(ctx, ports.Email{To: "a@example.com", Subject: "Your code",
		Text: "Your code is 333333. It expires in 2 minutes."}))
	code, ok := s.LastCode("a@example.com")
	assert.True(t, ok)
	assert.Equal(t, "333333", code)
	assert.Len(t, s.MessagesTo("a@example.com"), 2)

	s.FailWith(errors.New("down"))
	require.Error(t, s.SendEmail(ctx, ports.Email{To: "a@example.com", Text: "code 444444"}))
	assert.Len(t, s.Messages(), 3, "a failed send is not recorded")
}

func TestSecretBoxOpensOnlyWithItsAAD(t *testing.T) {
	b := portsfake.NewSecretBox()
	sealed, err := b.Seal([]byte("JBSWY3DPEHPK3PXP"), []byte("user-1"))
	require.NoError(t, err)
	assert.NotContains(t, string(sealed), "JBSWY3DPEHPK3PXP")
	again, err := b.Seal([]byte("JBSWY3DPEHPK3PXP"), []byte("user-1"))
	require.NoError(t, err)
	assert.NotEqual(t, sealed, again, "each seal has its own nonce")

	plain, err := b.Open(sealed, []byte("user-1"))
	require.NoError(t, err)
	assert.Equal(t, "JBSWY3DPEHPK3PXP", string(plain))
	_, err = b.Open(sealed, []byte("user-2"))
	assert.Error(t, err, "wrong aad")
	tampered := append([]byte(nil), sealed...)
	tampered[len(tampered)-1] ^= 1
	_, err = b.Open(tampered, []byte("user-1"))
	assert.Error(t, err, "tampered")
	_, err = b.Open([]byte("short"), []byte("user-1"))
	assert.Error(t, err, "too short")
	plain, err = portsfake.NewSecretBox().Open(sealed, []byte("user-1"))
	require.NoError(t, err, "another fake box opens it (fixed key)")
	assert.Equal(t, "JBSWY3DPEHPK3PXP", string(plain))
}
