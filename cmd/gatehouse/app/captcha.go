package app

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.uber.org/fx"

	adapter "github.com/gatehouse/gatehouse/adapters/captcha"
	"github.com/gatehouse/gatehouse/modules/captcha"
)

// CaptchaSettings are the GATEHOUSE_CAPTCHA_* variables.
type CaptchaSettings struct {
	// Provider is empty when no captcha is configured (none).
	Provider adapter.Config
	// Operations need a captcha (GATEHOUSE_CAPTCHA_OPERATIONS).
	Operations map[captcha.Operation]bool
	// SignInAfter and FailureWindow: see captcha.Config.
	SignInAfter   int
	FailureWindow time.Duration
}

// readCaptcha reads the captcha's provider and the operations that need
// it. Operations without a provider are refused: each would answer
// UNAVAILABLE forever.
func (c *Config) readCaptcha(r *reader) {
	provider := r.oneOf("GATEHOUSE_CAPTCHA_PROVIDER", "none", "none", string(adapter.Turnstile),
		string(adapter.HCaptcha), string(adapter.ReCAPTCHA))
	s := CaptchaSettings{
		SignInAfter:   r.intIn("GATEHOUSE_CAPTCHA_SIGNIN_AFTER", 3, 0, 1000),
		FailureWindow: r.duration("GATEHOUSE_CAPTCHA_FAILURE_WINDOW", 15*time.Minute, time.Minute, time.Hour),
	}
	defOps := ""
	if provider != "none" {
		defOps = "all"
	}
	ops, err := captcha.ParseOperations(r.str("GATEHOUSE_CAPTCHA_OPERATIONS", defOps))
	if err != nil {
		r.fail("GATEHOUSE_CAPTCHA_OPERATIONS", err.Error())
	}
	s.Operations = ops
	if provider == "none" {
		if len(ops) > 0 {
			r.fail("GATEHOUSE_CAPTCHA_OPERATIONS", "needs GATEHOUSE_CAPTCHA_PROVIDER (turnstile, hcaptcha or recaptcha)")
		}
		c.Captcha = s
		return
	}
	s.Provider = adapter.Config{
		Provider:    adapter.Provider(provider),
		Secret:      r.str("GATEHOUSE_CAPTCHA_SECRET", ""),
		VerifyURL:   r.str("GATEHOUSE_CAPTCHA_VERIFY_URL", ""),
		CheckAction: r.boolean("GATEHOUSE_CAPTCHA_CHECK_ACTION", false),
		Timeout:     r.duration("GATEHOUSE_CAPTCHA_TIMEOUT", adapter.DefaultTimeout, 500*time.Millisecond, 30*time.Second),
	}
	for _, h := range r.list("GATEHOUSE_CAPTCHA_HOSTNAMES") {
		s.Provider.Hostnames = append(s.Provider.Hostnames, strings.ToLower(h))
	}
	if raw := r.str("GATEHOUSE_CAPTCHA_MIN_SCORE", ""); raw != "" {
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || v < 0 || v > 1 {
			r.fail("GATEHOUSE_CAPTCHA_MIN_SCORE", fmt.Sprintf("must be a number from 0 to 1, got %q", raw))
		} else {
			s.Provider.MinScore = v
		}
	}
	switch {
	case c.Prod() && s.Provider.VerifyURL != "" && !strings.HasPrefix(s.Provider.VerifyURL, "https://"):
		r.fail("GATEHOUSE_CAPTCHA_VERIFY_URL", "must be https when GATEHOUSE_ENV=prod: the secret is posted to it")
	case s.Provider.Secret == "":
		r.fail("GATEHOUSE_CAPTCHA_SECRET", "is required with GATEHOUSE_CAPTCHA_PROVIDER="+provider)
	default:
		if err := s.Provider.Validate(); err != nil {
			// The adapter's words never hold the secret.
			r.fail("GATEHOUSE_CAPTCHA_PROVIDER", "settings are invalid: "+err.Error())
		}
	}
	c.Captcha = s
}

// captchaModule gives the captcha gate its settings and the provider
// (the disabled one without any).
var captchaModule = fx.Module("captcha-config",
	fx.Provide(
		func(cfg Config) captcha.Config {
			c := captcha.DefaultConfig()
			c.Operations, c.SignInAfter, c.FailureWindow = cfg.Captcha.Operations, cfg.Captcha.SignInAfter, cfg.Captcha.FailureWindow
			if c.Operations == nil {
				c.Operations = map[captcha.Operation]bool{}
			}
			if cfg.Captcha.Provider.Timeout > 0 {
				// The gate's bound leaves the adapter's its own to hit first.
				c.Timeout = cfg.Captcha.Provider.Timeout + time.Second
			}
			return c
		},
		func(cfg Config) (captcha.Verifier, error) {
			if cfg.Captcha.Provider.Provider == "" {
				return adapter.Disabled{}, nil
			}
			return adapter.New(cfg.Captcha.Provider, &http.Client{})
		},
	),
)
