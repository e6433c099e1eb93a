package otp_test

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestModuleWiring starts the module with fakes, so that a dependency no
// provider satisfies fails here rather than at deployment, and checks
// that the service it builds keeps challenges in the Store it was given.
func TestModuleWiring(t *testing.T) {
	cfg := otp.DefaultConfig()
	cfg.HMACKey = testKey
	store := otptest.NewStore()
	var svc *otp.Service
	app := fxtest.New(t,
		fx.NopLogger,
		otp.Module,
		fx.Supply(cfg, slog.New(slog.NewTextHandler(io.Discard, nil))),
		fx.Provide(
			func() otp.Store { return store },
			func() ports.TxRunner { return portsfake.NewTxRunner() },
			func() ports.Outbox { return portsfake.NewOutbox(nil, nil) },
			func() ports.Clock { return clock.NewManual(t0) },
			func() ports.ActivityLog { return portsfake.NewActivityLog() },
		),
		fx.Invoke(func(s *otp.Service) { svc = s }),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc)
	ch, err := svc.Start(context.Background(), otp.StartRequest{Purpose: otp.PurposeSignup, To: phone})
	require.NoError(t, err)
	all := store.All()
	require.Len(t, all, 1)
	require.Equal(t, ch.ID, all[0].ID)
}
