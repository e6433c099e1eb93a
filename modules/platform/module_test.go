package platform_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/modules/platform/platformtest"
	"github.com/gatehouse/gatehouse/ports"
)

func TestModuleWiring(t *testing.T) {
	var svc *platform.Service
	app := fxtest.New(t,
		fx.NopLogger,
		platform.Module,
		fx.Supply(platform.Config{CacheTTL: cacheTTL}),
		fx.Provide(
			func() platform.Store { return platformtest.NewStore() },
			func() ports.Clock { return clock.NewManual(t0) },
		),
		fx.Invoke(func(s *platform.Service) { svc = s }),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc)
}
