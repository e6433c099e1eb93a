package metrics_test

import (
	"context"
	"errors"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gatehouse/gatehouse/adapters/metrics"
	"github.com/gatehouse/gatehouse/modules/captcha"
)

type answers map[string]error

func (a answers) Verify(_ context.Context, token, _ string, _ captcha.Operation) (captcha.Verdict, error) {
	err, known := a[token]
	return captcha.Verdict{OK: known && err == nil}, err
}

func TestCaptchaVerifierCountsEachAnswer(t *testing.T) {
	reg := prometheus.NewRegistry()
	v := metrics.NewCaptchaVerifier(answers{"good": nil, "down": errors.New("503")}, reg)
	if got := value(t, reg, "gatehouse_captcha_verifications_total", "operation=signin", "result=unavailable"); got != 0 {
		t.Fatalf("signin/unavailable is not there at zero from the start: %v", got)
	}
	ctx := context.Background()
	for _, tok := range []string{"good", "good", "bad", "down"} {
		_, _ = v.Verify(ctx, tok, "", captcha.OpSignUp)
	}
	for result, want := range map[string]float64{"passed": 2, "refused": 1, "unavailable": 1} {
		if got := value(t, reg, "gatehouse_captcha_verifications_total", "operation=signup", "result="+result); got != want {
			t.Errorf("%s: %v, want %v", result, got, want)
		}
	}
}
