package partners_test

import (
	"io"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// The module starts with every interface of store.go bound (here to the
// fakes), so a provider the app forgets fails here, not in a deployment.
func TestModuleWiring(t *testing.T) {
	e := newEnv(t)
	var manage *partners.Manage
	var tokens *partners.Tokens
	app := fxtest.New(t,
		fx.NopLogger,
		partners.Module,
		fx.Supply(e.cfg, slog.New(slog.NewTextHandler(io.Discard, nil))),
		fx.Provide(
			func() partners.Apps { return e.apps },
			func() partners.Rules { return e.rules },
			func() ports.CallerSource { return callers{} },
			func() ports.TokenSigner { return e.tokens },
			func() ports.RateLimiter { return portsfake.NewRateLimiter(e.clock) },
			func() ports.Clock { return e.clock },
			func() ports.ActivityLog { return e.activities },
		),
		fx.Populate(&manage, &tokens),
	)
	app.RequireStart().RequireStop()
	c, err := manage.Create(as(ports.RoleAdmin), partners.CreateInput{Name: "A", Scopes: []string{partners.ScopeUsersRead}})
	require.NoError(t, err)
	_, err = tokens.Issue(from("198.51.100.9"), partners.TokenRequest{ClientID: c.App.ClientID(), ClientSecret: c.Secret})
	require.NoError(t, err)
}
