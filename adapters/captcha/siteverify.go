// Package captcha verifies captcha tokens with the providers' siteverify
// API, which Cloudflare Turnstile, hCaptcha and Google reCAPTCHA share:
// POST a form (secret, response, remoteip), get JSON back (success,
// error-codes, hostname, action; reCAPTCHA v3 adds a score).
package captcha

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/modules/captcha"
)

// Provider names a captcha service.
type Provider string

const (
	Turnstile Provider = "turnstile"
	HCaptcha  Provider = "hcaptcha"
	ReCAPTCHA Provider = "recaptcha"
)

// VerifyURLs are the providers' siteverify endpoints.
var VerifyURLs = map[Provider]string{
	Turnstile: "https://challenges.cloudflare.com/turnstile/v0/siteverify",
	HCaptcha:  "https://api.hcaptcha.com/siteverify",
	ReCAPTCHA: "https://www.google.com/recaptcha/api/siteverify",
}

// DefaultTimeout bounds one verification; maxResponseBytes bounds the
// answer read (a real one is a few hundred bytes).
const (
	DefaultTimeout   = 5 * time.Second
	maxResponseBytes = 16 << 10
)

// Config is one provider account.
type Config struct {
	Provider Provider
	// Secret is the account's secret key; it goes in the form and nowhere
	// else.
	Secret string
	// VerifyURL overrides the provider's endpoint (tests, a proxy).
	VerifyURL string
	// Hostnames, when set, are the only sites a token may have been
	// solved on (the answer's hostname); empty accepts any.
	Hostnames []string
	// CheckAction makes a token solved for another action than the
	// operation's name (signup, signin, …) refused, when the provider
	// reports one (Turnstile, reCAPTCHA v3).
	CheckAction bool
	// MinScore refuses reCAPTCHA v3 answers scored below it; 0: any.
	MinScore float64
	// Timeout bounds one verification (DefaultTimeout when 0).
	Timeout time.Duration
}

// Validate says what is wrong with c.
func (c Config) Validate() error {
	if _, ok := VerifyURLs[c.Provider]; !ok {
		return fmt.Errorf("unknown captcha provider %q (turnstile, hcaptcha or recaptcha)", c.Provider)
	}
	if c.Secret == "" {
		return errors.New("the captcha secret is empty")
	}
	if c.VerifyURL != "" {
		u, err := url.Parse(c.VerifyURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return errors.New("the captcha verify URL is not an http(s) URL")
		}
	}
	if c.MinScore < 0 || c.MinScore > 1 {
		return errors.New("the captcha minimum score is not between 0 and 1")
	}
	return nil
}

// SiteVerify is the captcha.Verifier of one provider account.
type SiteVerify struct {
	cfg      Config
	endpoint string
	client   *http.Client
}

var _ captcha.Verifier = (*SiteVerify)(nil)

// New validates cfg and returns the adapter. A nil client means one on
// http.DefaultTransport; either way redirects are not followed (the
// secret would be posted again to wherever they lead).
func New(cfg Config, client *http.Client) (*SiteVerify, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	var c http.Client
	if client != nil {
		c = *client
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	endpoint := cfg.VerifyURL
	if endpoint == "" {
		endpoint = VerifyURLs[cfg.Provider]
	}
	return &SiteVerify{cfg: cfg, endpoint: endpoint, client: &c}, nil
}

// answer is the siteverify JSON of the three providers.
type answer struct {
	Success    *bool    `json:"success"`
	ErrorCodes []string `json:"error-codes"`
	Hostname   string   `json:"hostname"`
	Action     string   `json:"action"`
	Score      *float64 `json:"score"`
}

// unavailableCodes are error-codes that blame our side (the secret, the
// request, the provider itself), not the client's token: they make the
// verification unavailable rather than refused.
var unavailableCodes = map[string]bool{
	"missing-input-secret":    true,
	"invalid-input-secret":    true,
	"sitekey-secret-mismatch": true,
	"bad-request":             true,
	"internal-error":          true,
	"invalid-parsed-secret":   true,
}

// Verify posts the token and judges the answer. Errors (the provider is
// unavailable): a network failure or timeout, a non-200 status, an answer
// too large or not siteverify JSON, or error-codes that blame our
// credentials. Neither the token nor the secret appears in an error.
func (s *SiteVerify) Verify(ctx context.Context, token, remoteIP string, op captcha.Operation) (captcha.Verdict, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	form := url.Values{"secret": {s.cfg.Secret}, "response": {token}}
	if remoteIP != "" {
		form.Set("remoteip", remoteIP)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return captcha.Verdict{}, fmt.Errorf("captcha %s: building the request failed", s.cfg.Provider)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := s.client.Do(req)
	if err != nil {
		// *url.Error holds the URL only (the form is in the body).
		return captcha.Verdict{}, fmt.Errorf("captcha %s: %w", s.cfg.Provider, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes+1))
	if err != nil {
		return captcha.Verdict{}, fmt.Errorf("captcha %s: reading the answer: %w", s.cfg.Provider, err)
	}
	if res.StatusCode != http.StatusOK {
		return captcha.Verdict{}, fmt.Errorf("captcha %s answered HTTP %d", s.cfg.Provider, res.StatusCode)
	}
	if len(body) > maxResponseBytes {
		return captcha.Verdict{}, fmt.Errorf("captcha %s: the answer is larger than %d bytes", s.cfg.Provider, maxResponseBytes)
	}
	var a answer
	if err := json.Unmarshal(body, &a); err != nil || a.Success == nil {
		return captcha.Verdict{}, fmt.Errorf("captcha %s: the answer is not siteverify JSON", s.cfg.Provider)
	}
	codes := cleanCodes(a.ErrorCodes)
	if !*a.Success {
		for _, c := range codes {
			if unavailableCodes[c] {
				return captcha.Verdict{}, fmt.Errorf("captcha %s refused our request: %s", s.cfg.Provider, strings.Join(codes, ","))
			}
		}
		if len(codes) == 0 {
			codes = []string{"not-successful"}
		}
		return captcha.Verdict{Reasons: codes}, nil
	}
	return s.judge(a, op), nil
}

// judge checks what a successful answer says the token was solved for.
func (s *SiteVerify) judge(a answer, op captcha.Operation) captcha.Verdict {
	var reasons []string
	if len(s.cfg.Hostnames) > 0 && !slices.Contains(s.cfg.Hostnames, strings.ToLower(a.Hostname)) {
		reasons = append(reasons, "hostname-mismatch")
	}
	if s.cfg.CheckAction && a.Action != "" && a.Action != string(op) {
		reasons = append(reasons, "action-mismatch")
	}
	if s.cfg.MinScore > 0 && a.Score != nil && *a.Score < s.cfg.MinScore {
		reasons = append(reasons, "score-too-low:"+strconv.FormatFloat(*a.Score, 'f', 2, 64))
	}
	return captcha.Verdict{OK: len(reasons) == 0, Reasons: reasons}
}

// cleanCodes keeps the error-codes fit for a log line: a few, short,
// printable.
func cleanCodes(codes []string) []string {
	var out []string
	for _, c := range codes {
		if len(out) == 5 {
			break
		}
		c = strings.Map(func(r rune) rune {
			if r == '-' || r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') {
				return r
			}
			return -1
		}, c)
		if len(c) > 64 {
			c = c[:64]
		}
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

// Disabled is the verifier when no provider is configured. No operation
// needs a captcha then (the configuration refuses one without a
// provider); were one asked, it would answer unavailable: fail closed.
type Disabled struct{}

var _ captcha.Verifier = Disabled{}

// Verify always fails: there is no provider to ask.
func (Disabled) Verify(context.Context, string, string, captcha.Operation) (captcha.Verdict, error) {
	return captcha.Verdict{}, errors.New("no captcha provider is configured")
}
