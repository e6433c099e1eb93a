package identity_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPhoneSignupJourney(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx()

	status, err := e.svc.Signup.PhoneSignupStatus(ctx, phone)
	require.NoError(t, err)
	assert.Equal(t, identity.StatusNotRegistered, status)

	ch, err := e.svc.Signup.StartPhoneSignup(ctx, " +44 7911 123456 ")
	require.NoError(t, err)
	assert.Equal(t, otp.PurposeSignup, ch.Purpose)
	assert.NotContains(t, ch.Destination, "123456", "the client sees the number masked")
	require.Len(t, e.sms.MessagesTo(phone), 1, "the code goes to the normalised number")

	e.clock.Advance(30 * time.Second)
	v, err := e.svc.Signup.VerifyPhoneSignup(ctx, ch.ID, e.lastCode(phone))
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(v.Ticket, "ght_"))
	assert.Equal(t, e.clock.Now().Add(10*time.Minute), v.ExpiresAt)

	e.clock.Advance(time.Minute)
	in := completeInput(v.Ticket, goodPIN)
	in.FirebaseUID = " fb-123 "
	auth, err := e.svc.Signup.CompletePhoneSignup(ctx, in)
	require.NoError(t, err)

	now := e.clock.Now()
	assert.NotEmpty(t, auth.AccessToken)
	assert.Equal(t, now.Add(15*time.Minute), auth.AccessTokenExpiresAt)
	assert.True(t, strings.HasPrefix(auth.RefreshToken, "ghr_"))
	u := auth.User
	assert.Equal(t, phone, u.Phone)
	assert.Equal(t, 1, u.Level)
	assert.True(t, u.HasPIN)
	assert.Equal(t, identity.StateActive, u.State)
	assert.Equal(t, identity.RoleMember, u.Role)
	assert.Equal(t, "fb-123", u.FirebaseUID)
	assert.Regexp(t, `^[A-HJKMNP-Z2-9]{8}$`, u.ReferralCode)

	// What the stores now hold.
	stored, err := e.users.GetByPhone(context.Background(), phone)
	require.NoError(t, err)
	assert.Equal(t, u.ID, stored.ID)
	assert.True(t, stored.HasPIN)
	cred, err := e.creds.GetPIN(context.Background(), u.ID)
	require.NoError(t, err)
	assert.NotEqual(t, goodPIN, cred.Hash, "only a hash of the PIN is stored")
	ok, err := e.hasher.Verify(context.Background(), goodPIN, cred.Hash)
	require.NoError(t, err)
	assert.True(t, ok)
	dev, err := e.users.GetDevice(context.Background(), u.ID, device)
	require.NoError(t, err)
	assert.True(t, dev.Trusted)
	assert.Equal(t, "Pixel 9", dev.Name)
	terms := e.users.TermsAcceptances(u.ID)
	require.Len(t, terms, 1)
	assert.Equal(t, "GENERAL", terms[0].Kind)
	assert.Equal(t, "v1", terms[0].Version)
	assert.Equal(t, now, terms[0].AcceptedAt)
	sessions := e.sessions.ForUser(u.ID)
	require.Len(t, sessions, 1)
	assert.Equal(t, dev.ID, sessions[0].DeviceID, "the session is bound to the device")
	assert.Equal(t, now.Add(30*24*time.Hour), sessions[0].ExpiresAt)

	// The access token identifies the new user.
	viewer, err := e.viewer(auth.AccessToken)
	require.NoError(t, err)
	require.NotNil(t, viewer)
	assert.Equal(t, u.ID, viewer.User.ID)
	assert.Equal(t, sessions[0].ID, viewer.SessionID)

	signups := e.activities.WithAction("signup.phone")
	require.Len(t, signups, 1)
	assert.Equal(t, ports.ActivitySucceeded, signups[0].Result)
	require.NotNil(t, signups[0].UserID)
	assert.Equal(t, u.ID, *signups[0].UserID)
	assert.Equal(t, "203.0.113.7", signups[0].IP)
	assert.Equal(t, "test-agent", signups[0].UserAgent)
	assert.Equal(t, "GENERAL/v1", signups[0].Details["terms"])
	for _, a := range e.activities.Activities() {
		for k, val := range a.Details {
			assert.NotContains(t, k+val, goodPIN, "the PIN must not reach the activity log (%s)", a.Action)
			assert.NotContains(t, k+val, v.Ticket, "the ticket must not reach the activity log (%s)", a.Action)
		}
	}

	status, err = e.svc.Signup.PhoneSignupStatus(ctx, phone)
	require.NoError(t, err)
	assert.Equal(t, identity.StatusRegistered, status)
}

func TestCompletePhoneSignupRefusedInputLeavesTicketUsable(t *testing.T) {
	tests := []struct {
		name   string
		change func(*identity.CompleteSignup)
		field  string
	}{
		{"trivial PIN", func(in *identity.CompleteSignup) { in.PIN, in.ConfirmPIN = "1234", "1234" }, "pin"},
		{"short PIN", func(in *identity.CompleteSignup) { in.PIN, in.ConfirmPIN = "48", "48" }, "pin"},
		{"confirmation differs", func(in *identity.CompleteSignup) { in.ConfirmPIN = "4832" }, "confirmPin"},
		{"terms not accepted", func(in *identity.CompleteSignup) { in.AcceptTerms = false }, "acceptTerms"},
		{"no device id", func(in *identity.CompleteSignup) { in.DeviceKey = "" }, "deviceId"},
		{"device name too long", func(in *identity.CompleteSignup) { in.DeviceName = strings.Repeat("n", 65) }, "deviceName"},
		{"no ticket", func(in *identity.CompleteSignup) { in.Ticket = "" }, "ticket"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			v := e.verifiedTicket(phone)
			in := completeInput(v.Ticket, goodPIN)
			tc.change(&in)
			_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), in)
			errtest.Code(t, err, ports.CodeValidationFailed)
			assert.Contains(t, errtest.Fields(t, err), tc.field)
			_, err = e.users.GetByPhone(context.Background(), phone)
			assert.ErrorIs(t, err, ports.ErrNotFound, "no user was created")

			auth, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), completeInput(v.Ticket, goodPIN))
			require.NoError(t, err, "the ticket is still usable")
			assert.Equal(t, phone, auth.User.Phone)
		})
	}
}

func TestCompletePhoneSignupReportsEveryBadField(t *testing.T) {
	e := newEnv(t)
	_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), identity.CompleteSignup{Ticket: "x", PIN: "1111", ConfirmPIN: "2222"})
	errtest.Code(t, err, ports.CodeValidationFailed)
	fields := errtest.Fields(t, err)
	for _, f := range []string{"pin", "confirmPin", "acceptTerms", "deviceId"} {
		assert.Contains(t, fields, f)
	}
}

func TestCompletePhoneSignupTicket(t *testing.T) {
	tests := []struct {
		name string
		// prepare returns the ticket to present.
		prepare func(e *env) string
		want    ports.ErrorCode
	}{
		{"used ticket", func(e *env) string {
			v := e.verifiedTicket(phone)
			_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), completeInput(v.Ticket, goodPIN))
			require.NoError(e.t, err)
			return v.Ticket
		}, ports.CodeInvalidCode},
		{"expired ticket", func(e *env) string {
			v := e.verifiedTicket(phone)
			e.clock.Advance(10*time.Minute + time.Second)
			return v.Ticket
		}, ports.CodeCodeExpired},
		{"expires at exactly 10 min", func(e *env) string {
			v := e.verifiedTicket(phone)
			e.clock.Advance(10 * time.Minute)
			return v.Ticket
		}, ports.CodeCodeExpired},
		{"unknown ticket", func(e *env) string {
			e.verifiedTicket(phone)
			return "ght_doesnotexist"
		}, ports.CodeInvalidCode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			ticket := tc.prepare(e)
			in := completeInput(ticket, "27196")
			in.DeviceKey = "device-2"
			_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), in)
			errtest.Code(t, err, tc.want)
		})
	}
}

func TestCompletePhoneSignupJustBeforeTicketExpiry(t *testing.T) {
	e := newEnv(t)
	v := e.verifiedTicket(phone)
	e.clock.Advance(10*time.Minute - time.Second)
	_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), completeInput(v.Ticket, goodPIN))
	assert.NoError(t, err)
}

func TestCompletePhoneSignupRefusesEndOfVerifiedPhone(t *testing.T) {
	// The ticket's phone is only known inside the transaction; on the
	// database the refusal rolls the ticket's use back. The fake TxRunner
	// does not roll back, so only the answer is checked here.
	const p = "+447911124831"
	e := newEnv(t)
	v := e.verifiedTicket(p)
	_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), completeInput(v.Ticket, "4831"))
	errtest.Code(t, err, ports.CodeValidationFailed)
	assert.Contains(t, errtest.Fields(t, err), "pin")
	_, err = e.users.GetByPhone(context.Background(), p)
	assert.ErrorIs(t, err, ports.ErrNotFound)
}

func TestVerifyPhoneSignupWrongCode(t *testing.T) {
	e := newEnv(t)
	ch, err := e.svc.Signup.StartPhoneSignup(e.ctx(), phone)
	require.NoError(t, err)
	code := e.lastCode(phone)
	bad := "000000"
	if code == bad {
		bad = "000001"
	}
	_, err = e.svc.Signup.VerifyPhoneSignup(e.ctx(), ch.ID, bad)
	errtest.Code(t, err, ports.CodeInvalidCode)
	_, err = e.svc.Signup.VerifyPhoneSignup(e.ctx(), ch.ID, "12ab56")
	errtest.Code(t, err, ports.CodeValidationFailed)
	v, err := e.svc.Signup.VerifyPhoneSignup(e.ctx(), ch.ID, code)
	require.NoError(t, err)
	assert.NotEmpty(t, v.Ticket)
	_, err = e.svc.Signup.VerifyPhoneSignup(e.ctx(), ch.ID, code)
	errtest.Code(t, err, ports.CodeInvalidCode, "one ticket per code")
}

func TestStartPhoneSignup(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(e *env)
		phone   string
		want    ports.ErrorCode
		field   string
		wantSMS bool
	}{
		{"new phone", func(*env) {}, phone, "", "", true},
		{"registered phone", func(e *env) { e.signUp(phone, goodPIN) }, phone, ports.CodeConflict, "phone", false},
		{"registered, written differently", func(e *env) { e.signUp(phone, goodPIN) }, "+44 7911 123456", ports.CodeConflict, "phone", false},
		{"registered without PIN", func(e *env) { e.addUser(phone, "") }, phone, ports.CodeConflict, "phone", false},
		{"no +", func(*env) {}, "07911123456", ports.CodeValidationFailed, "phone", false},
		{"empty", func(*env) {}, "", ports.CodeValidationFailed, "phone", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.setup(e)
			before := len(e.sms.MessagesTo(phone))
			_, err := e.svc.Signup.StartPhoneSignup(e.ctx(), tc.phone)
			if tc.want == "" {
				require.NoError(t, err)
			} else {
				assert.Contains(t, errtest.Code(t, err, tc.want).Fields, tc.field)
			}
			assert.Equal(t, tc.wantSMS, len(e.sms.MessagesTo(phone)) > before)
		})
	}
}

func TestStartPhoneSignupRateLimitedPerIP(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < e.cfg.SignupStartsPerHour; i++ {
		// A different number each time so the OTP limit per phone stays out of the way.
		_, err := e.svc.Signup.StartPhoneSignup(e.ctx(), "+4479111234"+twoDigits(i))
		require.NoError(t, err, "start %d", i+1)
	}
	_, err := e.svc.Signup.StartPhoneSignup(e.ctx(), "+447911123499")
	errtest.Code(t, err, ports.CodeRateLimited)
	assert.Equal(t, time.Hour, errRetryAfter(t, err))
}

func twoDigits(i int) string { return string([]byte{byte('0' + i/10), byte('0' + i%10)}) }

func TestPhoneSignupStatus(t *testing.T) {
	tests := []struct {
		name  string
		setup func(e *env)
		phone string
		want  identity.SignupStatus
		code  ports.ErrorCode
	}{
		{"unknown", func(*env) {}, phone, identity.StatusNotRegistered, ""},
		{"signed up", func(e *env) { e.signUp(phone, goodPIN) }, phone, identity.StatusRegistered, ""},
		{"migrated user without PIN", func(e *env) { e.addUser(phone, "") }, phone, identity.StatusPINNotSet, ""},
		{"migrated user with PIN", func(e *env) { e.addUser(phone, goodPIN) }, phone, identity.StatusRegistered, ""},
		{"other spelling", func(e *env) { e.addUser(phone, goodPIN) }, "+44 (7911) 123456", identity.StatusRegistered, ""},
		{"invalid phone", func(*env) {}, "12", "", ports.CodeValidationFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.setup(e)
			got, err := e.svc.Signup.PhoneSignupStatus(e.ctx(), tc.phone)
			if tc.code != "" {
				errtest.Code(t, err, tc.code)
				assert.Contains(t, errtest.Fields(t, err), "phone")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestPhoneSignupStatusRateLimitedPerIP(t *testing.T) {
	e := newEnv(t)
	e.clock.Set(t0.Add(15 * time.Second))
	from := func(ip string) context.Context {
		return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: ip})
	}
	for i := 0; i < e.cfg.StatusChecksPerMinute; i++ {
		_, err := e.svc.Signup.PhoneSignupStatus(from("198.51.100.1"), phone)
		require.NoError(t, err, "check %d", i+1)
	}
	_, err := e.svc.Signup.PhoneSignupStatus(from("198.51.100.1"), phone)
	errtest.Code(t, err, ports.CodeRateLimited)
	assert.Equal(t, 45*time.Second, errRetryAfter(t, err))

	_, err = e.svc.Signup.PhoneSignupStatus(from("198.51.100.2"), phone)
	assert.NoError(t, err, "another client is not limited")

	e.clock.Advance(45 * time.Second)
	_, err = e.svc.Signup.PhoneSignupStatus(from("198.51.100.1"), phone)
	assert.NoError(t, err, "a new minute")
}
