package sms

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/adapters/internal/delivery"
)

// TwilioConfig configures the Twilio adapter. Each setting is named after
// the environment variable that carries it.
type TwilioConfig struct {
	// BaseURL is GATEHOUSE_TWILIO_BASE_URL, default https://api.twilio.com.
	// It must be https, except on a loopback host (tests, local fakes).
	BaseURL string
	// AccountSID (GATEHOUSE_TWILIO_ACCOUNT_SID, "AC" + 32 hex) and
	// AuthToken (GATEHOUSE_TWILIO_AUTH_TOKEN, a secret) are the HTTP basic
	// credentials.
	AccountSID, AuthToken string
	// From is GATEHOUSE_TWILIO_FROM: the E.164 sender (or a short code or
	// alphanumeric sender ID).
	From string
	// MessagingServiceSID is GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID
	// ("MG" + 32 hex), an alternative to From. When both are set both are
	// sent and Twilio picks From if it is in the service's sender pool.
	MessagingServiceSID string
	// Timeout bounds one attempt (GATEHOUSE_TWILIO_TIMEOUT, default 10s).
	Timeout time.Duration
	// MaxAttempts bounds the attempts for one message, first included
	// (GATEHOUSE_TWILIO_MAX_ATTEMPTS, default 3).
	MaxAttempts int
}

// Validate reports every missing or malformed setting, each named by its
// environment variable. Zero BaseURL, Timeout and MaxAttempts mean the
// defaults and are valid.
func (c TwilioConfig) Validate() error {
	var errs []error
	bad := func(name, problem string) { errs = append(errs, fmt.Errorf("%s %s", name, problem)) }

	if c.BaseURL != "" {
		if err := checkTwilioBaseURL(c.BaseURL); err != nil {
			bad("GATEHOUSE_TWILIO_BASE_URL", err.Error())
		}
	}
	switch {
	case c.AccountSID == "":
		bad("GATEHOUSE_TWILIO_ACCOUNT_SID", "is required")
	case !twilioAccountSIDRe.MatchString(c.AccountSID):
		bad("GATEHOUSE_TWILIO_ACCOUNT_SID", `must be "AC" followed by 32 hex characters`)
	}
	switch {
	case c.AuthToken == "":
		bad("GATEHOUSE_TWILIO_AUTH_TOKEN", "is required")
	case strings.TrimSpace(c.AuthToken) != c.AuthToken || strings.ContainsAny(c.AuthToken, "\r\n"):
		// The value is a secret: describe it, never echo it.
		bad("GATEHOUSE_TWILIO_AUTH_TOKEN", "must not contain surrounding spaces or line breaks")
	}
	if c.From == "" && c.MessagingServiceSID == "" {
		errs = append(errs, errors.New("GATEHOUSE_TWILIO_FROM or GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID is required"))
	}
	if c.From != "" && !twilioFromRe.MatchString(c.From) {
		bad("GATEHOUSE_TWILIO_FROM", "must be an E.164 number such as +14155550100 (or a short code or alphanumeric sender ID of at most 11 characters)")
	}
	if c.MessagingServiceSID != "" && !twilioServiceSIDRe.MatchString(c.MessagingServiceSID) {
		bad("GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID", `must be "MG" followed by 32 hex characters`)
	}
	if c.Timeout < 0 {
		bad("GATEHOUSE_TWILIO_TIMEOUT", "must not be negative")
	}
	if c.MaxAttempts < 0 {
		bad("GATEHOUSE_TWILIO_MAX_ATTEMPTS", "must not be negative")
	}
	return errors.Join(errs...)
}

func checkTwilioBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return errors.New("must be an absolute URL such as https://api.twilio.com")
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return errors.New("must not carry credentials, a query or a fragment")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("must use https (plain http is allowed only on a loopback host)")
	default:
		return errors.New("must use https")
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withDefaults fills the zero settings.
func (c TwilioConfig) withDefaults() TwilioConfig {
	if c.BaseURL == "" {
		c.BaseURL = DefaultTwilioBaseURL
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.Timeout == 0 {
		c.Timeout = DefaultTwilioTimeout
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = DefaultTwilioMaxAttempts
	}
	return c
}

// String keeps the auth token out of fmt output.
func (c TwilioConfig) String() string {
	return fmt.Sprintf("{BaseURL:%s AccountSID:%s AuthToken:%s From:%s MessagingServiceSID:%s Timeout:%s MaxAttempts:%d}",
		c.BaseURL, c.AccountSID, delivery.Redacted(c.AuthToken), c.From, c.MessagingServiceSID, c.Timeout, c.MaxAttempts)
}

// GoString keeps the auth token out of %#v.
func (c TwilioConfig) GoString() string { return "sms.TwilioConfig" + c.String() }

// LogValue keeps the auth token out of slog output.
func (c TwilioConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("base_url", c.BaseURL),
		slog.String("account_sid", c.AccountSID),
		slog.String("auth_token", delivery.Redacted(c.AuthToken)),
		slog.String("from", c.From),
		slog.String("messaging_service_sid", c.MessagingServiceSID),
		slog.Duration("timeout", c.Timeout),
		slog.Int("max_attempts", c.MaxAttempts),
	)
}
