package metrics

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse/gatehouse/modules/captcha"
)

// CaptchaVerifier decorates a captcha.Verifier: every question to the
// provider moves gatehouse_captcha_verifications_total{operation,result},
// result passed, refused or unavailable. Tokens refused before the
// provider is asked (missing, malformed) are not questions and do not
// count here; their answers are counted with the operation's errors.
type CaptchaVerifier struct {
	captcha.Verifier
	checks *prometheus.CounterVec
}

// NewCaptchaVerifier wraps next and registers its counter on reg.
func NewCaptchaVerifier(next captcha.Verifier, reg prometheus.Registerer) *CaptchaVerifier {
	v := &CaptchaVerifier{Verifier: next, checks: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "gatehouse_captcha_verifications_total",
		Help: "Captcha tokens checked with the provider, by operation and result (unavailable: the provider did not answer usably).",
	}, []string{"operation", "result"})}
	reg.MustRegister(v.checks)
	for _, op := range captcha.Operations() {
		for _, r := range []string{"passed", "refused", "unavailable"} {
			v.checks.WithLabelValues(string(op), r)
		}
	}
	return v
}

// Verify asks the provider and counts the answer.
func (v *CaptchaVerifier) Verify(ctx context.Context, token, remoteIP string, op captcha.Operation) (captcha.Verdict, error) {
	verdict, err := v.Verifier.Verify(ctx, token, remoteIP, op)
	result := "passed"
	switch {
	case err != nil:
		result = "unavailable"
	case !verdict.OK:
		result = "refused"
	}
	v.checks.WithLabelValues(string(op), result).Inc()
	return verdict, err
}
