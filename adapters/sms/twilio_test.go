package sms

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/internal/delivery"
)

func TestTwilioDeliversWithFromAndAuth(t *testing.T) {
	f := newFakeTwilio(t)
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	got := f.sent()
	if len(got) != 1 {
		t.Fatalf("want 1 stored message, got %d", len(got))
	}
	m := got[0]
	if m.To != testTo || m.From != testFrom || m.Body != testText || m.MessagingServiceSID != "" {
		t.Errorf("stored %+v, want To %s From %s Body %q and no service", m, testTo, testFrom, testText)
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("want 1 request, got %d", n)
	}
	if w := rec.recorded(); len(w) != 0 {
		t.Errorf("want no wait, got %v", w)
	}
}

func TestTwilioDeliversWithMessagingService(t *testing.T) {
	f := newFakeTwilio(t)
	cfg := testConfig(f)
	cfg.From, cfg.MessagingServiceSID = "", testService
	cfg.BaseURL += "/" // a trailing slash is tolerated
	tw, _ := newTestTwilio(t, cfg, f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	got := f.sent()
	if len(got) != 1 || got[0].MessagingServiceSID != testService || got[0].From != "" || got[0].To != testTo || got[0].Body != testText {
		t.Fatalf("stored %+v, want one message through %s without From", got, testService)
	}
}

func TestTwilioInvalidToFailsAtOnce(t *testing.T) {
	f := newFakeTwilio(t)
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	const badTo = "07700900123" // not E.164
	err := tw.SendSMS(context.Background(), badTo, testText)
	var te *TwilioError
	if !errors.As(err, &te) || te.HTTPStatus != 400 || te.Code != 21211 || te.Temporary() {
		t.Fatalf("want a permanent TwilioError 400/21211, got %#v", err)
	}
	msg := err.Error()
	for _, want := range []string{"400", "21211", "https://www.twilio.com/docs/errors/21211", delivery.MaskPhone(badTo)} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	// Twilio echoes the number; the error carries it masked, and never our text.
	for _, leak := range []string{badTo, testCode, testText, testAuthToken} {
		if strings.Contains(msg, leak) {
			t.Errorf("error %q leaks %q", msg, leak)
		}
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("want 1 request, got %d", n)
	}
	if w := rec.recorded(); len(w) != 0 {
		t.Errorf("want no wait, got %v", w)
	}
}

func TestTwilioWrongAuthTokenFailsAtOnce(t *testing.T) {
	f := newFakeTwilio(t)
	cfg := testConfig(f)
	const wrong = "0000000000000000000000000000beef"
	cfg.AuthToken = wrong
	tw, _ := newTestTwilio(t, cfg, f, nil)
	err := tw.SendSMS(context.Background(), testTo, testText)
	var te *TwilioError
	if !errors.As(err, &te) || te.HTTPStatus != 401 || te.Code != 20003 {
		t.Fatalf("want TwilioError 401/20003, got %v", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("error %q leaks the auth token", err)
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("want 1 request, got %d", n)
	}
}

func TestTwilioRetriesAfter503(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(statusReply(503, 20503, ""))
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	if n := f.requestCount(); n != 2 {
		t.Errorf("want 2 requests, got %d", n)
	}
	if len(f.sent()) != 1 {
		t.Errorf("want 1 stored message, got %d", len(f.sent()))
	}
	w := rec.recorded()
	if len(w) != 1 || w[0] < 200*time.Millisecond || w[0] > 300*time.Millisecond {
		t.Errorf("want one wait in [200ms, 300ms], got %v", w)
	}
}

func TestTwilioHonoursRetryAfterOn429(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(statusReply(429, 20429, "1"))
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	if n := f.requestCount(); n != 2 {
		t.Errorf("want 2 requests, got %d", n)
	}
	if w := rec.recorded(); len(w) != 1 || w[0] != time.Second {
		t.Errorf("want one wait of 1s, got %v", w)
	}
}

func TestTwilioRetryAfterIsCapped(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(statusReply(429, 20429, "3600"))
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	if w := rec.recorded(); len(w) != 1 || w[0] != 5*time.Second {
		t.Errorf("want one wait of 5s, got %v", w)
	}
}

func TestTwilioGivesUpAfterMaxAttempts(t *testing.T) {
	f := newFakeTwilio(t)
	for range 10 {
		f.fail(statusReply(500, 20500, ""))
	}
	cfg := testConfig(f)
	cfg.MaxAttempts = 4
	tw, rec := newTestTwilio(t, cfg, f, nil)
	err := tw.SendSMS(context.Background(), testTo, testText)
	var te *TwilioError
	if !errors.As(err, &te) || te.HTTPStatus != 500 {
		t.Fatalf("want the last TwilioError 500, got %v", err)
	}
	if !strings.Contains(err.Error(), "4 attempts") {
		t.Errorf("error %q does not say how many attempts", err)
	}
	if n := f.requestCount(); n != 4 {
		t.Errorf("want 4 requests, got %d", n)
	}
	// Exponential: 200ms, 400ms, 800ms, each plus up to half again.
	w := rec.recorded()
	if len(w) != 3 {
		t.Fatalf("want 3 waits, got %v", w)
	}
	for i, base := range []time.Duration{200, 400, 800} {
		base *= time.Millisecond
		if w[i] < base || w[i] > base*3/2 {
			t.Errorf("wait %d = %v, want in [%v, %v]", i+1, w[i], base, base*3/2)
		}
	}
}

func TestTwilioDefaultMaxAttemptsIsThree(t *testing.T) {
	f := newFakeTwilio(t)
	for range 10 {
		f.fail(statusReply(502, 0, ""))
	}
	tw, _ := newTestTwilio(t, testConfig(f), f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err == nil {
		t.Fatal("want an error")
	}
	if n := f.requestCount(); n != 3 {
		t.Errorf("want 3 requests, got %d", n)
	}
}

func TestTwilioCancelDuringBackoffReturnsPromptly(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(statusReply(503, 20503, "5"))
	tw, _ := newTestTwilio(t, testConfig(f), f, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	waiting := make(chan time.Duration, 1)
	tw.sleep = func(ctx context.Context, d time.Duration) error {
		waiting <- d
		return delivery.Sleep(ctx, d) // the real wait
	}
	go func() {
		<-waiting
		cancel()
	}()
	start := time.Now()
	err := tw.SendSMS(ctx, testTo, testText)
	elapsed := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if elapsed > 2*time.Second {
		t.Errorf("took %v to notice the cancel during a 5s wait", elapsed)
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("want 1 request, got %d", n)
	}
}

func TestTwilioAlreadyCancelledMakesNoRetry(t *testing.T) {
	f := newFakeTwilio(t)
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tw.SendSMS(ctx, testTo, testText); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if w := rec.recorded(); len(w) != 0 {
		t.Errorf("want no wait, got %v", w)
	}
}

func TestTwilioSlowAttemptTimesOutAndIsRetried(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(func(w http.ResponseWriter, r *http.Request) {
		// Read the body first so the server notices when the client leaves,
		// then hang until it does.
		_, _ = io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	cfg := testConfig(f)
	cfg.Timeout = 100 * time.Millisecond
	tw, rec := newTestTwilio(t, cfg, f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	if n := f.requestCount(); n != 2 {
		t.Errorf("want 2 requests, got %d", n)
	}
	if len(rec.recorded()) != 1 {
		t.Errorf("want 1 wait, got %v", rec.recorded())
	}
}

func TestTwilioNetworkErrorIsRetried(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err == nil {
			conn.Close() // drop the connection without an answer
		}
	})
	tw, _ := newTestTwilio(t, testConfig(f), f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	if n := f.requestCount(); n != 2 {
		t.Errorf("want 2 requests, got %d", n)
	}
}

func TestTwilioSuccessWithoutSidIsAnError(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>captive portal</html>"))
	})
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	err := tw.SendSMS(context.Background(), testTo, testText)
	if err == nil || !strings.Contains(err.Error(), "sid") {
		t.Fatalf("want an error about the missing sid, got %v", err)
	}
	if n := f.requestCount(); n != 1 || len(rec.recorded()) != 0 {
		t.Errorf("a 2xx must not be retried: %d requests, waits %v", n, rec.recorded())
	}
}

func TestTwilioResponseBodyIsCapped(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		// A valid document whose sid lies past the 64 KiB cap.
		pad := strings.Repeat("x", 100<<10)
		_, _ = fmt.Fprintf(w, `{"pad":%q,"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}`, pad)
	})
	tw, _ := newTestTwilio(t, testConfig(f), f, nil)
	if err := tw.SendSMS(context.Background(), testTo, testText); err == nil {
		t.Fatal("want an error: the answer was cut at the cap")
	}
}

func TestTwilioRedirectIsNotFollowed(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	tw, _ := newTestTwilio(t, testConfig(f), f, nil)
	err := tw.SendSMS(context.Background(), testTo, testText)
	var te *TwilioError
	if !errors.As(err, &te) || te.HTTPStatus != http.StatusFound {
		t.Fatalf("want TwilioError 302, got %v", err)
	}
	if n := f.requestCount(); n != 1 {
		t.Errorf("want 1 request, got %d", n)
	}
}

func TestTwilioLogsSidAndMaskedNumberOnly(t *testing.T) {
	f := newFakeTwilio(t)
	f.fail(statusReply(503, 20503, "")) // the retry warning is checked too
	var buf bytes.Buffer
	tw, _ := newTestTwilio(t, testConfig(f), f, &buf)
	if err := tw.SendSMS(context.Background(), testTo, testText); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	sent := f.sent()
	if len(sent) != 1 {
		t.Fatalf("want 1 stored message, got %d", len(sent))
	}
	if n := strings.Count(out, "level=INFO"); n != 1 {
		t.Errorf("want one info line, got %d in %q", n, out)
	}
	for _, want := range []string{"sid=" + sent[0].SID, "status=queued", "to=" + delivery.MaskPhone(testTo), "+447*******23", "level=WARN"} {
		if !strings.Contains(out, want) {
			t.Errorf("log %q lacks %q", out, want)
		}
	}
	for _, leak := range []string{testTo, testCode, testAuthToken, "your code"} {
		if strings.Contains(out, leak) {
			t.Errorf("log %q leaks %q", out, leak)
		}
	}
}
