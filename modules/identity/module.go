package identity

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

// params are what the app provides the identity module; it binds each
// store interface to its provider (adapters/postgres's UserStore is Users,
// UserChanges and Devices; its CredentialStore is PINs, Passwords, TOTPs
// and the CredentialEraser).
type params struct {
	fx.In

	Config      Config
	Users       Users
	UserChanges UserChanges
	Devices     Devices
	PINs        PINs
	Passwords   Passwords
	TOTPs       TOTPs
	Erasure     CredentialEraser
	Sessions    Sessions
	Tickets     Tickets
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
	Hooks       []UserHook `group:"user_hooks"`
	Log         *slog.Logger
}

func provide(p params) *Service {
	stores := Stores{Users: p.Users, UserChanges: p.UserChanges, Devices: p.Devices, PINs: p.PINs,
		Passwords: p.Passwords, TOTPs: p.TOTPs, Erasure: p.Erasure, Sessions: p.Sessions, Tickets: p.Tickets}
	return NewService(p.Config, stores, p.Tx, p.Hasher, p.Tokens, p.Limiter, p.Activities, p.Clock, p.OTP,
		p.Terms, p.Box, p.Rules, p.Hooks, p.Log)
}

// Module provides the identity service; the app supplies Config and ports.
var Module = fx.Module("identity", fx.Provide(provide))
