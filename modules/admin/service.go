// Package admin is what staff do through the shared schema: search users
// and read the whole picture of one, change a user's state, role, second
// factor and sessions, read the activity log and the staff audit trail,
// read product metrics, and keep the permission rows that the one
// authorization rule reads (Policy). Its model (admin.go) and the
// interfaces it consumes (store.go) live here; it reaches other modules'
// data only through those interfaces.
package admin

import (
	"log/slog"

	"github.com/gatehouse/gatehouse/ports"
)

// Service is the staff use cases.
type Service struct {
	users       Users
	sessions    Sessions
	totp        TOTPRemover
	directory   UserDirectory
	audit       AuditTrail
	activities  ports.ActivityLog
	metrics     MetricsStore
	permissions PermissionStore
	callers     ports.CallerSource
	rules       Rules
	tx          ports.TxRunner
	clock       ports.Clock
	log         *slog.Logger
	// operations are the names permission rows may give: the schema's
	// root fields and role-restricted Type.field names.
	operations []string
}

// NewService returns the admin service. rules are the permission rows'
// answer to what a role may do (the Policy); ops the operations the
// schema has. A test passes nil for what its use cases do not reach.
func NewService(users Users, sessions Sessions, totp TOTPRemover, directory UserDirectory, audit AuditTrail,
	activities ports.ActivityLog, metrics MetricsStore, permissions PermissionStore, callers ports.CallerSource,
	rules Rules, tx ports.TxRunner, clock ports.Clock, log *slog.Logger, ops Operations) *Service {
	return &Service{users: users, sessions: sessions, totp: totp, directory: directory, audit: audit,
		activities: activities, metrics: metrics, permissions: permissions, callers: callers, rules: rules,
		tx: tx, clock: clock, log: log, operations: ops}
}

// Operations are the root field names of the schema (queries and
// mutations) and its role-restricted fields of types (Type.field), which
// the app reads from the schema (graph.Operations) and supplies.
type Operations []string
