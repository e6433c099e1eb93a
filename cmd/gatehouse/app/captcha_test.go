package app_test

import (
	"context"
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/captcha/captchatest"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const captchaSecret = "0x4AAAAAAA-captcha-secret-e2e"

// newCaptchaHarness is a harness whose captcha provider is a local
// siteverify fake, configured from the environment as an operator would
// (GATEHOUSE_CAPTCHA_*), with clients told apart by X-Forwarded-For.
func newCaptchaHarness(t *testing.T, env map[string]string) (*harness, *captchatest.Server) {
	t.Helper()
	fake := captchatest.NewServer(t, captchaSecret)
	all := map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_CAPTCHA_PROVIDER": "turnstile",
		"GATEHOUSE_CAPTCHA_SECRET": captchaSecret, "GATEHOUSE_CAPTCHA_VERIFY_URL": fake.VerifyURL(),
		"GATEHOUSE_CAPTCHA_HOSTNAMES": "app.example.com", "GATEHOUSE_CAPTCHA_TIMEOUT": "1s"}
	for k, v := range env {
		all[k] = v
	}
	loaded, err := app.Load(func(k string) string { return all[k] })
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, func(c *app.Config) {
		c.Captcha = loaded.Captcha
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	return h, fake
}

// captchaVars are vs with captchaToken set, unless token is "".
func captchaVars(vs map[string]any, token string) map[string]any {
	out := map[string]any{}
	for k, v := range vs {
		out[k] = v
	}
	if token != "" {
		out["captcha"] = token
	}
	return out
}

// wantCaptchaRefusal asserts VALIDATION_FAILED on captchaToken with reason.
func wantCaptchaRefusal(t *testing.T, r gqlResponse, reason string) {
	t.Helper()
	must(t, r.code() == "VALIDATION_FAILED" && reasonOf(r) == reason, "want %s, got %+v", reason, r.Errors)
	fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
	must(t, fields["captchaToken"] != nil, "the refusal names no captchaToken field: %+v", r.Errors)
}

// noSecretsLogged fails when the provider's secret or a token was logged.
func noSecretsLogged(t *testing.T, h *harness, tokens ...string) {
	t.Helper()
	logs := h.logs.String()
	for _, s := range append(tokens, captchaSecret) {
		must(t, !strings.Contains(logs, s), "the logs hold %q", s)
	}
}

// budgetRows counts the rate limits' rows that are not the captcha's own.
func (h *harness) budgetRows() int {
	h.t.Helper()
	var n int
	if err := h.db.NewRaw("SELECT count(*) FROM rate_limits WHERE key NOT LIKE 'captcha.%'").Scan(context.Background(), &n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

var captchaOps = []struct {
	name, query string
	vars        map[string]any
}{
	{"startPhoneSignup", `mutation($phone: String!, $captcha: String) {
		startPhoneSignup(input: {phone: $phone, captchaToken: $captcha}) { id } }`, vars("phone", "+447911200001")},
	{"signUpWithEmail", `mutation($email: String!, $captcha: String) {
		signUpWithEmail(input: {email: $email, password: "correct horse battery staple", acceptTerms: true,
			deviceId: "laptop-1", captchaToken: $captcha}) { id } }`, vars("email", "cleo@example.com")},
	{"requestPasswordReset", `mutation($username: String!, $captcha: String) {
		requestPasswordReset(input: {username: $username, captchaToken: $captcha}) { id } }`, vars("username", "nobody@example.com")},
	{"phoneSignupStatus", `query($phone: String!, $captcha: String) {
		phoneSignupStatus(phone: $phone, captchaToken: $captcha) }`, vars("phone", "+447911200002")},
}

func TestCaptchaGuardsSignUpPasswordResetAndPhoneStatus(t *testing.T) {
	h, fake := newCaptchaHarness(t, map[string]string{"GATEHOUSE_CAPTCHA_OPERATIONS": "signup,password_reset,phone_status"})
	var tokens []string
	for i, op := range captchaOps {
		good := fmt.Sprintf("good-%s-%d", op.name, i)
		fake.Pass(good, captchatest.Solution{Hostname: "app.example.com"})
		elsewhere := "elsewhere-" + op.name
		fake.Pass(elsewhere, captchatest.Solution{Hostname: "phish.example.net"})
		tokens = append(tokens, good, elsewhere, "forged-"+op.name)

		sent, mailed, budget := h.queued(), h.mailCount("cleo@example.com"), h.budgetRows()
		wantCaptchaRefusal(t, h.post("", op.query, op.vars), "CAPTCHA_REQUIRED")
		wantCaptchaRefusal(t, h.post("", op.query, captchaVars(op.vars, "forged-"+op.name)), "CAPTCHA_INVALID")
		wantCaptchaRefusal(t, h.post("", op.query, captchaVars(op.vars, elsewhere)), "CAPTCHA_INVALID")
		// Refused before any other work: no code sent, no budget spent.
		must(t, h.queued() == sent && h.mailCount("cleo@example.com") == mailed, "%s: a code went out", op.name)
		must(t, h.budgetRows() == budget, "%s: a refused captcha spent rate-limit budget", op.name)

		r := h.post("", op.query, captchaVars(op.vars, good))
		must(t, len(r.Errors) == 0, "%s with a good token: %+v", op.name, r.Errors)
		// A token is good once.
		wantCaptchaRefusal(t, h.post("", op.query, captchaVars(op.vars, good)), "CAPTCHA_INVALID")
	}
	// The whole input as one variable reads the same.
	whole := `mutation($in: RequestPasswordResetInput!) { requestPasswordReset(input: $in) { id } }`
	wantCaptchaRefusal(t, h.post("", whole, vars("in", vars("username", "nobody@example.com"))), "CAPTCHA_REQUIRED")
	fake.Pass("whole-input", captchatest.Solution{Hostname: "app.example.com"})
	r := h.post("", whole, vars("in", vars("username", "nobody@example.com", "captchaToken", "whole-input")))
	must(t, len(r.Errors) == 0, "whole input with a good token: %+v", r.Errors)
	tokens = append(tokens, "whole-input")

	must(t, h.sms.count("+447911200001") == 1, "the sign-up code was not sent once")
	h.emailCode("cleo@example.com")
	for _, req := range fake.Requests() {
		must(t, req.Secret == captchaSecret && req.RemoteIP == "127.0.0.1", "the provider was asked %+v", req)
	}

	// signin is not configured: it never asks the provider, failures or not.
	asked := len(fake.Requests())
	for range 5 {
		h.fails("", mPwSignIn, pwVars("cleo@example.com", "wrong password!", "laptop-1", ""), "UNAUTHENTICATED")
	}
	must(t, len(fake.Requests()) == asked, "signIn asked the provider")
	noSecretsLogged(t, h, tokens...)
}

func TestCaptchaProviderInTroubleIsUnavailableNotAPass(t *testing.T) {
	h, fake := newCaptchaHarness(t, map[string]string{"GATEHOUSE_CAPTCHA_OPERATIONS": "all",
		"GATEHOUSE_CAPTCHA_TIMEOUT": "500ms"})
	for _, mode := range []struct {
		name string
		m    captchatest.Mode
	}{{"down", captchatest.Down}, {"slow", captchatest.Slow}, {"garbage", captchatest.Garbage}, {"huge", captchatest.Huge}} {
		fake.SetMode(mode.m)
		for i, op := range captchaOps {
			token := fmt.Sprintf("good-%s-%d", mode.name, i)
			fake.Pass(token, captchatest.Solution{Hostname: "app.example.com"})
			r := h.post("", op.query, captchaVars(op.vars, token))
			must(t, r.code() == "UNAVAILABLE", "%s, %s: %+v", mode.name, op.name, r.Errors)
			retry, _ := r.Errors[0].Extensions["retryAfterSeconds"].(float64)
			must(t, retry > 0, "%s: no retryAfterSeconds: %+v", mode.name, r.Errors)
			must(t, !strings.Contains(r.Errors[0].Message, "503") && !strings.Contains(r.Errors[0].Message, "captcha turnstile"),
				"the provider's trouble reached the client: %q", r.Errors[0].Message)
		}
	}
	must(t, h.queued() == 0, "a code went out while the captcha could not be checked")
	_, body := scrape(t, h.srv.URL)
	must(t, strings.Contains(body, `gatehouse_captcha_verifications_total{operation="signup",result="unavailable"} 8`),
		"the provider's trouble is not counted:\n%s", body)
	// Back up: the same kind of request passes.
	fake.SetMode(captchatest.Normal)
	fake.Pass("after", captchatest.Solution{Hostname: "app.example.com"})
	r := h.post("", captchaOps[0].query, captchaVars(captchaOps[0].vars, "after"))
	must(t, len(r.Errors) == 0, "after the provider came back: %+v", r.Errors)
	noSecretsLogged(t, h, "good-down-0", "good-slow-0", "after")
}

func TestSignInAsksForACaptchaOnlyAfterNFailures(t *testing.T) {
	h, fake := newCaptchaHarness(t, map[string]string{"GATEHOUSE_CAPTCHA_OPERATIONS": "signin",
		"GATEHOUSE_CAPTCHA_SIGNIN_AFTER": "2"})
	const phone, pin = "+447911200010", "4831"
	h.signUp(phone, pin, "phone-1") // sign-up is not configured: no captcha
	mPin := `mutation($phone: String!, $pin: String!, $device: String!, $secret: String, $captcha: String) {
		signInWithPin(input: {phone: $phone, pin: $pin, deviceId: $device, deviceSecret: $secret, captchaToken: $captcha}) {
			status auth { accessToken } } }`
	pinVars := func(p string) map[string]any { return h.signInVars(phone, p, "phone-1") }
	mustSignIn := func(r gqlResponse) {
		t.Helper()
		must(t, len(r.Errors) == 0 && strings.Contains(string(r.Data), "SIGNED_IN"), "sign-in: %+v %s", r.Errors, r.Data)
	}

	// Two wrong PINs from one client: each one is just a wrong PIN.
	for range 2 {
		r := h.postFrom("198.51.100.1", mPin, pinVars("9999"))
		must(t, r.code() == "UNAUTHENTICATED", "wrong PIN: %+v", r.Errors)
	}
	must(t, len(fake.Requests()) == 0, "the provider was asked before any failure count was reached")
	// Now the number needs a captcha, from any client, right PIN or not.
	wantCaptchaRefusal(t, h.postFrom("198.51.100.1", mPin, pinVars(pin)), "CAPTCHA_REQUIRED")
	wantCaptchaRefusal(t, h.postFrom("203.0.113.50", mPin, pinVars(pin)), "CAPTCHA_REQUIRED")
	wantCaptchaRefusal(t, h.postFrom("203.0.113.50", mPin, captchaVars(pinVars(pin), "forged")), "CAPTCHA_INVALID")
	fake.Pass("solved-1", captchatest.Solution{Hostname: "app.example.com"})
	mustSignIn(h.postFrom("203.0.113.50", mPin, captchaVars(pinVars(pin), "solved-1")))

	// The client that failed needs one for any account; the password
	// sign-in counts the same way, whether or not the account exists.
	wantCaptchaRefusal(t, h.postFrom("198.51.100.1", mPwSignIn, pwVars("ghost@example.com", "whatever123", "b-1", "")),
		"CAPTCHA_REQUIRED")
	for range 2 {
		h.postFrom("192.0.2.7", mPwSignIn, pwVars("ghost@example.com", "whatever123", "b-2", ""))
	}
	wantCaptchaRefusal(t, h.postFrom("192.0.2.8", mPwSignIn, pwVars("ghost@example.com", "whatever123", "b-3", "")),
		"CAPTCHA_REQUIRED")
	// A client and an account without failures are never asked.
	const other = "+447911200011"
	h.signUp(other, pin, "phone-2")
	mustSignIn(h.postFrom("192.0.2.99", mPin, h.signInVars(other, pin, "phone-2")))
	noSecretsLogged(t, h, "solved-1", "forged", pin)
}

func TestCaptchaSettingsAreChecked(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"operations without a provider": {"GATEHOUSE_CAPTCHA_OPERATIONS": "signup"},
		"unknown operation":             {"GATEHOUSE_CAPTCHA_PROVIDER": "hcaptcha", "GATEHOUSE_CAPTCHA_SECRET": "s3cr3t-value", "GATEHOUSE_CAPTCHA_OPERATIONS": "login"},
		"no secret":                     {"GATEHOUSE_CAPTCHA_PROVIDER": "recaptcha"},
		"unknown provider":              {"GATEHOUSE_CAPTCHA_PROVIDER": "friendly", "GATEHOUSE_CAPTCHA_SECRET": "s3cr3t-value"},
		"bad url":                       {"GATEHOUSE_CAPTCHA_PROVIDER": "turnstile", "GATEHOUSE_CAPTCHA_SECRET": "s3cr3t-value", "GATEHOUSE_CAPTCHA_VERIFY_URL": "file:///etc/passwd"},
		"bad score":                     {"GATEHOUSE_CAPTCHA_PROVIDER": "recaptcha", "GATEHOUSE_CAPTCHA_SECRET": "s3cr3t-value", "GATEHOUSE_CAPTCHA_MIN_SCORE": "high"},
		"plain http in prod":            {"GATEHOUSE_ENV": "prod", "GATEHOUSE_CAPTCHA_PROVIDER": "turnstile", "GATEHOUSE_CAPTCHA_SECRET": "s3cr3t-value", "GATEHOUSE_CAPTCHA_VERIFY_URL": "http://captcha-proxy.internal/siteverify"},
	} {
		if env["GATEHOUSE_ENV"] == "" {
			env["GATEHOUSE_ENV"] = "dev"
		}
		_, err := app.Load(func(k string) string { return env[k] })
		must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_CAPTCHA_"), "%s: %v", name, err)
		must(t, !strings.Contains(err.Error(), "s3cr3t-value"), "%s: the error shows the secret: %v", name, err)
	}
	c, err := app.Load(func(k string) string {
		return map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_CAPTCHA_PROVIDER": "hcaptcha", "GATEHOUSE_CAPTCHA_SECRET": "x"}[k]
	})
	must(t, err == nil && len(c.Captcha.Operations) == 4 && c.Captcha.SignInAfter == 3, "a provider alone guards every operation: %+v, %v", c.Captcha.Operations, err)
}
