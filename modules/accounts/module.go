package accounts

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// deps are what the accounts service is built from; the app binds each
// interface to its provider.
type deps struct {
	fx.In

	Config     Config
	Store      Store
	Users      Users
	KYC        KYCStatuses
	Wallet     PortfolioAddresses
	Callers    ports.CallerSource
	Rules      Rules
	Tx         ports.TxRunner
	Clock      ports.Clock
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provide(d deps) *Service {
	return NewService(d.Config, d.Store, d.Users, d.KYC, d.Wallet, d.Callers, d.Rules, d.Tx, d.Clock, d.Activities, d.Log)
}

// Module provides the accounts service and the user hook that opens an
// account when sign-up completes; the app supplies Config and the ports.
var Module = fx.Module("accounts", fx.Provide(provide,
	fx.Annotate(NewHook, fx.As(new(identity.UserHook)), fx.ResultTags(`group:"user_hooks"`))))
