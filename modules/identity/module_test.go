package identity_test

import (
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// recordingHook is a user hook that only remembers what it heard.
type recordingHook struct{ events []identity.UserEvent }

func (h *recordingHook) OnUserEvent(_ context.Context, e identity.UserEvent) error {
	h.events = append(h.events, e)
	return nil
}

// TestModuleWiring starts identity.Module over the fakes bound to the
// interfaces identity declares: every service must be buildable from what
// the app provides, and a hook in the user_hooks group must reach them.
func TestModuleWiring(t *testing.T) {
	creds := identitytest.NewCredentialStore()
	sessions := identitytest.NewSessionStore()
	users := identitytest.NewUserStore(creds).WithSessions(sessions)
	clk := clock.NewManual(t0)
	log := slog.New(slog.DiscardHandler)
	tx := portsfake.NewTxRunner()
	hook := &recordingHook{}
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	var svc identity.Services
	app := fxtest.New(t,
		fx.NopLogger,
		identity.Module,
		fx.Supply(identity.DefaultConfig(), log),
		fx.Provide(
			func() identity.Users { return users },
			func() identity.UserChanges { return users },
			func() identity.Devices { return users },
			func() identity.PINs { return creds },
			func() identity.Passwords { return creds },
			func() identity.TOTPs { return creds },
			func() identity.CredentialEraser { return creds },
			func() identity.Sessions { return sessions },
			func() identity.SessionReads { return identitytest.SessionReads{Sessions: sessions, Users: users} },
			func() identity.SessionWatcher { return identitytest.NewSessionWatcher() },
			func() identity.Tickets { return identitytest.NewTicketStore() },
			func() ports.TxRunner { return tx },
			func() ports.SecretHasher { return portsfake.NewSecretHasher() },
			func() ports.TokenSigner { return portsfake.NewTokenSigner() },
			func() ports.RateLimiter { return portsfake.NewRateLimiter(clk) },
			func() ports.ActivityLog { return portsfake.NewActivityLog() },
			func() ports.Clock { return clk },
			func() ports.SecretBox { return portsfake.NewSecretBox() },
			func() identity.Rules { return portsfake.DefaultRules() },
			func() identity.TermsCatalog { return termsV1{} },
			func(a ports.ActivityLog) identity.Codes {
				return otp.NewService(otpCfg, otptest.NewStore(), tx, portsfake.NewOutbox(portsfake.NewSMSSender(), portsfake.NewEmailSender()),
					clk, a, log)
			},
			fx.Annotate(func() identity.UserHook { return hook }, fx.ResultTags(`group:"user_hooks"`)),
		),
		fx.Populate(&svc),
	)
	app.RequireStart()
	defer app.RequireStop()

	require.NotNil(t, svc.Viewer)
	require.NotNil(t, svc.Sessions)
	require.NotNil(t, svc.Signup)
	require.NotNil(t, svc.SignIn)
	require.NotNil(t, svc.PINs)
	require.NotNil(t, svc.Passwords)
	require.NotNil(t, svc.MFA)
	require.NotNil(t, svc.Me)
	require.NotNil(t, svc.Staff)
	u, _, created, err := svc.Staff.CreateUser(context.Background(), phone, "SUPPORT")
	require.NoError(t, err)
	require.True(t, created)
	require.Len(t, hook.events, 1, "the staff service hears the user_hooks group")
	require.Equal(t, identity.UserActivated, hook.events[0].Kind)
	require.Equal(t, u.ID, hook.events[0].User.ID)
}
