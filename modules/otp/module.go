package otp

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// deps are what the OTP service is built from; the app binds each
// interface to its provider.
type deps struct {
	fx.In

	Config     Config
	Store      Store
	Tx         ports.TxRunner
	Outbox     ports.Outbox
	Clock      ports.Clock
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provide(d deps) *Service {
	return NewService(d.Config, d.Store, d.Tx, d.Outbox, d.Clock, d.Activities, d.Log)
}

// Module provides the OTP service; the app supplies Config and the ports.
var Module = fx.Module("otp", fx.Provide(provide))
