package federation_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// The module starts with every interface of store.go bound (here to the
// fakes), so a provider the app forgets fails here, not in a deployment;
// and what it built signs someone up.
func TestModuleWiring(t *testing.T) {
	e := newEnv(t)
	var svc federation.Services
	app := fxtest.New(t,
		fx.NopLogger,
		federation.Module,
		fx.Supply(e.cfg, slog.New(slog.DiscardHandler)),
		fx.Provide(
			func() federation.Identities { return e.store },
			func() federation.States { return e.store },
			func() federation.Users { return e.users },
			func() federation.Accounts { return e.accts },
			func() federation.Relying { return e.relying },
			func() federation.Rules { return e.rules },
			func() ports.CallerSource { return callers{} },
			func() ports.TxRunner { return portsfake.NewTxRunner() },
			func() ports.RateLimiter { return portsfake.NewRateLimiter(e.clock) },
			func() ports.ActivityLog { return e.acts },
			func() ports.Clock { return e.clock },
		),
		fx.Invoke(func(s federation.Services) { svc = s }),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc.SignIn)
	require.NotNil(t, svc.Links)
	e.signIn = svc.SignIn
	code, state := e.authorize(context.Background(), false,
		federation.Claims{Subject: "s", Email: "s@example.com", EmailVerified: true})
	res, err := e.complete(code, state, true)
	require.NoError(t, err)
	require.Equal(t, identity.SignedIn, res.Status)
}
