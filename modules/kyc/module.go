package kyc

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

type params struct {
	fx.In

	Config     Config
	Store      ports.KYCStore
	Users      ports.UserStore
	Callers    ports.CallerSource
	Tx         ports.TxRunner
	Clock      ports.Clock
	OTP        Codes
	Blobs      ports.BlobStore
	Intents    ports.BlobIntents `optional:"true"`
	SMS        ports.SMSSender
	Selfies    ports.SelfieVerifier
	Limiter    ports.RateLimiter
	Activities ports.ActivityLog
	Audit      ports.AuditTrail
	Reads      UserReads
	Rules      Rules
	Log        *slog.Logger
}

func provide(p params) *Service {
	return NewService(p.Config, Deps{Store: p.Store, Users: p.Users, Callers: p.Callers, Tx: p.Tx,
		Clock: p.Clock, OTP: p.OTP, Blobs: p.Blobs, Intents: p.Intents, SMS: p.SMS, Selfies: p.Selfies, Limiter: p.Limiter,
		Activities: p.Activities, Audit: p.Audit, Reads: p.Reads, Rules: p.Rules, Log: p.Log})
}

// Module provides the KYC service and its user hook (in the "user_hooks"
// group identity calls); the app supplies Config and the ports.
var Module = fx.Module("kyc",
	fx.Provide(provide,
		fx.Annotate(NewHook, fx.As(new(ports.UserHook)), fx.ResultTags(`group:"user_hooks"`))))
