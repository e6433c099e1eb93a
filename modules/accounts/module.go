package accounts

import (
	"log/slog"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/ports"
)

type params struct {
	fx.In

	Config     Config
	Accounts   ports.AccountStore
	KYC        ports.KYCStore
	Users      ports.UserStore
	Callers    ports.CallerSource
	Wallet     ports.WalletAddressProvider
	Tx         ports.TxRunner
	Clock      ports.Clock
	Activities ports.ActivityLog
	Log        *slog.Logger
}

func provide(p params) *Service {
	return NewService(p.Config, Deps{Accounts: p.Accounts, KYC: p.KYC, Users: p.Users, Callers: p.Callers,
		Wallet: p.Wallet, Tx: p.Tx, Clock: p.Clock, Activities: p.Activities, Log: p.Log})
}

// Module provides the accounts service and the user hook that opens an
// account when sign-up completes; the app supplies Config and the ports.
var Module = fx.Module("accounts", fx.Provide(provide,
	fx.Annotate(NewHook, fx.As(new(ports.UserHook)), fx.ResultTags(`group:"user_hooks"`))))
