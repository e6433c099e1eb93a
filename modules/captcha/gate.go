package captcha

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/ports"
)

// Reasons of a refused captcha (extensions.reason under VALIDATION_FAILED,
// with the field captchaToken).
const (
	// ReasonRequired: the operation needs a captcha and none was sent.
	ReasonRequired = "CAPTCHA_REQUIRED"
	// ReasonInvalid: the provider (or the shape of the token) refused it.
	ReasonInvalid = "CAPTCHA_INVALID"
)

// Field is the input field (or argument) that carries the token.
const Field = "captchaToken"

// Gate decides whether an operation may run as far as the captcha is
// concerned.
type Gate struct {
	cfg      Config
	verifier Verifier
	failures Failures
	log      *slog.Logger
}

// NewGate returns the gate of cfg.
func NewGate(cfg Config, verifier Verifier, failures Failures, log *slog.Logger) *Gate {
	return &Gate{cfg: cfg, verifier: verifier, failures: failures, log: log}
}

// Required reports whether op is configured to need a captcha at all (for
// sign-in: at least after some failures).
func (g *Gate) Required(op Operation) bool { return g.cfg.Operations[op] }

// Check lets op run or refuses it. identifier is who a sign-in is for
// (the email or phone as typed); it is ignored by the other operations.
// An operation not configured passes without a word to the provider.
// The provider is not reachable or answers nonsense: UNAVAILABLE (fail
// closed: a captcha that lets everyone through while its provider is
// down would be switched off by whoever takes the provider down).
// Errors: VALIDATION_FAILED (field captchaToken, reason CAPTCHA_REQUIRED
// or CAPTCHA_INVALID), UNAVAILABLE.
func (g *Gate) Check(ctx context.Context, op Operation, token, identifier string) error {
	if !g.cfg.Operations[op] {
		return nil
	}
	if op == OpSignIn && g.cfg.SignInAfter > 0 {
		n, err := g.failures.RecentFailures(ctx, failureKeys(ctx, identifier), g.cfg.FailureWindow)
		if err != nil {
			return ports.Unavailable(err)
		}
		if n < g.cfg.SignInAfter {
			return nil
		}
	}
	if token == "" {
		return refusal(ReasonRequired, "is required")
	}
	if len(token) > MaxTokenBytes || !utf8.ValidString(token) || strings.ContainsAny(token, "\x00\r\n") {
		return refusal(ReasonInvalid, "is not a valid captcha token")
	}
	vctx, cancel := context.WithTimeout(ctx, g.cfg.Timeout)
	defer cancel()
	v, err := g.verifier.Verify(vctx, token, ports.RequestMetaFrom(ctx).IP, op)
	if err != nil {
		g.log.WarnContext(ctx, "captcha provider unavailable", "operation", string(op), "err", err)
		return ports.Unavailable(err)
	}
	if !v.OK {
		g.log.InfoContext(ctx, "captcha refused", "operation", string(op), "reasons", strings.Join(v.Reasons, ","))
		return refusal(ReasonInvalid, "was not accepted, solve the captcha again")
	}
	return nil
}

// SignInFailed counts a failed sign-in against identifier and the
// client, so that their next sign-ins need a captcha once there are
// Config.SignInAfter of them. Counted whether or not the account exists,
// so that being asked for a captcha tells nothing about it. Best effort,
// detached from the client's going away.
func (g *Gate) SignInFailed(ctx context.Context, identifier string) {
	if !g.cfg.Operations[OpSignIn] || g.cfg.SignInAfter == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), g.cfg.Timeout)
	defer cancel()
	if err := g.failures.AddFailure(ctx, failureKeys(ctx, identifier), g.cfg.FailureWindow); err != nil {
		g.log.WarnContext(ctx, "counting a failed sign-in for the captcha", "err", err)
	}
}

// failureKeys are the counts a sign-in for identifier from this client
// goes to: the identifier's (hashed: the table holds no addresses or
// numbers) and the client's.
func failureKeys(ctx context.Context, identifier string) []string {
	return []string{"captcha.signin_fail:id:" + identifierKey(identifier),
		"captcha.signin_fail:ip:" + ports.ClientKey(ports.RequestMetaFrom(ctx).IP)}
}

// identifierKey spells an identifier one way (so "+44 7911 123456" and
// "+447911123456", or two cases of one address, count together) and
// hashes it.
func identifierKey(identifier string) string {
	s := strings.TrimSpace(identifier)
	if strings.Contains(s, "@") {
		if e, err := contact.NormalizeEmail("username", s); err == nil {
			s = e
		}
	} else if p, err := contact.NormalizePhone("username", s); err == nil {
		s = p
	}
	sum := sha256.Sum256([]byte(strings.ToLower(s)))
	return hex.EncodeToString(sum[:16])
}

// refusal is VALIDATION_FAILED on the captchaToken field with reason.
func refusal(reason, problem string) error {
	return &ports.Error{Code: ports.CodeValidationFailed, Reason: reason,
		Message: "the captcha is missing or was not accepted", Fields: map[string]string{Field: problem}}
}
