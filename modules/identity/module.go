package identity

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

type params struct {
	fx.In

	Config      Config
	Users       ports.UserStore
	Credentials ports.CredentialStore
	Sessions    ports.SessionStore
	Tickets     ports.TicketStore
	Tx          ports.TxRunner
	Hasher      ports.SecretHasher
	Tokens      ports.TokenSigner
	Limiter     ports.RateLimiter
	Activities  ports.ActivityLog
	Clock       ports.Clock
	OTP         Codes
	Terms       TermsCatalog
	Box         ports.SecretBox
	Rules       Rules
	Hooks       []ports.UserHook `group:"user_hooks"`
	Log         *slog.Logger
}

func provide(p params) *Service {
	return NewService(p.Config, Deps{Users: p.Users, Credentials: p.Credentials, Sessions: p.Sessions,
		Tickets: p.Tickets, Tx: p.Tx, Hasher: p.Hasher, Tokens: p.Tokens, Limiter: p.Limiter,
		Activities: p.Activities, Clock: p.Clock, OTP: p.OTP, Terms: p.Terms, Box: p.Box,
		Rules: p.Rules, Hooks: p.Hooks, Log: p.Log})
}

// Module provides the identity service; the app supplies Config and ports.
var Module = fx.Module("identity", fx.Provide(provide))
