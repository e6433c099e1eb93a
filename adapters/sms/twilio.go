package sms

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/adapters/internal/delivery"
	"github.com/gatehouse/gatehouse/ports"
)

// Defaults of TwilioConfig.
const (
	DefaultTwilioBaseURL     = "https://api.twilio.com"
	DefaultTwilioTimeout     = 10 * time.Second
	DefaultTwilioMaxAttempts = 3
)

const (
	twilioMaxResponseBytes = 64 << 10               // response bodies are read up to this size
	twilioFirstBackoff     = 200 * time.Millisecond // wait after the first failed attempt, doubled each time
	twilioMaxWait          = 5 * time.Second        // cap on one wait, Retry-After included
	twilioMaxMessageRunes  = 256                    // Twilio's error message is cut to this length
)

var (
	twilioAccountSIDRe = regexp.MustCompile(`^AC[0-9a-fA-F]{32}$`)
	twilioServiceSIDRe = regexp.MustCompile(`^MG[0-9a-fA-F]{32}$`)
	// A sender is an E.164 number, or a short code / alphanumeric sender ID.
	twilioFromRe = regexp.MustCompile(`^(\+[1-9][0-9]{1,14}|[A-Za-z0-9 ]{1,11})$`)
)

// Twilio sends messages through Twilio's Programmable Messaging REST API
// (POST /2010-04-01/Accounts/{sid}/Messages.json), which many other
// providers also speak. It retries 429, 5xx and network failures with
// exponential backoff; any other 4xx fails at once with a *TwilioError.
// It logs the message sid, status and a masked destination, never the
// text (it holds the one-time code) nor the auth token.
type Twilio struct {
	cfg      TwilioConfig
	endpoint string
	client   *http.Client
	log      *slog.Logger
	// sleep waits d or until ctx is done; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

var _ ports.SMSSender = (*Twilio)(nil)

// NewTwilio validates cfg, fills its defaults and returns the adapter. A nil
// client means a fresh one on http.DefaultTransport; either way redirects
// are not followed. A nil log discards.
func NewTwilio(cfg TwilioConfig, client *http.Client, log *slog.Logger) (*Twilio, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("twilio sms: %w", err)
	}
	cfg = cfg.withDefaults()
	var c http.Client
	if client != nil {
		c = *client // shallow copy: the caller's client keeps its own redirect policy
	}
	// A redirect would turn the POST into a GET (or resend it elsewhere):
	// treat it as an unexpected answer instead.
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Twilio{
		cfg:      cfg,
		endpoint: cfg.BaseURL + "/2010-04-01/Accounts/" + url.PathEscape(cfg.AccountSID) + "/Messages.json",
		client:   &c,
		log:      log,
		sleep:    delivery.Sleep,
	}, nil
}

// TwilioError is an error answer from Twilio (or a non-2xx answer that was
// not Twilio's JSON, then Code is 0).
type TwilioError struct {
	HTTPStatus int // HTTP status code
	Code       int // Twilio's error code (21211: invalid To), 0 if none
	// Message is Twilio's message, cut short, with the destination masked
	// and our text removed should Twilio echo them.
	Message  string
	MoreInfo string // documentation URL for Code
}

func (e *TwilioError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "twilio answered HTTP %d", e.HTTPStatus)
	if e.Code != 0 {
		fmt.Fprintf(&b, " with error %d", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.MoreInfo != "" {
		fmt.Fprintf(&b, " (%s)", e.MoreInfo)
	}
	return b.String()
}

// Temporary reports whether the same request may succeed later (429, 5xx).
func (e *TwilioError) Temporary() bool {
	return e.HTTPStatus == http.StatusTooManyRequests || e.HTTPStatus >= 500
}

var _ ports.SendFailure = (*TwilioError)(nil)

// SendReason sorts Twilio's answer into one of the ports.Send* reasons.
// 429 and 5xx are the transient ones (the adapter retries them too). Among
// the other answers, Twilio's error code decides first: the codes for a
// number that is malformed, not mobile, not reachable or in a region the
// account may not send to give INVALID_DESTINATION, those for a recipient
// who opted out or a carrier that blocks us give UNSUBSCRIBED. Then 401,
// 403 or code 20003 mean our account or token was refused; any other
// answer (a 4xx, or a redirect we do not follow) is REJECTED.
func (e *TwilioError) SendReason() string {
	switch {
	case e.HTTPStatus == http.StatusTooManyRequests:
		return ports.SendThrottled
	case e.HTTPStatus >= 500:
		return ports.SendUnavailable
	}
	switch e.Code {
	case 21211, // invalid To number
		21217, // To is not a valid phone number
		21401, // invalid phone number
		21407, // number not supported
		21612, // To is not reachable from this sender
		21614: // To is not a mobile number
		return ports.SendInvalidDestination
	case 21610, // recipient replied STOP
		30004, // message blocked
		30007: // filtered by the carrier
		return ports.SendUnsubscribed
	case 20003: // authentication error
		return ports.SendBadCredentials
	case 21408: // our account may not send to this region: ours to fix, not the user's number
		return ports.SendRejected
	}
	if e.HTTPStatus == http.StatusUnauthorized || e.HTTPStatus == http.StatusForbidden {
		return ports.SendBadCredentials
	}
	return ports.SendRejected
}

// Permanent reports whether sending the same message again cannot help:
// every answer but 429 and 5xx, the opposite of Temporary.
func (e *TwilioError) Permanent() bool { return !e.Temporary() }

// SendSMS posts one message, retrying temporary failures up to MaxAttempts
// times. A retried attempt may deliver a duplicate if an earlier one reached
// Twilio but its answer was lost.
func (t *Twilio) SendSMS(ctx context.Context, to, text string) error {
	form := url.Values{}
	form.Set("To", to)
	form.Set("Body", text)
	if t.cfg.From != "" {
		form.Set("From", t.cfg.From)
	}
	if t.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", t.cfg.MessagingServiceSID)
	}
	payload := form.Encode()
	masked := delivery.MaskPhone(to)

	var res twilioMessage
	var last error // the last attempt's failure
	_, err := delivery.Retry(ctx, delivery.Policy{
		Attempts:  t.cfg.MaxAttempts,
		FirstWait: twilioFirstBackoff,
		MaxWait:   twilioMaxWait,
		Transient: twilioTransient,
		Sleep:     t.sleep,
		Retrying: func(attempt int, wait time.Duration, err error) {
			t.log.WarnContext(ctx, "sms attempt failed, retrying", "provider", "twilio", "to", masked,
				"attempt", attempt, "wait", wait, "err", err)
		},
	}, func(ctx context.Context) (time.Duration, error) {
		var retryAfter time.Duration
		var err error
		res, retryAfter, err = t.attempt(ctx, payload, to, text)
		last = err
		return retryAfter, err
	})
	if err != nil {
		return fmt.Errorf("twilio sms to %s: %w", masked, keepUnconfirmed(err, last))
	}
	t.log.InfoContext(ctx, "sms sent", "provider", "twilio", "sid", res.SID, "status", res.Status, "to", masked)
	return nil
}

// twilioTransient reports whether a failed attempt may be retried: 429,
// 5xx and network failures may; other answers and our own failures not.
func twilioTransient(err error) bool {
	var te *TwilioError
	if errors.As(err, &te) {
		return te.Temporary()
	}
	var perm *permanentError
	return !errors.As(err, &perm)
}

// twilioMessage is the part of Twilio's message resource we use.
type twilioMessage struct {
	SID    string `json:"sid"`
	Status string `json:"status"`
}

// twilioErrorBody is Twilio's error document.
type twilioErrorBody struct {
	Code     int    `json:"code"`
	Message  string `json:"message"`
	MoreInfo string `json:"more_info"`
	Status   int    `json:"status"`
}

// permanentError marks a failure that retrying cannot fix. reason is its
// ports.Send* reason: UNCONFIRMED when Twilio accepted the request but its
// answer could not be read (the message may be on its way), REJECTED when
// the request could not even be made.
type permanentError struct {
	err    error
	reason string
}

func (e *permanentError) Error() string { return e.err.Error() }

func (e *permanentError) Unwrap() error { return e.err }

// SendReason is the reason the failure was created with.
func (e *permanentError) SendReason() string { return e.reason }

// Permanent is always true: the same request would fail the same way, or
// could send the message twice.
func (e *permanentError) Permanent() bool { return true }

// unconfirmedError is what SendSMS returns when ctx ended while the last
// attempt's answer was unconfirmed: Retry then reports ctx's error alone,
// but a caller must still learn the message may have gone. Its text is
// Retry's; it unwraps to both errors.
type unconfirmedError struct {
	err  error
	last *permanentError
}

func (e *unconfirmedError) Error() string   { return e.err.Error() }
func (e *unconfirmedError) Unwrap() []error { return []error{e.err, e.last} }

// keepUnconfirmed returns err, joined to last when last is an unconfirmed
// answer that err (ctx's error, from Retry) no longer carries.
func keepUnconfirmed(err, last error) error {
	var pe *permanentError
	if !errors.As(last, &pe) || pe.reason != ports.SendUnconfirmed || errors.As(err, new(*permanentError)) {
		return err
	}
	return &unconfirmedError{err: err, last: pe}
}

// attempt makes one request. On failure it returns how long the server asked
// us to wait (Retry-After, capped), zero if it did not say.
func (t *Twilio) attempt(ctx context.Context, payload, to, text string) (twilioMessage, time.Duration, error) {
	actx, cancel := context.WithTimeout(ctx, t.cfg.Timeout)
	defer cancel()

	req, err := http.NewRequestWithContext(actx, http.MethodPost, t.endpoint, strings.NewReader(payload))
	if err != nil {
		return twilioMessage{}, 0, &permanentError{err, ports.SendRejected}
	}
	req.SetBasicAuth(t.cfg.AccountSID, t.cfg.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "gatehouse-sms")

	resp, err := t.client.Do(req)
	if err != nil {
		return twilioMessage{}, 0, err // network error or per-attempt timeout: retried
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, twilioMaxResponseBytes))
	if err != nil && resp.StatusCode/100 != 2 {
		// Cut off mid-body: the status alone decides below.
		body = nil
	}

	if resp.StatusCode/100 == 2 {
		if err != nil {
			// The request was accepted; retrying could send a duplicate.
			return twilioMessage{}, 0, &permanentError{fmt.Errorf("reading twilio's answer (HTTP %d): %w", resp.StatusCode, err), ports.SendUnconfirmed}
		}
		var m twilioMessage
		if err := json.Unmarshal(body, &m); err != nil || m.SID == "" {
			// Not Twilio's answer (a proxy? a wrong base URL?): do not
			// report a message as sent that may never be.
			return twilioMessage{}, 0, &permanentError{fmt.Errorf("twilio answered HTTP %d without a message sid", resp.StatusCode), ports.SendUnconfirmed}
		}
		return m, 0, nil
	}

	te := &TwilioError{HTTPStatus: resp.StatusCode}
	var eb twilioErrorBody
	if json.Unmarshal(body, &eb) == nil {
		te.Code = eb.Code
		te.Message = scrubTwilio(eb.Message, to, text)
		te.MoreInfo = scrubTwilio(eb.MoreInfo, to, text)
	}
	var wait time.Duration
	if te.Temporary() {
		wait = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	return twilioMessage{}, wait, te
}

// parseRetryAfter reads delay-seconds (or an HTTP date), capped at
// twilioMaxWait; zero when absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(twilioMaxWait/time.Second) {
			return twilioMaxWait
		}
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(now)
	}
	return min(max(d, 0), twilioMaxWait)
}

// scrubTwilio shortens a provider message and removes what it may echo of
// ours: the text (it holds the code) and the full destination.
func scrubTwilio(s, to, text string) string {
	return delivery.Scrub(s, twilioMaxMessageRunes, text, "[text]", to, delivery.MaskPhone(to))
}
