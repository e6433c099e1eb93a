package app_test

import (
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// TestEmailJourney walks the email-and-password life cycle through
// /graphql: sign-up, confirmation, new-device and trusted-device sign-in,
// refresh, password change.
func TestEmailJourney(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, phone, pw, newPw = "ada@example.com", "+447911123501", strongPassword, strongPassword2

	// A weak password is refused before anything is sent.
	r := h.fails("", mSignUpEmail, vars("email", email, "password", "password123", "name", "Ada", "terms", true, "device", "laptop-1"), "VALIDATION_FAILED")
	must(t, fieldsOf(r)["password"] != nil, "weak password: fields %v", r.Errors[0].Extensions)
	must(t, h.mailCount(email) == 0, "a code was emailed for a refused sign-up")

	ch := h.emailSignUp(email, pw, phone, "Ada Lovelace", "laptop-1")
	must(t, ch.ID != "" && ch.Purpose == "EMAIL_SIGNUP" && ch.Channel == "EMAIL", "sign-up challenge: %+v", ch)
	must(t, ch.Destination == "a***@example.com", "destination not masked: %q", ch.Destination)
	must(t, h.sms.count(phone) == 0, "sign-up texted the pending phone")

	code := h.emailCode(email)
	var conf struct{ ConfirmEmail emailAuth }
	h.ok("", mConfirmEmail, vars("id", ch.ID, "code", code), &conf)
	a := conf.ConfirmEmail
	must(t, a.AccessToken != "" && a.RefreshToken != "" && a.secret() != "", "confirmEmail tokens missing: %+v", a)
	must(t, str(a.User.Email) == email && a.User.State == "ACTIVE" && a.User.Name == "Ada Lovelace" && a.User.HasPassword &&
		!a.User.HasPin && a.User.Role == "MEMBER", "confirmed user: %+v", a.User)
	must(t, a.User.Phone == nil && str(a.User.PendingPhone) == phone, "phone must stay pending until proven: phone %v pending %v",
		str(a.User.Phone), str(a.User.PendingPhone))
	// The code is single-use.
	h.fails("", mConfirmEmail, vars("id", ch.ID, "code", code), "INVALID_CODE")

	// The address is taken now, however it is written.
	r = h.fails("", mSignUpEmail, vars("email", email, "password", strongPassword3, "terms", true, "device", "laptop-9"), "CONFLICT")
	must(t, fieldsOf(r)["email"] != nil, "conflict: extensions %v", r.Errors[0].Extensions)
	r = h.fails("", mSignUpEmail, vars("email", "ADA@Example.com", "password", strongPassword3, "terms", true, "device", "laptop-9"), "CONFLICT")
	must(t, fieldsOf(r)["email"] != nil, "conflict (case): extensions %v", r.Errors[0].Extensions)

	// A new device answers a code first: by SMS to the phone given at sign-up.
	in := h.pwSignIn(email, pw, "phone-2", "")
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED" && in.Auth == nil && in.Challenge != nil, "new device: %+v", in)
	must(t, in.Challenge.Purpose == "SIGN_IN_MFA" && in.Challenge.Channel == "SMS" && in.Challenge.Destination == "+447*******01",
		"new-device challenge: %+v", in.Challenge)
	b := h.verifySignIn(in.Challenge.ID, h.sms.lastCode(t, phone))
	must(t, b.AccessToken != "" && b.secret() != "" && b.User.ID == a.User.ID, "verifySignIn: %+v", b)
	must(t, str(b.User.Phone) == phone && b.User.PendingPhone == nil, "the answered code proves the phone: phone %q pending %q",
		str(b.User.Phone), str(b.User.PendingPhone))
	me := h.meUser(a.AccessToken)
	must(t, str(me.Phone) == phone && me.PendingPhone == nil, "me after proof: %+v", me)

	// The trusted device signs in with its secret alone; by phone too now.
	in = h.pwSignIn(email, pw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN" && in.Auth != nil && in.Challenge == nil, "trusted device: %+v", in)
	c := *in.Auth
	in = h.pwSignIn(phone, pw, "phone-2", b.secret())
	must(t, in.Status == "SIGNED_IN" && in.Auth != nil, "phone username on trusted device: %+v", in)
	d := *in.Auth
	// The device id alone proves nothing.
	in = h.pwSignIn(email, pw, "laptop-1", "")
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED", "device id without its secret: %+v", in)

	var ref struct{ RefreshSession emailAuth }
	h.ok("", mRefresh, vars("token", c.RefreshToken), &ref)
	c2 := ref.RefreshSession
	must(t, c2.AccessToken != "" && c2.RefreshToken != c.RefreshToken, "refresh did not rotate")
	h.meUser(c2.AccessToken)

	// Changing the password signs the other sessions out, not this one.
	var pc struct{ ChangePassword passwordChange }
	h.ok(a.AccessToken, mChangePassword, vars("cur", pw, "new", newPw, "confirm", newPw), &pc)
	must(t, pc.ChangePassword.ChangedAt != "" && pc.ChangePassword.SessionsRevoked == 3,
		"changePassword: %+v (want 3 sessions revoked: phone-2 twice, laptop-1's other)", pc.ChangePassword)
	for name, tok := range map[string]string{"b": b.AccessToken, "c2": c2.AccessToken, "d": d.AccessToken} {
		if r := h.post(tok, qMe, nil); r.code() != "UNAUTHENTICATED" {
			t.Errorf("session %s after password change: want UNAUTHENTICATED, got %+v %s", name, r.Errors, r.Data)
		}
	}
	h.fails("", mRefresh, vars("token", c2.RefreshToken), "UNAUTHENTICATED")
	h.meUser(a.AccessToken)

	// The old password no longer works; the new one does.
	r = h.fails("", mPwSignIn, pwVars(email, pw, "laptop-1", a.secret()), "UNAUTHENTICATED")
	must(t, r.Errors[0].Message == "the username or password is not correct", "message %q", r.Errors[0].Message)
	in = h.pwSignIn(email, newPw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN", "new password on the changing device: %+v", in)
	// The other devices lost their trust.
	in = h.pwSignIn(email, newPw, "phone-2", b.secret())
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED", "other device after password change: %+v", in)

	// An unknown address answers exactly like a wrong password.
	unknown := h.fails("", mPwSignIn, pwVars("nobody@example.com", pw, "laptop-1", ""), "UNAUTHENTICATED")
	must(t, unknown.Errors[0].Message == r.Errors[0].Message, "unknown user message %q vs %q", unknown.Errors[0].Message, r.Errors[0].Message)

	// Five wrong passwords lock password sign-in.
	for i := 1; i <= 4; i++ {
		h.fails("", mPwSignIn, pwVars(email, "wrong-Password-"+string(rune('a'+i)), "laptop-1", a.secret()), "UNAUTHENTICATED")
	}
	r = h.fails("", mPwSignIn, pwVars(email, "wrong-Password-z", "laptop-1", a.secret()), "LOCKED")
	retry, _ := r.Errors[0].Extensions["retryAfterSeconds"].(float64)
	must(t, retry > 0 && retry <= 15*60, "retryAfterSeconds: %v", r.Errors[0].Extensions)
	h.fails("", mPwSignIn, pwVars(email, newPw, "laptop-1", a.secret()), "LOCKED")
	h.clock.Advance(15*time.Minute + time.Second)
	in = h.pwSignIn(email, newPw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN", "after the lock: %+v", in)
}

// An email sign-up without a phone answers new-device codes by email.
func TestEmailOnlyUserVerifiesNewDeviceByEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email = "grace@example.com"
	a := h.emailUser(email, strongPassword, "", "Grace", "laptop-1")
	must(t, a.User.Phone == nil && a.User.PendingPhone == nil, "user: %+v", a.User)

	before := h.mailCount(email)
	in := h.pwSignIn(email, strongPassword, "tablet-1", "")
	must(t, in.Status == "DEVICE_VERIFICATION_REQUIRED" && in.Challenge != nil && in.Challenge.Channel == "EMAIL" &&
		in.Challenge.Destination == "g***@example.com", "new device: %+v", in)
	h.fails("", mVerifySignIn, vars("id", in.Challenge.ID, "code", "000000"), "INVALID_CODE")
	b := h.verifySignIn(in.Challenge.ID, h.nextEmailCode(email, before))
	must(t, b.User.ID == a.User.ID && b.secret() != "", "verifySignIn: %+v", b)
	in = h.pwSignIn(email, strongPassword, "tablet-1", b.secret())
	must(t, in.Status == "SIGNED_IN", "tablet after verification: %+v", in)
}

// With MFA=ALWAYS even a trusted device answers a second factor.
func TestMFAAlwaysAsksTrustedDevices(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.MFA = "ALWAYS" })
	const email = "alan@example.com"
	a := h.emailUser(email, strongPassword, "", "Alan", "laptop-1")

	before := h.mailCount(email)
	in := h.pwSignIn(email, strongPassword, "laptop-1", a.secret())
	must(t, in.Status == "MFA_REQUIRED" && in.Auth == nil && in.Challenge != nil && in.Challenge.Channel == "EMAIL" &&
		in.Challenge.Purpose == "SIGN_IN_MFA", "trusted device under MFA=ALWAYS: %+v", in)
	b := h.verifySignIn(in.Challenge.ID, h.nextEmailCode(email, before))
	must(t, b.User.ID == a.User.ID, "verifySignIn user %s", b.User.ID)

	var vt struct{ ValidateToken struct{ Scopes []string } }
	h.ok("", qValidateToken, vars("token", b.AccessToken), &vt)
	must(t, contains(vt.ValidateToken.Scopes, "mfa"), "a second-factor session's token lacks the mfa scope: %v", vt.ValidateToken.Scopes)
}

func TestPasswordStrengthAndServerInfo(t *testing.T) {
	t.Parallel()
	// main sets the version from the build; the harness plays main.
	h := newHarness(t, func(c *app.Config) { c.Version = "1.4.2-test" })
	type strength struct {
		Score      int
		Acceptable bool
		Feedback   []string
	}
	var weak struct{ PasswordStrength strength }
	h.ok("", qPwStrength, vars("p", "password1"), &weak)
	must(t, !weak.PasswordStrength.Acceptable && weak.PasswordStrength.Score < 3 && len(weak.PasswordStrength.Feedback) > 0,
		"weak password: %+v", weak.PasswordStrength)
	for _, f := range weak.PasswordStrength.Feedback {
		must(t, f != "" && !containsFold(f, "password1"), "feedback repeats the password: %q", f)
	}
	var strong struct{ PasswordStrength strength }
	h.ok("", qPwStrength, vars("p", strongPassword), &strong)
	must(t, strong.PasswordStrength.Acceptable && strong.PasswordStrength.Score >= 3, "strong password: %+v", strong.PasswordStrength)
	for _, p := range []string{strongPassword2, strongPassword3} {
		h.ok("", qPwStrength, vars("p", p), &strong)
		must(t, strong.PasswordStrength.Acceptable, "test password %q is not acceptable: %+v", p, strong.PasswordStrength)
	}

	var si struct {
		ServerInfo struct {
			Version    string
			ServerTime string
		}
	}
	h.ok("", qServerInfo, nil, &si)
	must(t, si.ServerInfo.Version == "1.4.2-test", "version %q", si.ServerInfo.Version)
	must(t, mustTime(t, si.ServerInfo.ServerTime).Equal(h.clock.Now()), "serverTime %s, clock %s", si.ServerInfo.ServerTime, h.clock.Now())
	h.clock.Advance(90 * time.Second)
	h.ok("", qServerInfo, nil, &si)
	must(t, mustTime(t, si.ServerInfo.ServerTime).Equal(h.clock.Now()), "serverTime %s after advance, clock %s", si.ServerInfo.ServerTime, h.clock.Now())
}
