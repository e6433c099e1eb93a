package kyc_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// The module starts with every interface kyc declares bound (here to the
// fakes), so a provider the app forgets fails here, not in a deployment;
// each service it builds is one of Services, and the hook joins identity's
// group.
func TestModuleWiring(t *testing.T) {
	e := newEnv(t)
	p := e.parts
	var (
		svc   kyc.Services
		hooks []identity.UserHook
	)
	app := fxtest.New(t,
		fx.NopLogger,
		kyc.Module,
		fx.Supply(e.cfg, p.log),
		fx.Provide(
			func() kyc.Profiles { return p.stores.Profiles },
			func() kyc.Documents { return p.stores.Documents },
			func() kyc.Submissions { return p.stores.Submissions },
			func() kyc.Labels { return p.stores.Labels },
			func() kyc.Phones { return p.stores.Phones },
			func() kyc.Users { return p.users },
			func() kyc.UserReads { return p.reads },
			func() kyc.Codes { return p.codes },
			func() kyc.Rules { return p.rules },
			func() ports.CallerSource { return p.callers },
			func() ports.TxRunner { return p.tx },
			func() ports.Clock { return p.clock },
			func() ports.BlobStore { return p.blobs },
			func() ports.Outbox { return portsfake.NewOutbox(p.sms, nil) },
			func() ports.RateLimiter { return p.limiter },
			func() ports.ActivityLog { return p.activities },
			func() ports.AuditTrail { return p.audit },
		),
		fx.Invoke(func(s kyc.Services, h struct {
			fx.In
			Hooks []identity.UserHook `group:"user_hooks"`
		}) {
			svc, hooks = s, h.Hooks
		}),
	)
	app.RequireStart().RequireStop()
	require.NotNil(t, svc.PersonalData)
	require.NotNil(t, svc.Phones)
	require.NotNil(t, svc.Labels)
	require.NotNil(t, svc.Uploads)
	require.NotNil(t, svc.Files)
	require.NotNil(t, svc.Review)
	require.NotNil(t, svc.ResetFiles)
	require.NotNil(t, svc.Loaders)
	require.Len(t, hooks, 1)

	// The services fx built run a submission and its review on the fakes.
	e.svc = svc
	u := e.user(ports.RoleMember, "")
	sub := e.submitted(u)
	_, err := svc.Review.ApproveSubmission(e.as(u), sub.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = svc.Review.ApproveSubmission(e.as(e.user(ports.RoleCompliance, "")), sub.ID)
	require.NoError(t, err)
	st, err := svc.Review.KYCStatusOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusApproved, st.Status)
	_, err = svc.Review.KYCStatusOf(context.Background(), u.ID)
	errtest.Code(t, err, ports.CodeUnauthenticated)
}
