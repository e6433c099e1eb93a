package pinreset_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// The module starts with every interface of store.go bound (here to the
// fakes), so a provider the app forgets fails here, not in a deployment.
func TestModuleWiring(t *testing.T) {
	e := newPinResetEnv(t)
	p := e.parts
	var svc pinreset.Services
	app := fxtest.New(t,
		fx.NopLogger,
		pinreset.Module,
		fx.Supply(e.cfg, p.log),
		fx.Provide(
			func() pinreset.Resets { return p.resets },
			func() pinreset.Users { return p.users },
			func() pinreset.Documents { return p.kyc().ResetFiles },
			func() pinreset.PINs { return &pins{} },
			func() pinreset.Codes { return p.codes },
			func() pinreset.Budgets { return p.budgets },
			func() pinreset.SelfieVerifier { return p.selfies },
			func() pinreset.Rules { return p.rules },
			func() ports.CallerSource { return p.callers },
			func() ports.TxRunner { return p.tx },
			func() ports.Clock { return p.clock },
			func() ports.RateLimiter { return p.limiter },
			func() ports.Outbox { return portsfake.NewOutbox(p.sms, nil) },
			func() ports.ActivityLog { return p.activities },
			func() ports.AuditTrail { return p.audit },
		),
		fx.Invoke(func(s pinreset.Services) { svc = s }),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc.Steps)
	require.NotNil(t, svc.Review)

	// The services fx built run a reset on those fakes.
	e.svc = svc
	e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	p2, err := svc.Steps.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, pinreset.DocumentRequired, p2.Status)
	_, err = svc.Steps.Status(e.ctx(), "ghpr_unknown")
	errtest.Code(t, err, ports.CodeNotFound)
	_, err = svc.Review.List(e.ctx(), "", 10, "")
	errtest.Code(t, err, ports.CodeUnauthenticated)
	staff, _ := e.as(ports.RoleCompliance)
	page, err := svc.Review.List(staff, pinreset.DocumentRequired, 10, "")
	require.NoError(t, err)
	require.Len(t, page.Items, 1, "the reset the steps opened")
}
