package app_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
)

// A user migrated from another system has a phone but no PIN.
func TestMigratedUserSetsFirstPin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911123480"
	now := time.Now().UTC()
	if _, err := h.db.NewRaw(`INSERT INTO users (id, phone, referral_code, level, created_at, updated_at)
		VALUES (?, ?, 'MIGRATE1', 1, ?, ?)`, uuid.New(), phone, now, now).Exec(t.Context()); err != nil {
		t.Fatal(err)
	}
	var st struct{ PhoneSignupStatus string }
	h.ok("", qStatus, vars("phone", phone), &st)
	must(t, st.PhoneSignupStatus == "PIN_NOT_SET", "status %s", st.PhoneSignupStatus)

	var in struct{ SignInWithPin struct{ Status string } }
	h.ok("", mSignIn, h.signInVars(phone, "4831", "d1"), &in)
	must(t, in.SignInWithPin.Status == "PIN_SETUP_REQUIRED", "sign-in without PIN: %s", in.SignInWithPin.Status)

	var start struct{ StartPinSetup challenge }
	h.ok("", `mutation($p: String!) { startPinSetup(input: {phone: $p}) { id purpose } }`, vars("p", phone), &start)
	must(t, start.StartPinSetup.Purpose == "PIN_SETUP", "purpose %s", start.StartPinSetup.Purpose)
	const complete = `mutation($id: ID!, $code: String!, $pin: String!) {
		completePinSetup(input: {challengeId: $id, code: $code, pin: $pin, confirmPin: $pin, deviceId: "d1"}) { accessToken deviceSecret user { hasPin } } }`
	code := h.sms.lastCode(t, phone)
	// A trivial PIN is refused before the code is used up.
	h.fails("", complete, vars("id", start.StartPinSetup.ID, "code", code, "pin", "1234"), "VALIDATION_FAILED")
	var done struct{ CompletePinSetup authPayload }
	h.ok("", complete, vars("id", start.StartPinSetup.ID, "code", code, "pin", "4831"), &done)
	must(t, done.CompletePinSetup.User.HasPin, "hasPin false after setup")
	h.keep(phone, "d1", done.CompletePinSetup.DeviceSecret)

	h.ok("", mSignIn, h.signInVars(phone, "4831", "d1"), &in)
	must(t, in.SignInWithPin.Status == "SIGNED_IN", "sign-in after setup: %s", in.SignInWithPin.Status)
	h.fails("", `mutation($p: String!) { startPinSetup(input: {phone: $p}) { id } }`, vars("p", phone), "CONFLICT")
}

func TestChangePinRules(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911123481"
	a := h.signUp(phone, "4831", "device-A")
	var in struct {
		SignInWithPin struct {
			Auth authPayload
		}
	}
	h.ok("", mSignIn, h.signInVars(phone, "4831", "device-A"), &in)
	other := in.SignInWithPin.Auth

	h.fails("", mChangePin, vars("cur", "4831", "new", "5927"), "UNAUTHENTICATED")
	r := h.fails(a.AccessToken, mChangePin, vars("cur", "9999", "new", "5927"), "VALIDATION_FAILED")
	fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
	must(t, fields["currentPin"] != nil, "fields %v", fields)
	h.fails(a.AccessToken, mChangePin, vars("cur", "4831", "new", "4831"), "VALIDATION_FAILED")
	h.fails(a.AccessToken, mChangePin, vars("cur", "4831", "new", "1111"), "VALIDATION_FAILED")

	var ch struct{ ChangePin struct{ ChangedAt string } }
	h.ok(a.AccessToken, mChangePin, vars("cur", "4831", "new", "5927"), &ch)
	must(t, ch.ChangePin.ChangedAt != "", "no changedAt")
	h.ok(a.AccessToken, mChangePin, vars("cur", "5927", "new", "6038"), &ch)
	// Back to a PIN among the last three: refused.
	r = h.fails(a.AccessToken, mChangePin, vars("cur", "6038", "new", "4831"), "VALIDATION_FAILED")
	fields, _ = r.Errors[0].Extensions["fields"].(map[string]any)
	must(t, fields["newPin"] != nil, "fields %v", fields)

	// The other session was signed out by the change; this one was not.
	h.fails(other.AccessToken, qMe, nil, "UNAUTHENTICATED")
	var me struct{ Me struct{ ID string } }
	h.ok(a.AccessToken, qMe, nil, &me)
	var out struct{ SignInWithPin struct{ Status string } }
	h.ok("", mSignIn, h.signInVars(phone, "6038", "device-A"), &out)
	must(t, out.SignInWithPin.Status == "SIGNED_IN", "sign in with new PIN: %s", out.SignInWithPin.Status)
}

func TestBadInputGetsCodedErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	cases := []struct {
		name, query string
		vars        map[string]any
		code, field string
	}{
		{"phone without country code", mStart, vars("phone", "07911123456"), "VALIDATION_FAILED", "phone"},
		{"phone not a number", qStatus, vars("phone", "call me"), "VALIDATION_FAILED", "phone"},
		{"challenge id not an id", mVerify, vars("id", "nope", "code", "123456"), "VALIDATION_FAILED", "challengeId"},
		{"unknown challenge", mVerify, vars("id", uuid.NewString(), "code", "123456"), "NOT_FOUND", ""},
		{"terms not accepted", mComplete, vars("ticket", "ght_x", "pin", "4831", "confirm", "4831", "terms", false, "device", "d"), "VALIDATION_FAILED", "acceptTerms"},
		{"PINs differ", mComplete, vars("ticket", "ght_x", "pin", "4831", "confirm", "4832", "terms", true, "device", "d"), "VALIDATION_FAILED", "confirmPin"},
		{"unknown ticket", mComplete, vars("ticket", "ght_x", "pin", "4831", "confirm", "4831", "terms", true, "device", "d"), "INVALID_CODE", ""},
		{"garbage refresh token", mRefresh, vars("token", "nope"), "UNAUTHENTICATED", ""},
		{"garbage access token", qMe, nil, "UNAUTHENTICATED", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			token := ""
			if c.name == "garbage access token" {
				token = "not.a.jwt"
			}
			r := h.post(token, c.query, c.vars)
			must(t, r.Status == 200, "HTTP status %d", r.Status)
			must(t, r.code() == c.code, "want %s, got %+v", c.code, r.Errors)
			if c.field != "" {
				fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
				must(t, fields[c.field] != nil, "fields %v lack %s", fields, c.field)
			}
		})
	}
}

// A PIN refused inside the sign-up transaction (the end of the verified
// phone) rolls back the ticket's use: the same ticket then works.
func TestRefusedPinKeepsTheSignupTicket(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911124831"
	ticket := h.ticketFor(phone)
	r := h.fails("", mComplete, vars("ticket", ticket, "pin", "4831", "confirm", "4831", "terms", true, "device", "d"), "VALIDATION_FAILED")
	fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
	must(t, fields["pin"] != nil, "fields %v", fields)
	var done struct{ CompletePhoneSignup authPayload }
	h.ok("", mComplete, vars("ticket", ticket, "pin", "5927", "confirm", "5927", "terms", true, "device", "d"), &done)
	must(t, done.CompletePhoneSignup.User.Phone == phone, "user %+v", done.CompletePhoneSignup.User)
}
