package otp_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

const addr = "ada@example.com"

func TestEmailChannelSendsByEmailAndMasksTheAddress(t *testing.T) {
	e := newEnv(t)
	ch, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeEmailSignup, Channel: otp.ChannelEmail, To: addr})
	require.NoError(t, err)
	assert.Equal(t, otp.ChannelEmail, ch.Channel)
	assert.Equal(t, "a***@example.com", ch.Destination)
	assert.Empty(t, e.sms.Messages(), "nothing goes by SMS")
	msgs := e.emails.MessagesTo(addr)
	require.Len(t, msgs, 1)
	assert.Equal(t, ports.ChannelEmail, e.outbox.Messages()[0].Channel)
	code, ok := e.emails.LastCode(addr)
	require.True(t, ok)

	v, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeEmailSignup, code)
	require.NoError(t, err)
	assert.Equal(t, addr, v.Destination)
	assert.Equal(t, otp.ChannelEmail, v.Channel)
}

func TestDecoyLooksRealSendsNothingAndNoCodeAnswers(t *testing.T) {
	e := newEnv(t)
	real, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposePasswordReset, Channel: otp.ChannelEmail, To: addr})
	require.NoError(t, err)
	decoy, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposePasswordReset, Channel: otp.ChannelEmail,
		To: "nobody@example.com", Decoy: true})
	require.NoError(t, err)
	assert.Equal(t, real.Purpose, decoy.Purpose)
	assert.Equal(t, real.ExpiresAt, decoy.ExpiresAt)
	assert.Equal(t, real.ResendAfter, decoy.ResendAfter)
	assert.Equal(t, "n***@example.com", decoy.Destination)
	assert.Empty(t, e.emails.MessagesTo("nobody@example.com"))

	// The real code does not answer the decoy; every try counts the same.
	code, _ := e.emails.LastCode(addr)
	_, err = e.svc.Verify(e.ctx(), decoy.ID, otp.PurposePasswordReset, code)
	errtest.Code(t, err, ports.CodeInvalidCode)
	assert.Equal(t, 1, e.stored(decoy.ID).Attempts)
}

func TestDecoysCountAgainstTheDestinationLimit(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		_, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposePasswordReset, Channel: otp.ChannelEmail,
			To: "nobody@example.com", Decoy: true})
		require.NoError(t, err)
	}
	_, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposePasswordReset, Channel: otp.ChannelEmail,
		To: "nobody@example.com", Decoy: true})
	errtest.Code(t, err, ports.CodeRateLimited, "as a real address would be")
}

func TestTOTPChallengeIsAnsweredByTheCallersCheck(t *testing.T) {
	e := newEnv(t)
	ch, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignInMFA, Channel: otp.ChannelTOTP,
		To: "user", Metadata: map[string]string{"userId": "u"}})
	require.NoError(t, err)
	assert.Equal(t, "authenticator app", ch.Destination)
	assert.Empty(t, e.sms.Messages())
	assert.Empty(t, e.emails.Messages())

	_, err = e.svc.Resend(e.ctx(), ch.ID)
	errtest.Code(t, err, ports.CodeValidationFailed, "nothing to resend")

	// Without an AppCheck the challenge cannot be answered at all.
	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignInMFA, "123456")
	errtest.Code(t, err, ports.CodeNotFound)

	check := func(_ context.Context, v otp.Verified, code string) (bool, error) {
		assert.Equal(t, "u", v.Metadata["userId"])
		return code == "abcd-efgh-ijkl-mnop", nil
	}
	var ran bool
	_, err = e.svc.VerifyWith(e.ctx(), otp.VerifyRequest{ID: ch.ID, Purpose: otp.PurposeSignInMFA,
		Code: "654321", AppCheck: check})
	errtest.Code(t, err, ports.CodeInvalidCode)
	assert.Equal(t, 1, e.stored(ch.ID).Attempts, "a wrong app code counts as a try")

	v, err := e.svc.VerifyWith(e.ctx(), otp.VerifyRequest{ID: ch.ID, Purpose: otp.PurposeSignInMFA,
		Code: "abcd-efgh-ijkl-mnop", AppCheck: check,
		Then: func(context.Context, otp.Verified) error { ran = true; return nil }})
	require.NoError(t, err)
	assert.True(t, ran)
	assert.Equal(t, otp.ChannelTOTP, v.Channel)

	_, err = e.svc.VerifyWith(e.ctx(), otp.VerifyRequest{ID: ch.ID, Purpose: otp.PurposeSignInMFA,
		Code: "abcd-efgh-ijkl-mnop", AppCheck: check})
	errtest.Code(t, err, ports.CodeInvalidCode, "a challenge is answered once")
}
