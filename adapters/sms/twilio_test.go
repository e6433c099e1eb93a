package sms

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAccountSID = "AC0123456789abcdef0123456789abcdef"
	testAuthToken  = "f00dfacecafe4b1dbadc0ffee0ddba11"
	testFrom       = "+15005550006"
	testService    = "MG9876543210fedcba9876543210fedcba"
	testTo         = "+447700900123"
	testCode       = "482913"
	testText       = "Gatehouse: your code is " + testCode
)

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// fakeTwilio is an in-process Twilio Programmable Messaging endpoint: it
// checks what the real one checks, stores what it accepts and answers with
// the real documents. Queued faults are served, in order, before the normal
// handling.
type fakeTwilio struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests int
	messages []fakeMessage
	faults   []http.HandlerFunc
}

type fakeMessage struct {
	SID, To, From, MessagingServiceSID, Body string
}

func newFakeTwilio(t *testing.T) *fakeTwilio {
	t.Helper()
	f := &fakeTwilio{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// fail queues one faulty answer.
func (f *fakeTwilio) fail(h http.HandlerFunc) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults = append(f.faults, h)
}

func (f *fakeTwilio) requestCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

func (f *fakeTwilio) sent() []fakeMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fakeMessage(nil), f.messages...)
}

// twilioErrorReply writes Twilio's error document.
func twilioErrorReply(w http.ResponseWriter, status, code int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"code":      code,
		"message":   message,
		"more_info": fmt.Sprintf("https://www.twilio.com/docs/errors/%d", code),
		"status":    status,
	})
}

// statusReply answers status with Twilio's error document, and Retry-After
// when not empty.
func statusReply(status, code int, retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if retryAfter != "" {
			w.Header().Set("Retry-After", retryAfter)
		}
		twilioErrorReply(w, status, code, http.StatusText(status))
	}
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	var fault http.HandlerFunc
	if len(f.faults) > 0 {
		fault, f.faults = f.faults[0], f.faults[1:]
	}
	f.mu.Unlock()
	if fault != nil {
		fault(w, r)
		return
	}

	want := "/2010-04-01/Accounts/" + testAccountSID + "/Messages.json"
	if r.URL.Path != want {
		twilioErrorReply(w, http.StatusNotFound, 20404, "The requested resource "+r.URL.Path+" was not found")
		return
	}
	if r.Method != http.MethodPost {
		twilioErrorReply(w, http.StatusMethodNotAllowed, 20004, "Method not allowed")
		return
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != testAccountSID || pass != testAuthToken {
		w.Header().Set("WWW-Authenticate", `Basic realm="Twilio API"`)
		twilioErrorReply(w, http.StatusUnauthorized, 20003, "Authentication Error - invalid username")
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		twilioErrorReply(w, http.StatusUnsupportedMediaType, 20415, "Unsupported media type "+ct)
		return
	}
	if err := r.ParseForm(); err != nil {
		twilioErrorReply(w, http.StatusBadRequest, 20001, "Could not parse the request")
		return
	}
	m := fakeMessage{
		To:                  r.PostForm.Get("To"),
		From:                r.PostForm.Get("From"),
		MessagingServiceSID: r.PostForm.Get("MessagingServiceSid"),
		Body:                r.PostForm.Get("Body"),
	}
	switch {
	case m.To == "":
		twilioErrorReply(w, http.StatusBadRequest, 21604, "A 'To' phone number is required.")
		return
	case !e164.MatchString(m.To):
		twilioErrorReply(w, http.StatusBadRequest, 21211, "Invalid 'To' Phone Number: "+m.To)
		return
	case m.From == "" && m.MessagingServiceSID == "":
		twilioErrorReply(w, http.StatusBadRequest, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message")
		return
	case m.Body == "":
		twilioErrorReply(w, http.StatusBadRequest, 21602, "Message body is required.")
		return
	}
	var raw [16]byte
	_, _ = rand.Read(raw[:])
	m.SID = "SM" + hex.EncodeToString(raw[:])
	f.mu.Lock()
	f.messages = append(f.messages, m)
	f.mu.Unlock()

	status, from, service := "queued", any(m.From), any(nil)
	if m.MessagingServiceSID != "" {
		service = m.MessagingServiceSID
		if m.From == "" {
			status, from = "accepted", nil
		}
	}
	now := time.Now().UTC().Format(time.RFC1123Z)
	uri := want[:len(want)-len(".json")] + "/" + m.SID
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"account_sid":           testAccountSID,
		"api_version":           "2010-04-01",
		"body":                  m.Body,
		"date_created":          now,
		"date_sent":             nil,
		"date_updated":          now,
		"direction":             "outbound-api",
		"error_code":            nil,
		"error_message":         nil,
		"from":                  from,
		"messaging_service_sid": service,
		"num_media":             "0",
		"num_segments":          "1",
		"price":                 nil,
		"price_unit":            "USD",
		"sid":                   m.SID,
		"status":                status,
		"subresource_uris":      map[string]string{"media": uri + "/Media.json"},
		"to":                    m.To,
		"uri":                   uri + ".json",
	})
}

// sleepRecorder stands in for the real wait: it records and returns at once.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

func testConfig(f *fakeTwilio) TwilioConfig {
	return TwilioConfig{
		BaseURL:    f.srv.URL,
		AccountSID: testAccountSID,
		AuthToken:  testAuthToken,
		From:       testFrom,
		Timeout:    5 * time.Second,
	}
}

// newTestTwilio builds the adapter on f's client, logging into buf, with
// the waits recorded instead of slept.
func newTestTwilio(t *testing.T, cfg TwilioConfig, f *fakeTwilio, buf *bytes.Buffer) (*Twilio, *sleepRecorder) {
	t.Helper()
	var log *slog.Logger
	if buf != nil {
		log = slog.New(slog.NewTextHandler(buf, nil))
	}
	tw, err := NewTwilio(cfg, f.srv.Client(), log)
	if err != nil {
		t.Fatal(err)
	}
	rec := &sleepRecorder{}
	tw.sleep = rec.sleep
	return tw, rec
}

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
	for _, want := range []string{"400", "21211", "https://www.twilio.com/docs/errors/21211", maskPhone(badTo)} {
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
		return sleepCtx(ctx, d) // the real wait
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
	for _, want := range []string{"sid=" + sent[0].SID, "status=queued", "to=" + maskPhone(testTo), "+447*******23", "level=WARN"} {
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

func TestTwilioConfigNeverPrintsToken(t *testing.T) {
	cfg := TwilioConfig{AccountSID: testAccountSID, AuthToken: testAuthToken, From: testFrom}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "twilio", cfg)
	for _, s := range []string{buf.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		if strings.Contains(s, testAuthToken) {
			t.Errorf("%q leaks the auth token", s)
		}
		if !strings.Contains(s, testAccountSID) {
			t.Errorf("%q lacks the account sid", s)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	for in, want := range map[string]string{
		"+447700900123": "+447*******23",
		"+15005550006":  "+150******06",
		"+1234567":      "+123**67",
		"123456":        "******",
		"":              "",
	} {
		if got := maskPhone(in); got != want {
			t.Errorf("maskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":      0,
		"1":     time.Second,
		" 2 ":   2 * time.Second,
		"0":     0,
		"-3":    0,
		"99999": 5 * time.Second,
		"soon":  0,
		now.Add(3 * time.Second).Format(http.TimeFormat):  3 * time.Second,
		now.Add(-3 * time.Second).Format(http.TimeFormat): 0,
		now.Add(time.Hour).Format(http.TimeFormat):        5 * time.Second,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestTwilioConfigValidate(t *testing.T) {
	valid := TwilioConfig{AccountSID: testAccountSID, AuthToken: testAuthToken, From: testFrom}
	tests := []struct {
		name   string
		edit   func(*TwilioConfig)
		errHas []string // empty: valid
	}{
		{"valid with From", func(*TwilioConfig) {}, nil},
		{"valid with messaging service", func(c *TwilioConfig) { c.From, c.MessagingServiceSID = "", testService }, nil},
		{"valid with both senders", func(c *TwilioConfig) { c.MessagingServiceSID = testService }, nil},
		{"valid alphanumeric sender", func(c *TwilioConfig) { c.From = "Gatehouse" }, nil},
		{"valid https base", func(c *TwilioConfig) { c.BaseURL = "https://sms.example.com/twilio" }, nil},
		{"valid http on 127.0.0.1", func(c *TwilioConfig) { c.BaseURL = "http://127.0.0.1:8080" }, nil},
		{"valid http on ::1", func(c *TwilioConfig) { c.BaseURL = "http://[::1]:8080" }, nil},
		{"valid http on localhost", func(c *TwilioConfig) { c.BaseURL = "http://localhost:8080" }, nil},
		{"missing account sid", func(c *TwilioConfig) { c.AccountSID = "" }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"short account sid", func(c *TwilioConfig) { c.AccountSID = "AC123" }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"account sid of wrong kind", func(c *TwilioConfig) { c.AccountSID = "SK" + testAccountSID[2:] }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"account sid not hex", func(c *TwilioConfig) { c.AccountSID = "AC" + strings.Repeat("z", 32) }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"missing auth token", func(c *TwilioConfig) { c.AuthToken = "" }, []string{"GATEHOUSE_TWILIO_AUTH_TOKEN"}},
		{"auth token with newline", func(c *TwilioConfig) { c.AuthToken = testAuthToken + "\n" }, []string{"GATEHOUSE_TWILIO_AUTH_TOKEN"}},
		{"no sender", func(c *TwilioConfig) { c.From = "" }, []string{"GATEHOUSE_TWILIO_FROM", "GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID"}},
		{"bad From", func(c *TwilioConfig) { c.From = "+0123" }, []string{"GATEHOUSE_TWILIO_FROM"}},
		{"bad messaging service", func(c *TwilioConfig) { c.MessagingServiceSID = "MGnope" }, []string{"GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID"}},
		{"http on a public host", func(c *TwilioConfig) { c.BaseURL = "http://api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL", "https"}},
		{"http on a loopback-looking name", func(c *TwilioConfig) { c.BaseURL = "http://127.0.0.1.evil.example" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"other scheme", func(c *TwilioConfig) { c.BaseURL = "ftp://api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"relative base", func(c *TwilioConfig) { c.BaseURL = "api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"credentials in base", func(c *TwilioConfig) { c.BaseURL = "https://u:p@api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"negative timeout", func(c *TwilioConfig) { c.Timeout = -time.Second }, []string{"GATEHOUSE_TWILIO_TIMEOUT"}},
		{"negative attempts", func(c *TwilioConfig) { c.MaxAttempts = -1 }, []string{"GATEHOUSE_TWILIO_MAX_ATTEMPTS"}},
		{"everything missing", func(c *TwilioConfig) { *c = TwilioConfig{} }, []string{
			"GATEHOUSE_TWILIO_ACCOUNT_SID", "GATEHOUSE_TWILIO_AUTH_TOKEN", "GATEHOUSE_TWILIO_FROM", "GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			tt.edit(&cfg)
			err := cfg.Validate()
			if len(tt.errHas) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if _, err := NewTwilio(cfg, nil, nil); err != nil {
					t.Fatalf("NewTwilio: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error naming %v", tt.errHas)
			}
			for _, want := range tt.errHas {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if strings.Contains(err.Error(), testAuthToken) {
				t.Errorf("error %q leaks the auth token", err)
			}
			if _, nerr := NewTwilio(cfg, nil, nil); nerr == nil {
				t.Error("NewTwilio accepted an invalid config")
			}
		})
	}
}
