package apikeys_test

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// The module starts with every interface of store.go bound (here to the
// fakes), so a provider the app forgets fails here, not in a deployment;
// and what it built signs and checks a key.
func TestModuleWiring(t *testing.T) {
	e := newEnv(t)
	var svc apikeys.Services
	var auth *apikeys.Authenticator
	app := fxtest.New(t,
		fx.NopLogger,
		apikeys.Module,
		fx.Supply(e.cfg, slog.New(slog.DiscardHandler)),
		fx.Provide(
			func() apikeys.Keys { return e.store },
			func() apikeys.Nonces { return e.store },
			func() apikeys.SecondFactor { return e.tfa },
			func() apikeys.Sealer { return portsfake.NewSecretBox() },
			func() ports.CallerSource { return callers{} },
			func() ports.RateLimiter { return portsfake.NewRateLimiter(e.clock) },
			func() ports.ActivityLog { return e.acts },
			func() ports.Clock { return e.clock },
		),
		fx.Invoke(func(s apikeys.Services, a *apikeys.Authenticator) { svc, auth = s, a }),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc.Manage)

	c, err := svc.Manage.Create(e.as(e.user), []string{"read"}, goodCode)
	require.NoError(t, err)
	e.auth = auth
	owner, _, err := e.call(c, c.Secret, e.nonce(0))
	require.NoError(t, err)
	require.Equal(t, e.user, owner)
}
