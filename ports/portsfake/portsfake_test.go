package portsfake_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// These tests pin what the fakes add for tests (recorded messages, the
// fixed box key); what they share with the real adapters is in the
// contract suites (contracts_test.go).

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

// The fake box's key is fixed and public (its contract is
// portstest.RunSecretBox): another fake opens what one sealed.
func TestSecretBoxKeyIsFixed(t *testing.T) {
	sealed, err := portsfake.NewSecretBox().Seal([]byte("JBSWY3DPEHPK3PXP"), []byte("user-1"))
	require.NoError(t, err)
	plain, err := portsfake.NewSecretBox().Open(sealed, []byte("user-1"))
	require.NoError(t, err, "another fake box opens it (fixed key)")
	assert.Equal(t, "JBSWY3DPEHPK3PXP", string(plain))
}
