package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// postFrom is post from client ip (the test server trusts loopback as its
// proxy, so X-Forwarded-For names the client).
func (h *harness) postFrom(ip, query string, vs map[string]any) gqlResponse {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vs})
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		h.t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return out
}

const (
	mStartPinResetFrom = `mutation($phone: String!, $device: String, $secret: String) {
		startPinReset(input: {phone: $phone, deviceId: $device, deviceSecret: $secret}) { id } }`
	mRequestResetFrom = `mutation($username: String!, $device: String, $secret: String) {
		requestPasswordReset(input: {username: $username, deviceId: $device, deviceSecret: $secret}) { id } }`
)

// Strangers cannot spend the owner's codes: what they ask without a proof
// of ownership is charged to the strangers' budget (so many codes per
// destination for all clients together, so many in all per client), while the owner's budget is spent only by
// codes after a right secret or asked from a trusted device.
func TestStrangersCannotSpendTheOwnersCodes(t *testing.T) {
	t.Parallel()
	defaults, err := app.Load(func(k string) string { return map[string]string{"GATEHOUSE_ENV": "dev"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(c *app.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		c.OTPSendsPerHour, c.OTPClientSendsPerHour = defaults.OTPSendsPerHour, defaults.OTPClientSendsPerHour
		c.PasswordResetsPerHour, c.SignInsPerMinute = 1000, 1000
	})
	must(t, defaults.OTPSendsPerHour == 5 && defaults.OTPClientSendsPerHour == 10, "defaults: %d per destination, %d per client",
		defaults.OTPSendsPerHour, defaults.OTPClientSendsPerHour)
	const phone, pin, email, pw = "+447911123584", "4831", "ada@example.com", strongPassword
	a := h.signUp(phone, pin, "device-A")
	e := h.emailUser(email, pw, "", "Ada", "laptop-1")
	h.clock.Advance(61 * 60e9) // the sign-up codes have left the hour

	// Forty strangers (each its own IPv6 /64) share one budget per
	// destination: five codes to the phone (PIN resets and password resets
	// alike) and five to the address in the hour, however many ask.
	var strangers []string
	toPhone, toEmail := 0, 0
	for n := range 40 {
		ip := fmt.Sprintf("2001:db8:0:%x::1", n+1)
		strangers = append(strangers, ip)
		for i := range 4 {
			q, v, sent := mStartPinResetFrom, vars("phone", phone), &toPhone
			switch i {
			case 1:
				q, v = mRequestResetFrom, vars("username", phone)
			case 2, 3:
				q, v, sent = mRequestResetFrom, vars("username", email), &toEmail
			}
			r := h.postFrom(ip, q, v)
			if len(r.Errors) == 0 {
				*sent++
			} else {
				must(t, r.code() == "RATE_LIMITED", "%s: %+v", ip, r.Errors)
			}
			h.clock.Advance(1e9)
		}
	}
	must(t, toPhone == 5 && toEmail == 5, "codes from 40 clients in the hour: %d to the phone, %d to the address (want 5 and 5)",
		toPhone, toEmail)

	// The owner's codes are untouched. A new phone after the right PIN:
	const owner = "198.51.100.7"
	r := h.postFrom(owner, mSignIn, vars("phone", phone, "pin", pin, "device", "new-phone"))
	must(t, len(r.Errors) == 0, "owner's new-device sign-in after strangers' resets: %+v", r.Errors)
	// A PIN reset from the trusted phone, even from a stranger's address
	// where the strangers' budget for the phone is spent:
	r = h.postFrom(strangers[0], mStartPinResetFrom, vars("phone", phone, "device", "device-A", "secret", a.DeviceSecret))
	must(t, len(r.Errors) == 0, "trusted-device PIN reset: %+v", r.Errors)
	// A password reset from the trusted laptop:
	r = h.postFrom(strangers[1], mRequestResetFrom, vars("username", email, "device", "laptop-1", "secret", e.secret()))
	must(t, len(r.Errors) == 0, "trusted-device password reset: %+v", r.Errors)
	// The device id without its secret proves nothing.
	r = h.postFrom(strangers[0], mStartPinResetFrom, vars("phone", phone, "device", "device-A"))
	must(t, r.code() == "RATE_LIMITED", "device id without its secret: %+v", r.Errors)
	// A new laptop after the right password:
	r = h.postFrom(owner, mPwSignIn, pwVars(email, pw, "laptop-2", ""))
	must(t, len(r.Errors) == 0, "owner's new-device password sign-in: %+v", r.Errors)

	// The owner's budget is bounded too: five codes to the phone an hour.
	for i := 3; i <= 5; i++ {
		h.clock.Advance(1e9)
		r = h.postFrom(owner, mStartPinResetFrom, vars("phone", phone, "device", "device-A", "secret", a.DeviceSecret))
		must(t, len(r.Errors) == 0, "owner's code %d: %+v", i, r.Errors)
	}
	r = h.postFrom(owner, mStartPinResetFrom, vars("phone", phone, "device", "device-A", "secret", a.DeviceSecret))
	must(t, r.code() == "RATE_LIMITED", "owner's sixth code to the phone: %+v", r.Errors)

	// One client gets ten codes an hour in all, whatever the destinations
	// (accounts or not: the answers are alike).
	const sprayer = "203.0.113.50"
	for i := range 10 {
		r := h.postFrom(sprayer, mStartPinResetFrom, vars("phone", fmt.Sprintf("+4479111236%02d", i)))
		must(t, len(r.Errors) == 0, "sprayer's code %d: %+v", i+1, r.Errors)
	}
	r = h.postFrom(sprayer, mRequestResetFrom, vars("username", "someone@example.com"))
	must(t, r.code() == "RATE_LIMITED", "sprayer's eleventh code: %+v", r.Errors)
	retry, _ := r.Errors[0].Extensions["retryAfterSeconds"].(float64)
	must(t, retry > 0 && retry <= 3600, "retryAfterSeconds: %v", r.Errors[0].Extensions)
}
