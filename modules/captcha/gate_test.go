package captcha_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/captcha/captchatest"
	"github.com/gatehouse/gatehouse/ports"
)

// verifier accepts the tokens in good, fails with down when set, and
// records what it was asked.
type verifier struct {
	mu    sync.Mutex
	good  map[string]bool
	down  error
	calls []string
	ips   []string
}

func (v *verifier) Verify(_ context.Context, token, remoteIP string, op captcha.Operation) (captcha.Verdict, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.calls = append(v.calls, string(op)+":"+token)
	v.ips = append(v.ips, remoteIP)
	if v.down != nil {
		return captcha.Verdict{}, v.down
	}
	if v.good[token] {
		return captcha.Verdict{OK: true}, nil
	}
	return captcha.Verdict{Reasons: []string{"invalid-input-response"}}, nil
}

type clock struct{ now time.Time }

func (c clock) Now() time.Time { return c.now }

func newGate(t *testing.T, ops string, v captcha.Verifier) (*captcha.Gate, *bytes.Buffer) {
	t.Helper()
	cfg := captcha.DefaultConfig()
	var err error
	if cfg.Operations, err = captcha.ParseOperations(ops); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	return captcha.NewGate(cfg, v, captchatest.NewFailures(clock{time.Date(2026, 12, 7, 6, 0, 0, 0, time.UTC)}),
		slog.New(slog.NewTextHandler(&logs, nil))), &logs
}

func client(ip string) context.Context {
	return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: ip})
}

func wantRefusal(t *testing.T, err error, reason string) {
	t.Helper()
	var e *ports.Error
	if !errors.As(err, &e) || e.Code != ports.CodeValidationFailed || e.Reason != reason || e.Fields[captcha.Field] == "" {
		t.Fatalf("got %v, want VALIDATION_FAILED on captchaToken with %s", err, reason)
	}
}

func TestConfiguredOperationsNeedAGoodToken(t *testing.T) {
	for _, op := range []captcha.Operation{captcha.OpSignUp, captcha.OpPasswordReset, captcha.OpPhoneStatus} {
		t.Run(string(op), func(t *testing.T) {
			v := &verifier{good: map[string]bool{"good": true}}
			g, _ := newGate(t, string(op), v)
			ctx := client("203.0.113.9")
			wantRefusal(t, g.Check(ctx, op, "", ""), captcha.ReasonRequired)
			wantRefusal(t, g.Check(ctx, op, "bad", ""), captcha.ReasonInvalid)
			if err := g.Check(ctx, op, "good", ""); err != nil {
				t.Fatal(err)
			}
			if len(v.calls) != 2 || v.ips[1] != "203.0.113.9" {
				t.Fatalf("the provider was asked %v from %v (a missing token needs no call)", v.calls, v.ips)
			}
		})
	}
}

func TestAnOperationNotConfiguredNeverCallsTheProvider(t *testing.T) {
	v := &verifier{}
	g, _ := newGate(t, "signup", v)
	for _, op := range []captcha.Operation{captcha.OpSignIn, captcha.OpPasswordReset, captcha.OpPhoneStatus} {
		if err := g.Check(client("203.0.113.9"), op, "", "x@example.com"); err != nil {
			t.Fatalf("%s: %v", op, err)
		}
		g.SignInFailed(client("203.0.113.9"), "x@example.com")
	}
	if len(v.calls) != 0 {
		t.Fatalf("the provider was asked %v", v.calls)
	}
}

func TestHostileTokensAreRefusedWithoutAskingTheProvider(t *testing.T) {
	v := &verifier{}
	g, _ := newGate(t, "all", v)
	for _, tok := range []string{strings.Repeat("a", captcha.MaxTokenBytes+1), "a\x00b", "a\nb", "\xff\xfe"} {
		wantRefusal(t, g.Check(client("203.0.113.9"), captcha.OpSignUp, tok, ""), captcha.ReasonInvalid)
	}
	if len(v.calls) != 0 {
		t.Fatalf("the provider was asked %d times", len(v.calls))
	}
}

func TestAProviderDownIsUnavailableAndTheTokenIsNotLogged(t *testing.T) {
	v := &verifier{down: errors.New("captcha turnstile answered HTTP 503")}
	g, logs := newGate(t, "all", v)
	err := g.Check(client("203.0.113.9"), captcha.OpSignUp, "tok-3f9a1c", "")
	var e *ports.Error
	if !errors.As(err, &e) || e.Code != ports.CodeUnavailable || e.RetryAfter <= 0 {
		t.Fatalf("got %v, want UNAVAILABLE with a retry", err)
	}
	if !strings.Contains(logs.String(), "HTTP 503") || strings.Contains(logs.String(), "tok-3f9a1c") {
		t.Fatalf("logs: %s", logs)
	}
}

func TestSignInNeedsACaptchaOnlyAfterNFailures(t *testing.T) {
	v := &verifier{good: map[string]bool{"good": true}}
	g, _ := newGate(t, "signin", v) // after 3
	alice, other := client("198.51.100.1"), client("198.51.100.2")
	for i := range 3 {
		if err := g.Check(alice, captcha.OpSignIn, "", "+44 7911 123456"); err != nil {
			t.Fatalf("failure %d: %v", i, err)
		}
		g.SignInFailed(alice, "+447911123456")
	}
	// The identifier's count: from any client, in any spelling.
	wantRefusal(t, g.Check(other, captcha.OpSignIn, "", "+447911 123456"), captcha.ReasonRequired)
	// The client's count: for any identifier.
	wantRefusal(t, g.Check(alice, captcha.OpSignIn, "", "bob@example.com"), captcha.ReasonRequired)
	wantRefusal(t, g.Check(alice, captcha.OpSignIn, "bad", "bob@example.com"), captcha.ReasonInvalid)
	if err := g.Check(alice, captcha.OpSignIn, "good", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	// Neither count touched: no captcha.
	if err := g.Check(other, captcha.OpSignIn, "", "bob@example.com"); err != nil {
		t.Fatal(err)
	}
	if len(v.calls) != 2 {
		t.Fatalf("the provider was asked %v", v.calls)
	}
}

func TestParseOperations(t *testing.T) {
	ops, err := captcha.ParseOperations(" signup , PHONE_STATUS ")
	if err != nil || len(ops) != 2 || !ops[captcha.OpSignUp] || !ops[captcha.OpPhoneStatus] {
		t.Fatalf("got %v, %v", ops, err)
	}
	if ops, err := captcha.ParseOperations("all"); err != nil || len(ops) != 4 {
		t.Fatalf("all: %v, %v", ops, err)
	}
	if _, err := captcha.ParseOperations("signup,login"); err == nil || !strings.Contains(err.Error(), `"login"`) {
		t.Fatalf("unknown: %v", err)
	}
}
