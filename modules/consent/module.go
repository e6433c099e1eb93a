package consent

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// Module provides the pages and the app consents. The OAuth2 server's side
// (Challenges, Grants) is nil when no OAuth2 server is configured: then
// there are no pages (a nil *Pages: the app mounts no routes, so they are
// 404) and Apps lists nothing.
var Module = fx.Module("consent",
	fx.Provide(providePages, provideApps),
)

type pagesDeps struct {
	fx.In

	Config      Config
	Server      Challenges `optional:"true"`
	SignIn      SignIn
	Signup      Signup
	Codes       Codes
	HandOff     HandOff
	Users       Users
	Gate        Gate
	Maintenance Maintenance
	Limiter     ports.RateLimiter
	Activities  ports.ActivityLog
	Clock       ports.Clock
	Log         *slog.Logger
}

func providePages(d pagesDeps) (*Pages, error) {
	if d.Server == nil {
		return nil, nil
	}
	return NewPages(d.Config, d.Server, d.SignIn, d.Signup, d.Codes, d.HandOff, d.Users, d.Gate, d.Maintenance, d.Limiter,
		d.Activities, d.Clock, d.Log)
}

type appsDeps struct {
	fx.In

	Grants     Grants `optional:"true"`
	Viewer     Viewer
	Activities ports.ActivityLog
	Clock      ports.Clock
	Log        *slog.Logger
}

func provideApps(d appsDeps) *Apps {
	return NewApps(d.Grants, d.Viewer, d.Activities, d.Clock, d.Log)
}
