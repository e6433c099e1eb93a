package levelrules

import (
	"log/slog"

	"go.uber.org/fx"
)

// deps are what the runner needs besides the service.
type deps struct {
	fx.In

	Service   *Service
	Log       *slog.Logger `optional:"true"`
	Lifecycle fx.Lifecycle
}

func provideRunner(d deps) *Runner {
	r := NewRunner(d.Service, d.Log)
	d.Lifecycle.Append(fx.Hook{OnStart: r.Start, OnStop: r.Stop})
	return r
}

// Module provides the level rules' service and the runner of their
// recompute jobs, which runs from the app's start to its stop once
// something asks for it (the serving app does; one-shot commands do not).
var Module = fx.Module("levelrules", fx.Provide(NewService, provideRunner))
