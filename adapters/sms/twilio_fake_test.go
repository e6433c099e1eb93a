// An in-process fake of Twilio's Messaging API, speaking its real protocol,
// for the adapter's tests.

package sms

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
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
