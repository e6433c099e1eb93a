package captcha_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/captcha/captchatest"
)

// TestModuleWiring starts the module on fakes: the gate it provides asks
// the verifier it was given.
func TestModuleWiring(t *testing.T) {
	v := &verifier{good: map[string]bool{"good": true}}
	cfg := captcha.DefaultConfig()
	cfg.Operations = map[captcha.Operation]bool{captcha.OpSignUp: true}
	var gate *captcha.Gate
	app := fxtest.New(t,
		fx.NopLogger,
		captcha.Module,
		fx.Supply(cfg, slog.New(slog.DiscardHandler)),
		fx.Provide(
			func() captcha.Verifier { return v },
			func() captcha.Failures { return captchatest.NewFailures(clock{time.Now()}) },
		),
		fx.Populate(&gate),
	)
	app.RequireStart()
	defer app.RequireStop()
	if err := gate.Check(context.Background(), captcha.OpSignUp, "good", ""); err != nil || len(v.calls) != 1 {
		t.Fatalf("the gate did not ask the verifier: %v, %v", err, v.calls)
	}
}
