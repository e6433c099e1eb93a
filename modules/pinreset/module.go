package pinreset

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// params are what the app provides the module; it binds each interface to
// its provider (Resets and Users to adapters/postgres, Documents to kyc's
// service, PINs to identity's PIN service, Codes to otp's, Rules to admin's policy).
type params struct {
	fx.In

	Config     Config
	Resets     Resets
	Users      Users
	Documents  Documents
	PINs       PINs
	Codes      Codes
	Budgets    Budgets
	Selfies    SelfieVerifier
	Rules      Rules
	Callers    ports.CallerSource
	Tx         ports.TxRunner
	Clock      ports.Clock
	Limiter    ports.RateLimiter
	SMS        ports.SMSSender
	Activities ports.ActivityLog
	Audit      ports.AuditTrail
	Log        *slog.Logger
}

func provide(p params) *Service {
	return NewService(p.Config, p.Resets, p.Users, p.Documents, p.PINs, p.Codes, p.Budgets, p.Selfies, p.Rules,
		p.Callers, p.Tx, p.Clock, p.Limiter, p.SMS, p.Activities, p.Audit, p.Log)
}

// Module provides the PIN reset service; the app supplies Config and the
// interfaces of store.go.
var Module = fx.Module("pinreset", fx.Provide(provide))
