package admin

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// Each service is built from what it uses; the app binds each interface
// to its provider.

type staffDeps struct {
	fx.In

	Users      Users
	Sessions   Sessions
	TOTP       TOTPRemover
	Audit      ports.AuditTrail
	Activities ports.ActivityLog
	Tx         ports.TxRunner
	Clock      ports.Clock
	Callers    ports.CallerSource
	Policy     *Policy
	Cache      SessionCache
}

func provideStaff(d staffDeps) *StaffActions {
	return NewStaffActions(d.Users, d.Sessions, d.TOTP, d.Audit, d.Activities, d.Tx, d.Clock, d.Callers, d.Policy,
		d.Cache)
}

type permissionsDeps struct {
	fx.In

	Store      PermissionStore
	Audit      ports.AuditTrail
	Tx         ports.TxRunner
	Clock      ports.Clock
	Operations Operations
	Callers    ports.CallerSource
	Policy     *Policy
}

func providePermissions(d permissionsDeps) *Permissions {
	return NewPermissions(d.Store, d.Audit, d.Tx, d.Clock, d.Operations, d.Callers, d.Policy)
}

type directoryDeps struct {
	fx.In

	Directory  UserDirectory
	Users      Users
	Sessions   Sessions
	Activities RecentActivities
	Clock      ports.Clock
	Callers    ports.CallerSource
	Policy     *Policy
}

func provideDirectory(d directoryDeps) *Directory {
	return NewDirectory(d.Directory, d.Users, d.Sessions, d.Activities, d.Clock, d.Callers, d.Policy)
}

type auditReadsDeps struct {
	fx.In

	Audit   AuditSearch
	Users   Users
	Callers ports.CallerSource
	Policy  *Policy
}

func provideAuditReads(d auditReadsDeps) *AuditReads {
	return NewAuditReads(d.Audit, d.Users, d.Callers, d.Policy)
}

type metricsDeps struct {
	fx.In

	Store   MetricsStore
	Callers ports.CallerSource
	Policy  *Policy
}

func provideMetrics(d metricsDeps) *Metrics { return NewMetrics(d.Store, d.Callers, d.Policy) }

type services struct {
	fx.In

	Staff       *StaffActions
	Permissions *Permissions
	Directory   *Directory
	Audit       *AuditReads
	Metrics     *Metrics
}

func provideServices(s services) Services {
	return Services{Staff: s.Staff, Permissions: s.Permissions, Directory: s.Directory, Audit: s.Audit,
		Metrics: s.Metrics}
}

type policyDeps struct {
	fx.In

	LC         fx.Lifecycle
	Store      PermissionStore
	Watcher    PermissionWatcher
	Operations Operations
	Log        *slog.Logger
}

// providePolicy builds the Policy, loaded on start (an instance whose
// rules cannot be read does not start) and reloading until stop.
func providePolicy(d policyDeps) *Policy {
	pol := NewPolicy(d.Store, d.Watcher, d.Operations, d.Log)
	d.LC.Append(fx.Hook{OnStart: pol.Start, OnStop: pol.Stop})
	return pol
}

// Module provides the admin services (each alone, and together as
// Services for the resolvers) and the Policy; the app supplies Operations
// and binds the stores to admin's interfaces (Users, Sessions,
// TOTPRemover, RecentActivities, UserDirectory, AuditSearch, MetricsStore, PermissionStore,
// PermissionWatcher) and ports.AuditTrail, and binds the Policy to what
// other modules and graph declare they ask of the rows (their Rules,
// graph.Authorizer).
var Module = fx.Module("admin", fx.Provide(provideStaff, providePermissions, provideDirectory,
	provideAuditReads, provideMetrics, provideServices, providePolicy))
