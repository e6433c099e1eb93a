package captcha

import (
	"log/slog"

	"go.uber.org/fx"
)

// deps are what the gate is built from; the app binds Verifier to the
// configured provider and Failures to its store.
type deps struct {
	fx.In

	Config   Config
	Verifier Verifier
	Failures Failures
	Log      *slog.Logger
}

func provideGate(d deps) *Gate { return NewGate(d.Config, d.Verifier, d.Failures, d.Log) }

// Module provides the gate the operations that may need a captcha pass.
var Module = fx.Module("captcha", fx.Provide(provideGate))
