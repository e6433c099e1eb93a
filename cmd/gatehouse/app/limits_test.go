package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestWrongCodeFiveTimesLocksTheChallenge(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911123457"
	id := h.startSignup(phone)
	right := h.sms.lastCode(t, phone)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	for i := 1; i <= 4; i++ {
		h.fails("", mVerify, vars("id", id, "code", wrong), "INVALID_CODE")
	}
	h.fails("", mVerify, vars("id", id, "code", wrong), "TOO_MANY_ATTEMPTS")
	// Locked: even the right code is refused now.
	h.fails("", mVerify, vars("id", id, "code", right), "TOO_MANY_ATTEMPTS")
	// A malformed code is a validation error, not a try.
	r := h.fails("", mVerify, vars("id", id, "code", "12ab"), "VALIDATION_FAILED")
	fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
	must(t, fields["code"] != nil, "fields: %v", r.Errors[0].Extensions)
}

func TestExpiredCodeIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911123458"
	id := h.startSignup(phone)
	code := h.sms.lastCode(t, phone)
	h.clock.Advance(121 * time.Second)
	h.fails("", mVerify, vars("id", id, "code", code), "CODE_EXPIRED")

	// Resend gives a fresh code that works; the old one does not.
	var re struct{ ResendOtp struct{ ID string } }
	h.ok("", mResend, vars("id", id), &re)
	fresh := h.sms.lastCode(t, phone)
	if fresh != code {
		h.fails("", mVerify, vars("id", id, "code", code), "INVALID_CODE")
	}
	var ver struct{ VerifyPhoneSignup struct{ Ticket string } }
	h.ok("", mVerify, vars("id", id, "code", fresh), &ver)
	must(t, ver.VerifyPhoneSignup.Ticket != "", "no ticket after resend")
}

func TestResendCooldownAndHourlyLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911123459"
	id := h.startSignup(phone)
	r := h.fails("", mResend, vars("id", id), "RATE_LIMITED")
	must(t, r.Errors[0].Extensions["retryAfterSeconds"] == float64(60), "retryAfterSeconds: %v", r.Errors[0].Extensions)
	for i := 2; i <= 5; i++ {
		h.clock.Advance(61 * time.Second)
		var re struct{ ResendOtp struct{ ID string } }
		h.ok("", mResend, vars("id", id), &re)
	}
	h.clock.Advance(61 * time.Second)
	h.fails("", mResend, vars("id", id), "RATE_LIMITED")
	h.fails("", mStart, vars("phone", phone), "RATE_LIMITED")
	must(t, h.sms.count(phone) == 5, "sent %d codes, want 5", h.sms.count(phone))
	// An hour after the first send, one more is allowed.
	h.clock.Advance(time.Hour - 4*61*time.Second)
	h.startSignup(phone)
}

func TestWrongPinFiveTimesLocksSignIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone, pin = "+447911123460", "4831"
	h.signUp(phone, pin, "device-A")
	for i := 1; i <= 4; i++ {
		h.fails("", mSignIn, h.signInVars(phone, "9052", "device-A"), "UNAUTHENTICATED")
	}
	r := h.fails("", mSignIn, h.signInVars(phone, "9052", "device-A"), "LOCKED")
	must(t, r.Errors[0].Extensions["retryAfterSeconds"] == float64(15*60), "retryAfterSeconds: %v", r.Errors[0].Extensions)
	h.fails("", mSignIn, h.signInVars(phone, pin, "device-A"), "LOCKED")

	// An unknown number answers like a wrong PIN.
	unknown := h.fails("", mSignIn, h.signInVars("+447911123499", pin, "device-A"), "UNAUTHENTICATED")
	must(t, unknown.Errors[0].Message == "the phone number or PIN is not correct", "message %q", unknown.Errors[0].Message)

	h.clock.Advance(15*time.Minute + time.Second)
	var in struct{ SignInWithPin struct{ Status string } }
	h.ok("", mSignIn, h.signInVars(phone, pin, "device-A"), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN", "after lock: %s", in.SignInWithPin.Status)
}

func TestMaintenanceModeAnswersOnlyAppConfig(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.signUp("+447911123461", "4831", "device-A")
	if err := h.platform.SetMaintenance(context.Background(), true, "Back at 11:00 UTC"); err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		AppConfig struct {
			Maintenance struct {
				Enabled bool
				Message string
			}
		}
	}
	h.ok("", `{ appConfig(platform: IOS) { maintenance { enabled message } } }`, nil, &cfg)
	must(t, cfg.AppConfig.Maintenance.Enabled && cfg.AppConfig.Maintenance.Message == "Back at 11:00 UTC", "%+v", cfg)
	r := h.fails(a.AccessToken, qMe, nil, "MAINTENANCE")
	must(t, r.Errors[0].Message == "Back at 11:00 UTC", "message %q", r.Errors[0].Message)
	h.fails("", mStart, vars("phone", "+447911123462"), "MAINTENANCE")
	must(t, h.sms.count("+447911123462") == 0, "a code was sent during maintenance")

	if err := h.platform.SetMaintenance(context.Background(), false, ""); err != nil {
		t.Fatal(err)
	}
	var me struct{ Me struct{ ID string } }
	h.ok(a.AccessToken, qMe, nil, &me)
	must(t, me.Me.ID == a.User.ID, "me after maintenance")
}

func TestPhoneStatusIsRateLimited(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for i := 0; i < 20; i++ {
		var st struct{ PhoneSignupStatus string }
		h.ok("", qStatus, vars("phone", "+447911123463"), &st)
	}
	r := h.fails("", qStatus, vars("phone", "+447911123463"), "RATE_LIMITED")
	must(t, r.Errors[0].Extensions["retryAfterSeconds"] != nil, "no retryAfterSeconds")
}

func TestOversizedAndMalformedRequestsAreValidationErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	many := "mutation {"
	for i := 0; i < 11; i++ {
		many += fmt.Sprintf(` a%d: completePhoneSignup(input: {ticket: "x", pin: "4831", confirmPin: "4831", acceptTerms: true, deviceId: "d"}) { accessToken }`, i)
	}
	many += " }"
	r := h.fails("", many, nil, "VALIDATION_FAILED")
	must(t, r.Errors[0].Extensions["reason"] == "TOO_MANY_ROOT_FIELDS", "reason: %v", r.Errors[0].Extensions)

	huge := "{" + strings.Repeat(" a: me { id }", 1000) + " }"
	r = h.fails("", huge, nil, "VALIDATION_FAILED")
	h.fails("", "{ nope }", nil, "VALIDATION_FAILED")
	h.fails("", "{ me { id ", nil, "VALIDATION_FAILED")
	h.fails("", "{ "+strings.Repeat("__typename ", 8000)+"}", nil, "VALIDATION_FAILED") // body over 64 KiB
	must(t, !strings.Contains(h.logs.String(), "level=ERROR"), "client mistakes were logged as errors:\n%s", h.logs.String())
}
