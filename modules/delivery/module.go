package delivery

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

type deps struct {
	fx.In

	Config   Config
	Queue    Queue
	Tx       ports.TxRunner
	Box      Sealer
	Renderer Renderer
	SMS      ports.SMSSender
	Email    ports.EmailSender
	Recorder Recorder
	Rules    Rules
	Callers  ports.CallerSource
	Clock    ports.Clock
	Log      *slog.Logger
}

func provide(d deps) *Service {
	return NewService(d.Config, d.Queue, d.Tx, d.Box, d.Renderer, d.SMS, d.Email, d.Recorder, d.Rules, d.Callers,
		d.Clock, d.Log)
}

// Module provides the delivery service (also the app's ports.Outbox); the
// app supplies Config and the interfaces of store.go.
var Module = fx.Module("delivery", fx.Provide(provide))
