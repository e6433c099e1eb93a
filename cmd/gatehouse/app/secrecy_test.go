package app_test

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestLogsHoldNoSecrets runs a full journey, wrong answers included, with
// every log line captured at debug level, and looks for each PIN, code and
// token that crossed the API.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone, pin, newPin = "+447911123490", "902714", "583016"
	secrets := []string{pin, newPin, "771203"}

	id := h.startSignup(phone)
	code := h.sms.lastCode(t, phone)
	secrets = append(secrets, code)
	h.post("", mVerify, vars("id", id, "code", "771203"))
	var ver struct{ VerifyPhoneSignup struct{ Ticket string } }
	h.ok("", mVerify, vars("id", id, "code", code), &ver)
	secrets = append(secrets, ver.VerifyPhoneSignup.Ticket)
	var done struct{ CompletePhoneSignup authPayload }
	h.ok("", mComplete, vars("ticket", ver.VerifyPhoneSignup.Ticket, "pin", pin, "confirm", pin, "terms", true, "device", "dev-A"), &done)
	a := done.CompletePhoneSignup
	secrets = append(secrets, a.AccessToken, a.RefreshToken, a.DeviceSecret)

	var in struct {
		SignInWithPin struct {
			Challenge challenge
		}
	}
	h.post("", mSignIn, h.signInVars(phone, "771203", "dev-B"))
	h.ok("", mSignIn, h.signInVars(phone, pin, "dev-B"), &in)
	devCode := h.sms.lastCode(t, phone)
	secrets = append(secrets, devCode)
	var dev struct{ VerifyDeviceSignIn authPayload }
	h.ok("", mVerifyDevice, vars("id", in.SignInWithPin.Challenge.ID, "code", devCode), &dev)
	secrets = append(secrets, dev.VerifyDeviceSignIn.AccessToken, dev.VerifyDeviceSignIn.RefreshToken,
		dev.VerifyDeviceSignIn.DeviceSecret)

	var ref struct{ RefreshSession authPayload }
	h.ok("", mRefresh, vars("token", dev.VerifyDeviceSignIn.RefreshToken), &ref)
	secrets = append(secrets, ref.RefreshSession.AccessToken, ref.RefreshSession.RefreshToken)
	h.post("", mRefresh, vars("token", dev.VerifyDeviceSignIn.RefreshToken)) // reuse: revokes
	h.post(a.AccessToken, mChangePin, vars("cur", "771203", "new", newPin))
	var ch struct{ ChangePin struct{ ChangedAt string } }
	h.ok(a.AccessToken, mChangePin, vars("cur", pin, "new", newPin), &ch)
	h.post(ref.RefreshSession.AccessToken, qMe, nil)
	var out struct{ SignOut bool }
	h.ok(a.AccessToken, mSignOut, nil, &out)

	logs := h.logs.String()
	// The capture works: operations are logged, by name.
	must(t, strings.Contains(logs, "root=completePhoneSignup") && strings.Contains(logs, "root=changePin"),
		"operation log lines missing; captured:\n%s", logs)
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("secret %q appears in the logs", s)
		}
	}
	// Tokens are long; a prefix of one would betray a careless truncation.
	for _, s := range secrets {
		if len(s) > 24 && strings.Contains(logs, s[len(s)-16:]) {
			t.Errorf("part of secret %q appears in the logs", s)
		}
	}
}

// TestLogsHoldNoPasswordFlowSecrets is TestLogsHoldNoSecrets for the email
// and password flows: passwords (old, new, wrong), emailed and texted codes,
// the authenticator secret and its codes, recovery codes, device secrets,
// access and refresh tokens.
func TestLogsHoldNoPasswordFlowSecrets(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, phone = "ada@example.com", "+447911123504"
	const pw, newPw, resetPw, wrongPw = "violet-Harbor-91-quiet", "copper-Lantern-47-drift", "amber-Walrus-63-gently", "maroon-Pelican-28-softly"
	secrets := []string{pw, newPw, resetPw, wrongPw, "weakpass1"}
	codes := []string{} // six digits: looked for as whole words
	keep := func(a emailAuth) {
		secrets = append(secrets, a.AccessToken, a.RefreshToken, a.secret())
	}

	// Sign-up, with a refused weak password and a wrong code first.
	h.post("", mSignUpEmail, vars("email", email, "password", "weakpass1", "terms", true, "device", "laptop-1"))
	ch := h.emailSignUp(email, pw, phone, "Ada", "laptop-1")
	code := h.emailCode(email)
	codes = append(codes, code)
	h.post("", mConfirmEmail, vars("id", ch.ID, "code", otherCode(code)))
	var conf struct{ ConfirmEmail emailAuth }
	h.ok("", mConfirmEmail, vars("id", ch.ID, "code", code), &conf)
	a := conf.ConfirmEmail
	keep(a)

	// New device by SMS, a wrong password, refresh.
	h.post("", mPwSignIn, pwVars(email, wrongPw, "phone-2", ""))
	in := h.pwSignIn(email, pw, "phone-2", "")
	sms := h.sms.lastCode(t, phone)
	codes = append(codes, sms)
	h.post("", mVerifySignIn, vars("id", in.Challenge.ID, "code", otherCode(sms)))
	b := h.verifySignIn(in.Challenge.ID, sms)
	keep(b)
	var ref struct{ RefreshSession emailAuth }
	h.ok("", mRefresh, vars("token", b.RefreshToken), &ref)
	keep(ref.RefreshSession)
	h.post("", mRefresh, vars("token", b.RefreshToken)) // reuse

	// Password change, with a wrong current password first.
	h.post(a.AccessToken, mChangePassword, vars("cur", wrongPw, "new", newPw, "confirm", newPw))
	var pc struct{ ChangePassword passwordChange }
	h.ok(a.AccessToken, mChangePassword, vars("cur", pw, "new", newPw, "confirm", newPw), &pc)
	h.post("", qPwStrength, vars("p", wrongPw))

	// Authenticator app: enroll, sign in with a code and a recovery code.
	var st struct{ StartTotpEnrollment struct{ Secret, URI string } }
	h.ok(a.AccessToken, mStartTotp, nil, &st)
	totpSecret := st.StartTotpEnrollment.Secret
	secrets = append(secrets, totpSecret, st.StartTotpEnrollment.URI)
	c1 := totpCode(t, totpSecret, h.clock.Now())
	codes = append(codes, c1)
	h.post(a.AccessToken, mConfirmTotp, vars("code", otherCode(c1)))
	var tc struct {
		ConfirmTotpEnrollment struct{ RecoveryCodes []string }
	}
	h.ok(a.AccessToken, mConfirmTotp, vars("code", c1), &tc)
	recovery := tc.ConfirmTotpEnrollment.RecoveryCodes
	for _, rc := range recovery {
		secrets = append(secrets, rc, strings.ReplaceAll(rc, "-", ""))
	}
	h.clock.Advance(30 * time.Second)
	c2 := totpCode(t, totpSecret, h.clock.Now())
	codes = append(codes, c2)
	in = h.pwSignIn(email, newPw, "laptop-1", a.secret())
	h.post("", mVerifySignIn, vars("id", in.Challenge.ID, "code", c1)) // replay
	m := h.verifySignIn(in.Challenge.ID, c2)
	keep(m)
	in = h.pwSignIn(email, newPw, "laptop-1", m.secret())
	r := h.verifySignIn(in.Challenge.ID, recovery[0])
	keep(r)
	h.clock.Advance(30 * time.Second)
	c3 := totpCode(t, totpSecret, h.clock.Now())
	codes = append(codes, c3)
	var dis struct{ DisableTotp struct{ TotpEnabled bool } }
	h.ok(a.AccessToken, mDisableTotp, vars("code", c3), &dis)

	// Reset by email, for the account and for nobody.
	before := h.mailCount(email)
	var rr struct{ RequestPasswordReset otpChallenge }
	h.ok("", mRequestReset, vars("username", email), &rr)
	h.post("", mRequestReset, vars("username", "nobody@example.com"))
	rc := h.nextEmailCode(email, before)
	codes = append(codes, rc)
	h.post("", mResetPassword, vars("id", rr.RequestPasswordReset.ID, "code", otherCode(rc), "new", resetPw, "confirm", resetPw))
	var res struct{ ResetPassword passwordChange }
	h.ok("", mResetPassword, vars("id", rr.RequestPasswordReset.ID, "code", rc, "new", resetPw, "confirm", resetPw), &res)

	// Sign in again and delete the account, a wrong password first.
	before = h.mailCount(email)
	in = h.pwSignIn(email, resetPw, "laptop-1", r.secret())
	dc := h.sms.lastCode(t, phone)
	if in.Challenge.Channel == "EMAIL" {
		dc = h.nextEmailCode(email, before)
	}
	codes = append(codes, dc)
	d := h.verifySignIn(in.Challenge.ID, dc)
	keep(d)
	var vt struct{ ValidateToken struct{ Valid bool } }
	h.ok("", qValidateToken, vars("token", d.AccessToken), &vt)
	h.post(d.AccessToken, mDeleteMe, vars("password", wrongPw))
	var del struct{ DeleteMe struct{ DeletedAt string } }
	h.ok(d.AccessToken, mDeleteMe, vars("password", resetPw), &del)

	logs := h.logs.String()
	must(t, strings.Contains(logs, "root=signUpWithEmail") && strings.Contains(logs, "root=resetPassword") &&
		strings.Contains(logs, "root=confirmTotpEnrollment"), "operation log lines missing; captured:\n%s", logs)
	for _, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("secret %q appears in the logs", s)
		}
		if len(s) > 24 && strings.Contains(logs, s[len(s)-16:]) {
			t.Errorf("part of secret %q appears in the logs", s)
		}
	}
	for _, c := range codes {
		if regexp.MustCompile(`\b` + c + `\b`).MatchString(logs) {
			t.Errorf("code %q appears in the logs", c)
		}
	}
}

// otherCode is a six-digit code that is not c.
func otherCode(c string) string {
	if c == "000000" {
		return "111111"
	}
	return "000000"
}
