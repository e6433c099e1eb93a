package app_test

import (
	"encoding/json"
	"testing"
	"time"
)

// TestPasswordResetNoEnumeration: asking to reset the password of an
// account that exists and of one that does not gives the same answer; only
// the owner of the real address gets a code, and it signs every session out.
func TestPasswordResetNoEnumeration(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// Same first letter and domain: the masked destinations are alike.
	const email, nobody, pw, newPw = "ada@example.com", "amy@example.com", strongPassword, strongPassword2

	a := h.emailUser(email, pw, "", "Ada", "laptop-1")
	before := h.mailCount(email)
	in := h.pwSignIn(email, pw, "phone-2", "")
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED" && in.Challenge != nil, "new device: %+v", in)
	b := h.verifySignIn(in.Challenge.ID, h.nextEmailCode(email, before))
	in = h.pwSignIn(email, pw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN", "trusted device: %+v", in)
	c := *in.Auth
	h.clock.Advance(7 * time.Second)

	before = h.mailCount(email)
	real := h.post("", mRequestReset, vars("username", email))
	decoy := h.post("", mRequestReset, vars("username", nobody))
	must(t, len(real.Errors) == 0 && len(decoy.Errors) == 0, "errors: real %+v, decoy %+v", real.Errors, decoy.Errors)
	var rc, dc struct{ RequestPasswordReset otpChallenge }
	must(t, json.Unmarshal(real.Data, &rc) == nil && json.Unmarshal(decoy.Data, &dc) == nil, "decode")
	now := h.clock.Now()
	for name, ch := range map[string]otpChallenge{"real": rc.RequestPasswordReset, "decoy": dc.RequestPasswordReset} {
		must(t, ch.ID != "" && ch.Purpose == "PASSWORD_RESET" && ch.Channel == "EMAIL" && ch.Destination == "a***@example.com",
			"%s challenge: %+v", name, ch)
		must(t, mustTime(t, ch.ExpiresAt).Sub(now) == 120*time.Second && mustTime(t, ch.ResendAfter).Sub(now) == 60*time.Second,
			"%s challenge times (now %s): %+v", name, now, ch)
	}
	must(t, rc.RequestPasswordReset.ID != dc.RequestPasswordReset.ID, "same challenge id for both")
	rj, dj := withoutKey(t, real.Data, "requestPasswordReset", "id"), withoutKey(t, decoy.Data, "requestPasswordReset", "id")
	must(t, rj == dj, "answers differ:\nreal  %s\ndecoy %s", rj, dj)

	code := h.nextEmailCode(email, before)
	must(t, h.mailCount(nobody) == 0, "an email went to an address with no account")

	// A wrong code for the real account and any code for the decoy fail alike.
	wrong := "000000"
	if wrong == code {
		wrong = "111111"
	}
	rw := h.fails("", mResetPassword, vars("id", rc.RequestPasswordReset.ID, "code", wrong, "new", newPw, "confirm", newPw), "INVALID_CODE")
	dw := h.fails("", mResetPassword, vars("id", dc.RequestPasswordReset.ID, "code", code, "new", newPw, "confirm", newPw), "INVALID_CODE")
	must(t, rw.Errors[0].Message == dw.Errors[0].Message, "messages differ: real %q, decoy %q", rw.Errors[0].Message, dw.Errors[0].Message)
	h.fails("", mResetPassword, vars("id", dc.RequestPasswordReset.ID, "code", wrong, "new", newPw, "confirm", newPw), "INVALID_CODE")

	// Mismatched confirmation: refused before the code is used.
	r := h.fails("", mResetPassword, vars("id", rc.RequestPasswordReset.ID, "code", code, "new", newPw, "confirm", newPw+"x"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["confirmPassword"] != nil, "fields %v", r.Errors[0].Extensions)

	var res struct{ ResetPassword passwordChange }
	h.ok("", mResetPassword, vars("id", rc.RequestPasswordReset.ID, "code", code, "new", newPw, "confirm", newPw), &res)
	must(t, res.ResetPassword.SessionsRevoked == 3 && res.ResetPassword.ChangedAt != "", "resetPassword: %+v (want 3 sessions)", res.ResetPassword)
	for name, tok := range map[string]string{"a": a.AccessToken, "b": b.AccessToken, "c": c.AccessToken} {
		if r := h.post(tok, qMe, nil); r.code() != "UNAUTHENTICATED" {
			t.Errorf("session %s after reset: want UNAUTHENTICATED, got %+v %s", name, r.Errors, r.Data)
		}
	}
	for _, rt := range []string{a.RefreshToken, b.RefreshToken, c.RefreshToken} {
		h.fails("", mRefresh, vars("token", rt), "UNAUTHENTICATED")
	}
	// The code is spent.
	h.fails("", mResetPassword, vars("id", rc.RequestPasswordReset.ID, "code", code, "new", strongPassword3, "confirm", strongPassword3), "INVALID_CODE")

	// The old password is gone; the new one works (every device must prove
	// itself again after a reset).
	h.fails("", mPwSignIn, pwVars(email, pw, "laptop-1", a.secret()), "UNAUTHENTICATED")
	before = h.mailCount(email)
	in = h.pwSignIn(email, newPw, "laptop-1", a.secret())
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED" && in.Challenge != nil, "new password after reset: %+v", in)
	fresh := h.verifySignIn(in.Challenge.ID, h.nextEmailCode(email, before))
	must(t, fresh.User.ID == a.User.ID, "signed in as %s", fresh.User.ID)
	h.meUser(fresh.AccessToken)
}

// A phone user resets (here: sets) a password by SMS; an unknown number
// gets the same answer and no text.
func TestPasswordResetByPhone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone, nobody, pin, newPw = "+447911123502", "+447911123602", "4831", strongPassword
	a := h.signUp(phone, pin, "device-A")

	before := h.sms.count(phone)
	real := h.post("", mRequestReset, vars("username", phone))
	decoy := h.post("", mRequestReset, vars("username", nobody))
	must(t, len(real.Errors) == 0 && len(decoy.Errors) == 0, "errors: real %+v, decoy %+v", real.Errors, decoy.Errors)
	var rc struct{ RequestPasswordReset otpChallenge }
	must(t, json.Unmarshal(real.Data, &rc) == nil, "decode")
	ch := rc.RequestPasswordReset
	must(t, ch.Purpose == "PASSWORD_RESET" && ch.Channel == "SMS" && ch.Destination == "+447*******02", "challenge: %+v", ch)
	rj, dj := withoutKey(t, real.Data, "requestPasswordReset", "id"), withoutKey(t, decoy.Data, "requestPasswordReset", "id")
	must(t, rj == dj, "answers differ:\nreal  %s\ndecoy %s", rj, dj)

	code := h.nextSMSCode(phone, before)
	must(t, h.sms.count(nobody) == 0, "a text went to a number with no account")

	var res struct{ ResetPassword passwordChange }
	h.ok("", mResetPassword, vars("id", ch.ID, "code", code, "new", newPw, "confirm", newPw), &res)
	must(t, res.ResetPassword.SessionsRevoked == 1, "resetPassword: %+v", res.ResetPassword)
	h.fails(a.AccessToken, qMe, nil, "UNAUTHENTICATED")

	before = h.sms.count(phone)
	in := h.pwSignIn(phone, newPw, "device-A", a.DeviceSecret)
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED" && in.Challenge != nil && in.Challenge.Channel == "SMS", "password sign-in: %+v", in)
	b := h.verifySignIn(in.Challenge.ID, h.nextSMSCode(phone, before))
	must(t, b.User.ID == a.User.ID && b.User.HasPassword && b.User.HasPin, "user after reset: %+v", b.User)
}

// Limits and resends treat a decoy like a real challenge: the sixth reset
// in an hour is refused for both, and a resend answers alike.
func TestPasswordResetLimitsAlike(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, nobody = "ada@example.com", "amy@example.com"
	h.emailUser(email, strongPassword, "", "Ada", "laptop-1")
	h.clock.Advance(61 * time.Minute) // the sign-up email no longer counts toward the hourly limit

	var ids [2]string
	for i, addr := range []string{email, nobody} {
		var d struct{ RequestPasswordReset otpChallenge }
		h.ok("", mRequestReset, vars("username", addr), &d)
		ids[i] = d.RequestPasswordReset.ID
	}
	// Resend: refused alike before the cooldown, answered alike after it.
	rr := h.fails("", mResend, vars("id", ids[0]), "RATE_LIMITED")
	dr := h.fails("", mResend, vars("id", ids[1]), "RATE_LIMITED")
	must(t, rr.Errors[0].Message == dr.Errors[0].Message, "resend messages differ: %q vs %q", rr.Errors[0].Message, dr.Errors[0].Message)
	h.clock.Advance(61 * time.Second)
	const qResend = `mutation($id: ID!) { resendOtp(input: {challengeId: $id}) { purpose channel destination expiresAt resendAfter } }`
	real := h.post("", qResend, vars("id", ids[0]))
	decoy := h.post("", qResend, vars("id", ids[1]))
	must(t, len(real.Errors) == 0 && len(decoy.Errors) == 0, "resend errors: real %+v decoy %+v", real.Errors, decoy.Errors)
	must(t, string(real.Data) == string(decoy.Data), "resend answers differ:\nreal  %s\ndecoy %s", real.Data, decoy.Data)

	// Up to the hourly limit of sends per address, for both.
	for i := 0; i < 3; i++ {
		h.clock.Advance(time.Second)
		for _, addr := range []string{email, nobody} {
			h.ok("", mRequestReset, vars("username", addr), &struct{}{})
		}
	}
	// Five sends to each address now.
	r1 := h.post("", mRequestReset, vars("username", email))
	r2 := h.post("", mRequestReset, vars("username", nobody))
	must(t, r1.code() == r2.code(), "sixth reset in the hour: real %q, decoy %q", r1.code(), r2.code())
}
