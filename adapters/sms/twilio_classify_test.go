package sms

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
)

// twilioCode answers status with Twilio's error document for code.
func twilioCode(status, code int, message string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { twilioErrorReply(w, status, code, message) }
}

// TestTwilioClassifiesFailures makes the fake answer as Twilio does and
// checks how the error SendSMS returns is classified.
func TestTwilioClassifiesFailures(t *testing.T) {
	for _, tc := range []struct {
		name      string
		fault     http.HandlerFunc // served to every attempt; nil: the fake's own handling
		to, text  string           // sent instead of testTo, testText when set
		token     string           // auth token instead of testAuthToken when set
		reason    string
		permanent bool
		status    int // the TwilioError's HTTP status, 0: no TwilioError expected
		code      int // the TwilioError's Twilio code
		requests  int
	}{
		{name: "401 wrong auth token", token: "0000000000000000000000000000dead",
			reason: ports.SendBadCredentials, permanent: true, status: 401, code: 20003, requests: 1},
		{name: "403 account suspended", fault: twilioCode(403, 20005, "Account not active"),
			reason: ports.SendBadCredentials, permanent: true, status: 403, code: 20005, requests: 1},
		{name: "429 too many requests", fault: statusReply(429, 20429, "1"),
			reason: ports.SendThrottled, permanent: false, status: 429, code: 20429, requests: 3},
		{name: "503 service unavailable", fault: statusReply(503, 20503, ""),
			reason: ports.SendUnavailable, permanent: false, status: 503, code: 20503, requests: 3},
		{name: "500 without Twilio's document", fault: func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "upstream error", http.StatusInternalServerError)
		}, reason: ports.SendUnavailable, permanent: false, status: 500, requests: 3},
		{name: "21211 invalid To", to: "0044 7700 900123",
			reason: ports.SendInvalidDestination, permanent: true, status: 400, code: 21211, requests: 1},
		{name: "21614 not a mobile number", fault: twilioCode(400, 21614, "'To' number is not a valid mobile number"),
			reason: ports.SendInvalidDestination, permanent: true, status: 400, code: 21614, requests: 1},
		{name: "21408 region not enabled", fault: twilioCode(400, 21408, "Permission to send an SMS has not been enabled for the region"),
			reason: ports.SendRejected, permanent: true, status: 400, code: 21408, requests: 1},
		{name: "21612 unreachable", fault: twilioCode(400, 21612, "The 'To' phone number is not currently reachable"),
			reason: ports.SendInvalidDestination, permanent: true, status: 400, code: 21612, requests: 1},
		{name: "21610 replied STOP", fault: twilioCode(400, 21610, "Attempt to send to unsubscribed recipient"),
			reason: ports.SendUnsubscribed, permanent: true, status: 400, code: 21610, requests: 1},
		{name: "30007 carrier filtered", fault: twilioCode(400, 30007, "Message filtered"),
			reason: ports.SendUnsubscribed, permanent: true, status: 400, code: 30007, requests: 1},
		{name: "21602 empty body", text: " ", fault: twilioCode(400, 21602, "Message body is required."),
			reason: ports.SendRejected, permanent: true, status: 400, code: 21602, requests: 1},
		{name: "redirect", fault: func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/elsewhere", http.StatusFound) },
			reason: ports.SendRejected, permanent: true, status: 302, requests: 1},
		{name: "201 without a sid", fault: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte("<html>captive portal</html>"))
		}, reason: ports.SendUnconfirmed, permanent: true, requests: 1},
		{name: "201 cut short", fault: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"sid":"SM0123`))
			w.(http.Flusher).Flush()
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
		}, reason: ports.SendUnconfirmed, permanent: true, requests: 1},
		{name: "connection dropped without an answer", fault: func(w http.ResponseWriter, _ *http.Request) {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				_ = conn.Close()
			}
		}, reason: ports.SendUnavailable, permanent: false, requests: 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeTwilio(t)
			if tc.fault != nil {
				for range DefaultTwilioMaxAttempts {
					f.fail(tc.fault)
				}
			}
			cfg := testConfig(f)
			if tc.token != "" {
				cfg.AuthToken = tc.token
			}
			to, text := testTo, testText
			if tc.to != "" {
				to = tc.to
			}
			if tc.text != "" {
				text = tc.text
			}
			tw, _ := newTestTwilio(t, cfg, f, nil)

			err := tw.SendSMS(context.Background(), to, text)
			if err == nil {
				t.Fatal("want an error")
			}
			reason, permanent := ports.ClassifySend(err)
			if reason != tc.reason || permanent != tc.permanent {
				t.Errorf("ClassifySend(%v) = %s, %v; want %s, %v", err, reason, permanent, tc.reason, tc.permanent)
			}
			var te *TwilioError
			switch {
			case tc.status != 0 && !errors.As(err, &te):
				t.Errorf("want a *TwilioError in %v", err)
			case tc.status != 0 && (te.HTTPStatus != tc.status || te.Code != tc.code):
				t.Errorf("TwilioError HTTP %d code %d, want %d %d", te.HTTPStatus, te.Code, tc.status, tc.code)
			case tc.status == 0 && errors.As(err, &te):
				t.Errorf("want no *TwilioError, got %v", te)
			}
			if n := f.requestCount(); n != tc.requests {
				t.Errorf("want %d requests, got %d", tc.requests, n)
			}
		})
	}
}

// A provider that is not there (its server closed): PROVIDER_UNAVAILABLE,
// transient.
func TestTwilioClassifiesServerGoneAsUnavailable(t *testing.T) {
	f := newFakeTwilio(t)
	tw, rec := newTestTwilio(t, testConfig(f), f, nil)
	f.srv.Close()

	err := tw.SendSMS(context.Background(), testTo, testText)
	if err == nil {
		t.Fatal("want an error")
	}
	if reason, permanent := ports.ClassifySend(err); reason != ports.SendUnavailable || permanent {
		t.Errorf("ClassifySend(%v) = %s, %v; want %s, false", err, reason, permanent, ports.SendUnavailable)
	}
	if n := len(rec.recorded()); n != DefaultTwilioMaxAttempts-1 {
		t.Errorf("want %d waits (retried), got %d", DefaultTwilioMaxAttempts-1, n)
	}
}

// When ctx ends while Twilio's 2xx answer is being read, Retry reports
// ctx's error; the error must still say the message may have gone.
func TestTwilioCancelWhileReadingAcceptedStaysUnconfirmed(t *testing.T) {
	f := newFakeTwilio(t)
	release := make(chan struct{})
	defer close(release)
	f.fail(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"sid":"SM0123`))
		w.(http.Flusher).Flush()
		select { // the rest of the answer never comes
		case <-release:
		case <-r.Context().Done():
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	// Cancel once the client holds the 201, while it reads the body.
	base := f.srv.Client().Transport
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := base.RoundTrip(r)
		if err == nil {
			cancel()
		}
		return resp, err
	})}
	tw, err := NewTwilio(testConfig(f), client, nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := &sleepRecorder{}
	tw.sleep = rec.sleep

	err = tw.SendSMS(ctx, testTo, testText)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
	if reason, permanent := ports.ClassifySend(err); reason != ports.SendUnconfirmed || !permanent {
		t.Errorf("ClassifySend(%v) = %s, %v; want %s, true", err, reason, permanent, ports.SendUnconfirmed)
	}
	if !strings.Contains(err.Error(), "context canceled (last error: reading twilio's answer (HTTP 201)") {
		t.Errorf("unexpected text %q", err)
	}
	if len(rec.recorded()) != 0 {
		t.Errorf("not retried: waits %v", rec.recorded())
	}

	// A cancel before anything was sent stays transient.
	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	err = tw.SendSMS(ctx, testTo, testText)
	if reason, permanent := ports.ClassifySend(err); reason != ports.SendUnavailable || permanent {
		t.Errorf("ClassifySend(%v) = %s, %v; want %s, false", err, reason, permanent, ports.SendUnavailable)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTwilioErrorClassificationPrecedence(t *testing.T) {
	for _, tc := range []struct {
		e         TwilioError
		reason    string
		permanent bool
	}{
		{TwilioError{HTTPStatus: 401}, ports.SendBadCredentials, true},
		{TwilioError{HTTPStatus: 400, Code: 20003}, ports.SendBadCredentials, true},
		{TwilioError{HTTPStatus: 403, Code: 21610}, ports.SendUnsubscribed, true}, // the code is more precise than the status
		{TwilioError{HTTPStatus: 400, Code: 21217}, ports.SendInvalidDestination, true},
		{TwilioError{HTTPStatus: 400, Code: 21401}, ports.SendInvalidDestination, true},
		{TwilioError{HTTPStatus: 400, Code: 21407}, ports.SendInvalidDestination, true},
		{TwilioError{HTTPStatus: 400, Code: 30004}, ports.SendUnsubscribed, true},
		{TwilioError{HTTPStatus: 404, Code: 20404}, ports.SendRejected, true},
		{TwilioError{HTTPStatus: 503, Code: 21211}, ports.SendUnavailable, false}, // 5xx is retried whatever the code
		{TwilioError{HTTPStatus: 429, Code: 20003}, ports.SendThrottled, false},
	} {
		if got := tc.e.SendReason(); got != tc.reason || tc.e.Permanent() != tc.permanent {
			t.Errorf("%v: %s, %v; want %s, %v", &tc.e, got, tc.e.Permanent(), tc.reason, tc.permanent)
		}
		if tc.e.Permanent() == tc.e.Temporary() {
			t.Errorf("%v: Permanent and Temporary agree", &tc.e)
		}
	}
}
