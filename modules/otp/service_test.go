package otp_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestStartSendsSixDigitCodeAndStoresOnlyItsMAC(t *testing.T) {
	e := newEnv(t)
	ch, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: phone, Metadata: map[string]string{"userId": "not-a-uuid"}})
	require.NoError(t, err)

	assert.Equal(t, otp.PurposeSignup, ch.Purpose)
	assert.Equal(t, "+447*******56", ch.Destination, "the client sees the number masked")
	assert.Equal(t, t0.Add(120*time.Second), ch.ExpiresAt)
	assert.Equal(t, t0.Add(60*time.Second), ch.ResendAfter)

	msgs := e.sms.MessagesTo(phone)
	require.Len(t, msgs, 1)
	code := regexp.MustCompile(`\b\d{6}\b`).FindString(msgs[0].Text)
	assert.Regexp(t, `^\d{6}$`, code)
	// Queued with what the worker needs to write and time it.
	queued := e.outbox.Messages()
	require.Len(t, queued, 1)
	assert.Equal(t, ports.Message{Channel: ports.ChannelSMS, To: phone, Template: "otp_code",
		Data: map[string]string{"minutes": "2"}, Code: code, Ref: otp.Ref(ch.ID), NotAfter: ch.ExpiresAt}, queued[0])

	stored := e.stored(ch.ID)
	assert.Equal(t, phone, stored.Destination)
	assert.Equal(t, 5, stored.MaxAttempts)
	assert.Equal(t, 0, stored.Attempts)
	// Only a keyed digest bound to the challenge is kept.
	h := hmac.New(sha256.New, testKey)
	h.Write(stored.ID[:])
	h.Write([]byte(code))
	assert.Equal(t, h.Sum(nil), stored.CodeMAC)
	assert.NotContains(t, string(stored.CodeMAC), code)
	for k, v := range stored.Metadata {
		assert.NotContains(t, k+v, code, "metadata must not carry the code")
	}
	for _, a := range e.activities.Activities() {
		for k, v := range a.Details {
			assert.NotContains(t, k+v, code, "activity %s must not carry the code", a.Action)
		}
	}
}

func TestCodesAreNotRepeated(t *testing.T) {
	e := newEnv(t)
	seen := map[string]bool{}
	for i := 0; i < 5; i++ {
		_, code := e.start(phone)
		seen[code] = true
	}
	// Five equal draws from 10^6 would be a broken generator.
	assert.Greater(t, len(seen), 1)
}

func TestVerifyCorrectCode(t *testing.T) {
	e := newEnv(t)
	ch, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignInNewDevice, To: phone, Metadata: map[string]string{"deviceId": "d1"}})
	require.NoError(t, err)
	e.clock.Advance(119 * time.Second)

	v, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignInNewDevice, e.lastCode(phone))
	require.NoError(t, err)
	assert.Equal(t, ch.ID, v.ChallengeID)
	assert.Equal(t, otp.PurposeSignInNewDevice, v.Purpose)
	assert.Equal(t, phone, v.Destination, "the verified result carries the full number")
	assert.Equal(t, "d1", v.Metadata["deviceId"])
	assert.NotNil(t, e.stored(ch.ID).ConsumedAt)
}

func TestVerifyWrongCodesExhaustTheChallenge(t *testing.T) {
	e := newEnv(t)
	ch, code := e.start(phone)
	for i := 1; i <= 4; i++ {
		_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, wrong(code))
		errtest.Code(t, err, ports.CodeInvalidCode, "try %d", i)
		assert.Equal(t, i, e.stored(ch.ID).Attempts)
	}
	_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, wrong(code))
	errtest.Code(t, err, ports.CodeTooManyAttempts, "5th wrong try")

	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, code)
	errtest.Code(t, err, ports.CodeTooManyAttempts, "even the right code")
	assert.Nil(t, e.stored(ch.ID).ConsumedAt)
}

func TestVerifyOutcomes(t *testing.T) {
	tests := []struct {
		name string
		// act runs after the challenge was sent; it returns the id,
		// purpose and code to verify.
		act  func(e *env, ch otp.ChallengeView, code string) (uuid.UUID, otp.Purpose, string)
		want ports.ErrorCode
	}{
		{"expired after 120 s", func(e *env, ch otp.ChallengeView, code string) (uuid.UUID, otp.Purpose, string) {
			e.clock.Advance(121 * time.Second)
			return ch.ID, otp.PurposeSignup, code
		}, ports.CodeCodeExpired},
		{"expires at exactly 120 s", func(e *env, ch otp.ChallengeView, code string) (uuid.UUID, otp.Purpose, string) {
			e.clock.Advance(120 * time.Second)
			return ch.ID, otp.PurposeSignup, code
		}, ports.CodeCodeExpired},
		{"already consumed", func(e *env, ch otp.ChallengeView, code string) (uuid.UUID, otp.Purpose, string) {
			_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, code)
			require.NoError(e.t, err)
			return ch.ID, otp.PurposeSignup, code
		}, ports.CodeInvalidCode},
		{"wrong purpose", func(e *env, ch otp.ChallengeView, code string) (uuid.UUID, otp.Purpose, string) {
			return ch.ID, otp.PurposeSignInNewDevice, code
		}, ports.CodeNotFound},
		{"unknown challenge", func(e *env, ch otp.ChallengeView, code string) (uuid.UUID, otp.Purpose, string) {
			return uuid.New(), otp.PurposeSignup, code
		}, ports.CodeNotFound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ch, code := e.start(phone)
			id, purpose, c := tc.act(e, ch, code)
			_, err := e.svc.Verify(e.ctx(), id, purpose, c)
			errtest.Code(t, err, tc.want)
		})
	}
}

func TestVerifyWrongPurposeDoesNotCountOrConsume(t *testing.T) {
	e := newEnv(t)
	ch, code := e.start(phone)
	for i := 0; i < 6; i++ {
		_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposePinSetup, wrong(code))
		errtest.Code(t, err, ports.CodeNotFound)
	}
	assert.Equal(t, 0, e.stored(ch.ID).Attempts)
	_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, code)
	assert.NoError(t, err)
}

func TestVerifyMalformedCodeIsNotATry(t *testing.T) {
	for _, bad := range []string{"12ab56", "123", "", "1234567", " 12345", "١٢٣٤٥٦"} {
		t.Run(bad, func(t *testing.T) {
			e := newEnv(t)
			ch, code := e.start(phone)
			for i := 0; i < 6; i++ {
				_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, bad)
				var pe *ports.Error
				require.True(t, errors.As(err, &pe), "got %v", err)
				require.Equal(t, ports.CodeValidationFailed, pe.Code)
				require.Contains(t, pe.Fields, "code")
			}
			assert.Equal(t, 0, e.stored(ch.ID).Attempts)
			_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, code)
			assert.NoError(t, err, "the right code still works")
		})
	}
}

func TestConcurrentRightAnswersOnlyOneWins(t *testing.T) {
	e := newEnv(t)
	ch, code := e.start(phone)
	const n = 16
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		wins int
		errs = map[ports.ErrorCode]int{}
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, code)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				wins++
			} else {
				errs[ports.ErrorCodeOf(err)]++
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, wins)
	assert.Equal(t, map[ports.ErrorCode]int{ports.CodeInvalidCode: n - 1}, errs)
}

func TestResend(t *testing.T) {
	e := newEnv(t)
	ch, oldCode := e.start(phone)

	e.clock.Advance(20 * time.Second)
	_, err := e.svc.Resend(e.ctx(), ch.ID)
	errtest.Code(t, err, ports.CodeRateLimited, "before 60 s")
	assert.Equal(t, 40*time.Second, retryAfter(t, err))
	assert.Len(t, e.sms.MessagesTo(phone), 1, "nothing sent while cooling down")

	// A wrong try before the resend stays counted after it.
	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, wrong(oldCode))
	errtest.Code(t, err, ports.CodeInvalidCode)

	now := e.clock.Advance(40 * time.Second)
	again, err := e.svc.Resend(e.ctx(), ch.ID)
	require.NoError(t, err)
	assert.Equal(t, ch.ID, again.ID)
	assert.Equal(t, now.Add(120*time.Second), again.ExpiresAt)
	assert.Equal(t, now.Add(60*time.Second), again.ResendAfter)
	require.Len(t, e.sms.MessagesTo(phone), 2)
	newCode := e.lastCode(phone)
	stored := e.stored(ch.ID)
	assert.Equal(t, 1, stored.Attempts)
	assert.Equal(t, 2, stored.Sends)

	if newCode != oldCode { // 1 in 10^6 they coincide
		_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, oldCode)
		errtest.Code(t, err, ports.CodeInvalidCode, "the old code stops working")
	}
	// The new code lives 120 s from the resend, past the first expiry.
	e.clock.Advance(100 * time.Second)
	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, newCode)
	assert.NoError(t, err)

	e.clock.Advance(time.Minute)
	_, err = e.svc.Resend(e.ctx(), ch.ID)
	errtest.Code(t, err, ports.CodeInvalidCode, "a used challenge can't be resent")
	_, err = e.svc.Resend(e.ctx(), uuid.New())
	errtest.Code(t, err, ports.CodeNotFound)
}

// Wrong tries belong to the challenge, not to one code: a resend neither
// restores them nor revives a locked challenge.
func TestResendKeepsWrongTries(t *testing.T) {
	e := newEnv(t)
	ch, code := e.start(phone)
	for i := 0; i < 3; i++ {
		_, _ = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, wrong(code))
	}
	e.clock.Advance(time.Minute)
	_, err := e.svc.Resend(e.ctx(), ch.ID)
	require.NoError(t, err)
	fresh := e.lastCode(phone)
	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, wrong(fresh))
	errtest.Code(t, err, ports.CodeInvalidCode, "fourth wrong try")
	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposeSignup, wrong(fresh))
	errtest.Code(t, err, ports.CodeTooManyAttempts, "fifth wrong try locks, resend or not")
	e.clock.Advance(time.Minute)
	_, err = e.svc.Resend(e.ctx(), ch.ID)
	errtest.Code(t, err, ports.CodeTooManyAttempts, "a locked challenge is not resent")
	assert.Len(t, e.sms.MessagesTo(phone), 2)
}

func TestHourlySendLimitPerPhone(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.start(phone)
		e.clock.Advance(time.Minute)
	}
	// Now t0+5m; the oldest send (t0) leaves the hour at t0+60m.
	_, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: phone})
	errtest.Code(t, err, ports.CodeRateLimited, "6th send within an hour")
	assert.Equal(t, 55*time.Minute, retryAfter(t, err))
	assert.Len(t, e.sms.MessagesTo(phone), 5)

	_, err = e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: "+447911123457"})
	assert.NoError(t, err, "another phone has its own budget")

	e.clock.Set(t0.Add(time.Hour + time.Second))
	_, err = e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: phone})
	assert.NoError(t, err, "the oldest send has left the hour")
}

func TestResendsCountTowardsTheHourlyLimit(t *testing.T) {
	e := newEnv(t)
	ch, _ := e.start(phone)
	for i := 0; i < 4; i++ {
		e.clock.Advance(time.Minute)
		_, err := e.svc.Resend(e.ctx(), ch.ID)
		require.NoError(t, err, "resend %d", i+1)
	}
	e.clock.Advance(time.Minute)
	_, err := e.svc.Resend(e.ctx(), ch.ID)
	errtest.Code(t, err, ports.CodeRateLimited)
	_, err = e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: phone})
	errtest.Code(t, err, ports.CodeRateLimited)
}

func TestProviderFailureDoesNotReachStart(t *testing.T) {
	e := newEnv(t)
	e.sms.FailWith(errors.New("provider said: 500 at smsc.example:1234"))
	ch, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: phone, Locale: "es"})
	require.NoError(t, err, "the code is queued; the provider is the delivery workers' business")
	queued := e.outbox.Messages()
	require.Len(t, queued, 1)
	assert.Equal(t, otp.Ref(ch.ID), queued[0].Ref)
	assert.Equal(t, "es", queued[0].Locale, "the caller's language wins over the request's")
	require.Len(t, e.activities.WithAction("otp.queued"), 1)
}

func TestActivitiesRecordWhoAndWhere(t *testing.T) {
	e := newEnv(t)
	uid := uuid.New()
	ch, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposePinSetup, To: phone, Metadata: map[string]string{"userId": uid.String()}})
	require.NoError(t, err)
	code := e.lastCode(phone)
	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposePinSetup, wrong(code))
	require.Error(t, err)
	_, err = e.svc.Verify(e.ctx(), ch.ID, otp.PurposePinSetup, code)
	require.NoError(t, err)

	acts := e.activities.Activities()
	require.Len(t, acts, 3)
	wantResults := []ports.ActivityResult{ports.ActivitySucceeded, ports.ActivityFailed, ports.ActivitySucceeded}
	for i, a := range acts {
		assert.Equal(t, "OTP", a.Topic)
		assert.Equal(t, wantResults[i], a.Result, a.Action)
		require.NotNil(t, a.UserID)
		assert.Equal(t, uid, *a.UserID)
		assert.Equal(t, "203.0.113.7", a.IP)
		assert.Equal(t, "test", a.UserAgent)
		assert.Equal(t, ch.ID.String(), a.Details["challenge"])
		for k, v := range a.Details {
			assert.False(t, strings.Contains(k+v, code), "secret in activity details")
		}
	}
	assert.Equal(t, string(ports.CodeInvalidCode), acts[1].Details["reason"])
}

func TestHourlyLimitNeverAsksToRetryAfterZero(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 5; i++ {
		e.start(phone)
	}
	e.clock.Set(t0.Add(time.Hour))
	_, err := e.svc.Start(e.ctx(), otp.StartRequest{Purpose: otp.PurposeSignup, To: phone})
	if ports.ErrorCodeOf(err) == ports.CodeRateLimited {
		assert.Positive(t, retryAfter(t, err), "a refusal must tell a positive wait")
	}
}

func TestResendRefusesAChallengeOlderThanAnHour(t *testing.T) {
	tests := []struct {
		age  time.Duration
		want ports.ErrorCode
	}{
		{time.Hour, ""},
		{time.Hour + time.Second, ports.CodeCodeExpired},
	}
	for _, tc := range tests {
		t.Run(tc.age.String(), func(t *testing.T) {
			e := newEnv(t)
			ch, _ := e.start(phone)
			e.clock.Advance(tc.age)
			_, err := e.svc.Resend(e.ctx(), ch.ID)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			errtest.Code(t, err, tc.want)
			assert.Len(t, e.sms.MessagesTo(phone), 1, "nothing sent")
		})
	}
}
