package accounts_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/accounts/accountstest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

type hooksIn struct {
	fx.In
	Hooks []identity.UserHook `group:"user_hooks"`
}

func TestModuleWiring(t *testing.T) {
	var (
		svc   *accounts.Service
		hooks []identity.UserHook
	)
	app := fxtest.New(t,
		fx.NopLogger,
		accounts.Module,
		fx.Supply(accounts.DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))),
		fx.Provide(
			func() accounts.Store { return accountstest.NewStore() },
			func() accounts.KYCStatuses { return accountstest.NewKYCStatuses() },
			func() accounts.Users { return identitytest.NewUserStore(nil) },
			func() ports.CallerSource { return callers{} },
			func() accounts.Rules { return portsfake.DefaultRules() },
			func() accounts.PortfolioAddresses { return fakeWallet{} },
			func() ports.TxRunner { return portsfake.NewTxRunner() },
			func() ports.Clock { return clock.NewManual(t0) },
			func() ports.ActivityLog { return portsfake.NewActivityLog() },
		),
		fx.Invoke(func(s *accounts.Service, h hooksIn) { svc, hooks = s, h.Hooks }),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc)
	require.Len(t, hooks, 1, "the module adds its hook to identity's user_hooks group")
	require.IsType(t, &accounts.Hook{}, hooks[0])
}
