package app_test

import "testing"

// The operations a phone client sends, as a client would write them.
const (
	qStatus   = `query($phone: String!) { phoneSignupStatus(phone: $phone) }`
	qMe       = `{ me { id phone state role level hasPin referralCode createdAt devices { deviceId name trusted } } }`
	mStart    = `mutation($phone: String!) { startPhoneSignup(input: {phone: $phone}) { id purpose destination expiresAt resendAfter } }`
	mVerify   = `mutation($id: ID!, $code: String!) { verifyPhoneSignup(input: {challengeId: $id, code: $code}) { ticket expiresAt } }`
	mComplete = `mutation($ticket: String!, $pin: String!, $confirm: String!, $terms: Boolean!, $device: String!) {
		completePhoneSignup(input: {ticket: $ticket, pin: $pin, confirmPin: $confirm, acceptTerms: $terms, deviceId: $device, deviceName: "Test phone", firebaseUid: "fb-123"}) {
			accessToken accessTokenExpiresAt refreshToken deviceSecret user { id phone level hasPin state role } } }`
	mSignIn = `mutation($phone: String!, $pin: String!, $device: String!, $secret: String) {
		signInWithPin(input: {phone: $phone, pin: $pin, deviceId: $device, deviceSecret: $secret, deviceName: "Other phone"}) {
			status auth { accessToken refreshToken deviceSecret user { id } } challenge { id purpose destination } } }`
	mVerifyDevice = `mutation($id: ID!, $code: String!) { verifyDeviceSignIn(input: {challengeId: $id, code: $code}) { accessToken refreshToken deviceSecret user { id } } }`
	mRefresh      = `mutation($token: String!) { refreshSession(input: {refreshToken: $token}) { accessToken refreshToken user { id } } }`
	mSignOut      = `mutation { signOut }`
	mChangePin    = `mutation($cur: String!, $new: String!) { changePin(input: {currentPin: $cur, newPin: $new, confirmPin: $new}) { changedAt } }`
	mResend       = `mutation($id: ID!) { resendOtp(input: {challengeId: $id}) { id expiresAt resendAfter } }`
)

type challenge struct {
	ID          string `json:"id"`
	Purpose     string `json:"purpose"`
	Destination string `json:"destination"`
}

type authPayload struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	DeviceSecret string `json:"deviceSecret"`
	User         struct {
		ID     string `json:"id"`
		Phone  string `json:"phone"`
		Level  int    `json:"level"`
		HasPin bool   `json:"hasPin"`
		State  string `json:"state"`
		Role   string `json:"role"`
	} `json:"user"`
}

func vars(kv ...any) map[string]any {
	m := map[string]any{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1]
	}
	return m
}

// startSignup sends the sign-up code and returns the challenge id.
func (h *harness) startSignup(phone string) string {
	h.t.Helper()
	var d struct{ StartPhoneSignup challenge }
	h.ok("", mStart, vars("phone", phone), &d)
	return d.StartPhoneSignup.ID
}

// ticketFor runs the first two sign-up steps.
func (h *harness) ticketFor(phone string) string {
	h.t.Helper()
	id := h.startSignup(phone)
	var d struct{ VerifyPhoneSignup struct{ Ticket string } }
	h.ok("", mVerify, vars("id", id, "code", h.sms.lastCode(h.t, phone)), &d)
	return d.VerifyPhoneSignup.Ticket
}

// signUp runs the whole phone sign-up and returns the session.
func (h *harness) signUp(phone, pin, device string) authPayload {
	h.t.Helper()
	var d struct{ CompletePhoneSignup authPayload }
	h.ok("", mComplete, vars("ticket", h.ticketFor(phone), "pin", pin, "confirm", pin, "terms", true, "device", device), &d)
	h.keep(phone, device, d.CompletePhoneSignup.DeviceSecret)
	return d.CompletePhoneSignup
}

// keep stores a device secret as the client's secure storage would.
func (h *harness) keep(phone, device, secret string) {
	h.t.Helper()
	must(h.t, secret != "", "no device secret for %s on %s", phone, device)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.secrets[phone+"|"+device] = secret
}

// signInVars are signInWithPin's variables, with the device's secret when
// the client has one.
func (h *harness) signInVars(phone, pin, device string) map[string]any {
	h.mu.Lock()
	defer h.mu.Unlock()
	v := vars("phone", phone, "pin", pin, "device", device)
	if s, ok := h.secrets[phone+"|"+device]; ok {
		v["secret"] = s
	}
	return v
}

func must(t testing.TB, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}
