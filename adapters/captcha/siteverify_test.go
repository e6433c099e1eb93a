package captcha_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	adapter "github.com/gatehouse/gatehouse/adapters/captcha"
	"github.com/gatehouse/gatehouse/adapters/captcha/captchatest"
	"github.com/gatehouse/gatehouse/modules/captcha"
)

const secret = "0x4AAAAAAA-test-secret"

func newVerifier(t *testing.T, srv *captchatest.Server, tweak ...func(*adapter.Config)) *adapter.SiteVerify {
	t.Helper()
	cfg := adapter.Config{Provider: adapter.Turnstile, Secret: secret, VerifyURL: srv.VerifyURL(), Timeout: 2 * time.Second}
	for _, f := range tweak {
		f(&cfg)
	}
	v, err := adapter.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestAGoodTokenPassesOnceAndSendsTheForm(t *testing.T) {
	srv := captchatest.NewServer(t, secret)
	srv.Pass("good-token", captchatest.Solution{Hostname: "app.example.com"})
	v := newVerifier(t, srv)
	got, err := v.Verify(context.Background(), "good-token", "203.0.113.7", captcha.OpSignUp)
	if err != nil || !got.OK {
		t.Fatalf("good token: %+v, %v", got, err)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0] != (captchatest.Request{Secret: secret, Response: "good-token", RemoteIP: "203.0.113.7"}) {
		t.Fatalf("the provider received %+v", reqs)
	}
	// A token is good once: the replay is refused, as the providers do.
	got, err = v.Verify(context.Background(), "good-token", "203.0.113.7", captcha.OpSignUp)
	if err != nil || got.OK || !strings.Contains(strings.Join(got.Reasons, ","), "timeout-or-duplicate") {
		t.Fatalf("replayed token: %+v, %v", got, err)
	}
}

func TestABadTokenIsRefusedNotUnavailable(t *testing.T) {
	srv := captchatest.NewServer(t, secret)
	v := newVerifier(t, srv)
	got, err := v.Verify(context.Background(), "made-up", "", captcha.OpSignIn)
	if err != nil || got.OK || got.Reasons[0] != "invalid-input-response" {
		t.Fatalf("bad token: %+v, %v", got, err)
	}
	if r := srv.Requests(); len(r) != 1 || r[0].RemoteIP != "" {
		t.Fatalf("no remoteip is sent when unknown: %+v", r)
	}
}

func TestTheHostnameActionAndScoreAreChecked(t *testing.T) {
	srv := captchatest.NewServer(t, secret)
	low, high := 0.1, 0.9
	srv.Pass("elsewhere", captchatest.Solution{Hostname: "evil.example.net"})
	srv.Pass("here", captchatest.Solution{Hostname: "app.example.com", Action: "signup", Score: &high})
	srv.Pass("other-action", captchatest.Solution{Hostname: "app.example.com", Action: "signin"})
	srv.Pass("bot", captchatest.Solution{Hostname: "app.example.com", Score: &low})
	v := newVerifier(t, srv, func(c *adapter.Config) {
		c.Hostnames, c.CheckAction, c.MinScore = []string{"app.example.com", "m.example.com"}, true, 0.5
	})
	for token, want := range map[string]string{"elsewhere": "hostname-mismatch", "here": "",
		"other-action": "action-mismatch", "bot": "score-too-low:0.10"} {
		got, err := v.Verify(context.Background(), token, "", captcha.OpSignUp)
		if err != nil {
			t.Fatalf("%s: %v", token, err)
		}
		if got.OK != (want == "") || strings.Join(got.Reasons, ",") != want {
			t.Errorf("%s: got %+v, want reasons %q", token, got, want)
		}
	}
}

func TestAMisbehavingProviderIsUnavailableNeverAPass(t *testing.T) {
	for name, mode := range map[string]captchatest.Mode{"down (503)": captchatest.Down, "slow": captchatest.Slow,
		"garbage": captchatest.Garbage, "huge": captchatest.Huge} {
		t.Run(name, func(t *testing.T) {
			srv := captchatest.NewServer(t, secret)
			srv.Pass("good-token", captchatest.Solution{})
			srv.SetMode(mode)
			v := newVerifier(t, srv, func(c *adapter.Config) { c.Timeout = 300 * time.Millisecond })
			got, err := v.Verify(context.Background(), "good-token", "", captcha.OpSignUp)
			if err == nil || got.OK {
				t.Fatalf("want unavailable, got %+v, %v", got, err)
			}
			if strings.Contains(err.Error(), "good-token") || strings.Contains(err.Error(), secret) {
				t.Fatalf("the error shows a secret: %v", err)
			}
		})
	}
	t.Run("closed", func(t *testing.T) {
		srv := captchatest.NewServer(t, secret)
		v := newVerifier(t, srv)
		srv.Close()
		if _, err := v.Verify(context.Background(), "t", "", captcha.OpSignUp); err == nil {
			t.Fatal("a closed provider passed")
		}
	})
}

func TestOurWrongSecretIsUnavailableNotTheClientsFault(t *testing.T) {
	srv := captchatest.NewServer(t, secret)
	srv.Pass("good-token", captchatest.Solution{})
	v := newVerifier(t, srv, func(c *adapter.Config) { c.Secret = "rotated-away" })
	_, err := v.Verify(context.Background(), "good-token", "", captcha.OpSignUp)
	if err == nil || !strings.Contains(err.Error(), "invalid-input-secret") || strings.Contains(err.Error(), "rotated-away") {
		t.Fatalf("got %v", err)
	}
}

func TestARedirectIsNotFollowedNorANon200Trusted(t *testing.T) {
	srv := captchatest.NewServer(t, secret)
	srv.Pass("good-token", captchatest.Solution{})
	// A 307 would post the secret again, to wherever it points.
	redirect := httptest.NewServer(http.RedirectHandler(srv.VerifyURL(), http.StatusTemporaryRedirect))
	t.Cleanup(redirect.Close)
	for _, u := range []string{redirect.URL, srv.URL + "/elsewhere"} {
		v, err := adapter.New(adapter.Config{Provider: adapter.HCaptcha, Secret: secret, VerifyURL: u}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := v.Verify(context.Background(), "good-token", "", captcha.OpSignUp); err == nil || got.OK {
			t.Fatalf("%s: passed", u)
		}
	}
	for _, r := range srv.Requests() {
		if r.Response == "good-token" {
			t.Fatal("the redirect was followed")
		}
	}
}

func TestConfigIsValidated(t *testing.T) {
	for name, c := range map[string]adapter.Config{
		"provider": {Provider: "friendlycaptcha", Secret: "s"},
		"secret":   {Provider: adapter.ReCAPTCHA},
		"url":      {Provider: adapter.ReCAPTCHA, Secret: "s", VerifyURL: "ftp://x"},
		"score":    {Provider: adapter.ReCAPTCHA, Secret: "s", MinScore: 2},
	} {
		if _, err := adapter.New(c, nil); err == nil {
			t.Errorf("%s: accepted", name)
		} else if c.Secret != "" && strings.Contains(err.Error(), c.Secret+"\"") {
			t.Errorf("%s: the error shows the secret: %v", name, err)
		}
	}
	if v, err := adapter.New(adapter.Config{Provider: adapter.ReCAPTCHA, Secret: "s"}, nil); err != nil || v == nil {
		t.Fatalf("default URL: %v", err)
	}
}

func TestDisabledIsUnavailable(t *testing.T) {
	if v, err := (adapter.Disabled{}).Verify(context.Background(), "t", "", captcha.OpSignUp); err == nil || v.OK {
		t.Fatal("the disabled verifier passed a token")
	}
}
