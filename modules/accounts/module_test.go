package accounts

import (
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

type hooksIn struct {
	fx.In
	Hooks []ports.UserHook `group:"user_hooks"`
}

func TestModuleWiring(t *testing.T) {
	var (
		svc   *Service
		hooks []ports.UserHook
	)
	app := fxtest.New(t,
		fx.NopLogger,
		Module,
		fx.Supply(DefaultConfig(), slog.New(slog.NewTextHandler(io.Discard, nil))),
		fx.Provide(
			func() ports.AccountStore { return portsfake.NewAccountStore() },
			func() ports.KYCStore { return portsfake.NewKYCStore() },
			func() ports.UserStore { return portsfake.NewUserStore(nil) },
			func() ports.CallerSource { return callers{} },
			func() ports.WalletAddressProvider { return fakeWallet{} },
			func() ports.TxRunner { return portsfake.NewTxRunner() },
			func() ports.Clock { return clock.NewManual(t0) },
			func() ports.ActivityLog { return portsfake.NewActivityLog() },
		),
		fx.Invoke(func(s *Service, h hooksIn) { svc, hooks = s, h.Hooks }),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc)
	require.Len(t, hooks, 1, "the module adds its hook to identity's user_hooks group")
	require.IsType(t, &Hook{}, hooks[0])
}
