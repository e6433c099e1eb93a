package app_test

import (
	"strings"
	"testing"
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
