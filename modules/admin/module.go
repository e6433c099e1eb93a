package admin

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

type params struct {
	fx.In

	Users       ports.UserStore
	Sessions    ports.SessionStore
	Credentials ports.CredentialStore
	Directory   ports.UserDirectory
	Audit       ports.AuditTrail
	Activities  ports.ActivityLog
	Metrics     ports.MetricsStore
	Permissions ports.PermissionStore
	Callers     ports.CallerSource
	Tx          ports.TxRunner
	Clock       ports.Clock
	Log         *slog.Logger
	Operations  Operations
}

func provide(p params) *Service {
	return NewService(Deps{Users: p.Users, Sessions: p.Sessions, Credentials: p.Credentials,
		Directory: p.Directory, Audit: p.Audit, Activities: p.Activities, Metrics: p.Metrics,
		Permissions: p.Permissions, Callers: p.Callers, Tx: p.Tx, Clock: p.Clock, Log: p.Log}, p.Operations)
}

// Module provides the admin service; the app supplies Operations, the
// ports, and the Policy (see NewPolicy) as the ports.Authorizer.
var Module = fx.Module("admin", fx.Provide(provide))
