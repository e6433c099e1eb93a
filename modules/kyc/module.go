package kyc

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// params are what the app provides the KYC module; it binds each
// interface to its provider (adapters/postgres's KYCStore is every store
// and the UserReads).
type params struct {
	fx.In

	Config      Config
	Profiles    Profiles
	Documents   Documents
	Submissions Submissions
	Labels      Labels
	Phones      Phones
	Users       Users
	Callers     ports.CallerSource
	Tx          ports.TxRunner
	Clock       ports.Clock
	OTP         Codes
	Blobs       ports.BlobStore
	Intents     ports.BlobIntents `optional:"true"`
	SMS         ports.SMSSender
	Limiter     ports.RateLimiter
	Activities  ports.ActivityLog
	Audit       ports.AuditTrail
	Reads       UserReads
	Rules       Rules
	Log         *slog.Logger
}

func provide(p params) *Service {
	stores := Stores{Profiles: p.Profiles, Documents: p.Documents, Submissions: p.Submissions, Labels: p.Labels,
		Phones: p.Phones}
	return NewService(p.Config, stores, p.Users, p.Callers, p.Tx, p.Clock, p.OTP, p.Blobs, p.Intents, p.SMS,
		p.Limiter, p.Activities, p.Audit, p.Reads, p.Rules, p.Log)
}

// Module provides the KYC service and its user hook (in the "user_hooks"
// group identity calls); the app supplies Config and the ports.
var Module = fx.Module("kyc",
	fx.Provide(provide,
		fx.Annotate(NewHook, fx.As(new(identity.UserHook)), fx.ResultTags(`group:"user_hooks"`))))
