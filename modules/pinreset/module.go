package pinreset

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// Each service is built from what it uses; the app binds each interface
// to its provider (Resets and Users to adapters/postgres, Documents to
// kyc's ResetFiles, PINs to identity's PIN service, Codes to otp's, Rules
// to admin's policy).

type stepsDeps struct {
	fx.In

	Config     Config
	Resets     Resets
	Users      Users
	Documents  Documents
	PINs       PINs
	Codes      Codes
	Budgets    Budgets
	Selfies    SelfieVerifier
	Tx         ports.TxRunner
	Clock      ports.Clock
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provideSteps(d stepsDeps) *Steps {
	return NewSteps(d.Config, d.Resets, d.Users, d.Documents, d.PINs, d.Codes, d.Budgets, d.Selfies, d.Tx, d.Clock,
		d.Limiter, d.Activities, d.Log)
}

type reviewDeps struct {
	fx.In

	Resets     Resets
	Users      Users
	Callers    ports.CallerSource
	Rules      Rules
	Tx         ports.TxRunner
	Clock      ports.Clock
	Outbox     ports.Outbox
	Activities ports.ActivityLog
	Audit      ports.AuditTrail
	Log        *slog.Logger
}

func provideReview(d reviewDeps) *Review {
	return NewReview(d.Resets, d.Users, d.Callers, d.Rules, d.Tx, d.Clock, d.Outbox, d.Activities, d.Audit, d.Log)
}

func provideServices(s *Steps, r *Review) Services { return Services{Steps: s, Review: r} }

// Module provides the PIN reset's services (each alone, and together as
// Services for the resolvers); the app supplies Config and the interfaces
// of store.go.
var Module = fx.Module("pinreset", fx.Provide(provideSteps, provideReview, provideServices))
