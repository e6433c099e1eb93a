package admin_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/admin/admintest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestModuleWiring starts admin.Module with the fakes bound to the
// interfaces admin declares, and checks that the service asks the Policy
// the module builds from the permission rows.
func TestModuleWiring(t *testing.T) {
	perms := admintest.NewPermissionStore(admin.Permission{ID: uuid.New(), Role: ports.RoleSupport,
		Operation: "adminMetrics", Action: admin.PermissionAllow})
	watcher := admintest.NewPermissionWatcher()
	perms.Watcher = watcher
	creds := identitytest.NewCredentialStore()
	sessions := identitytest.NewSessionStore()
	users := identitytest.NewUserStore(creds).WithSessions(sessions)
	log := portsfake.NewActivityLog()
	var (
		svc admin.Services
		pol *admin.Policy
	)
	app := fxtest.New(t,
		fx.NopLogger,
		admin.Module,
		fx.Supply(slog.New(slog.DiscardHandler), admin.Operations{"adminMetrics", "permissions"}),
		fx.Provide(
			func() admin.Users { return users },
			func() admin.Sessions { return sessions },
			func() admin.TOTPRemover { return creds },
			func() admin.UserDirectory { return admintest.NewUserDirectory(users) },
			func() admin.AuditSearch { return admintest.NewAuditTrail(nil) },
			func() ports.AuditTrail { return portsfake.NewAuditTrail(nil) },
			func() admin.MetricsStore { return &recordingMetrics{} },
			func() admin.PermissionStore { return perms },
			func() admin.PermissionWatcher { return watcher },
			func() ports.CallerSource { return permCallers{} },
			func() admin.SessionCache { return &admintest.SessionCache{} },
			func() ports.TxRunner { return portsfake.NewTxRunner() },
			func() ports.Clock { return clock.NewManual(permT0) },
			func() ports.ActivityLog { return log },
			func() admin.RecentActivities { return admintest.RecentActivities{Log: log} },
		),
		fx.Invoke(func(s admin.Services, p *admin.Policy) { svc, pol = s, p }),
	)
	app.RequireStart()
	defer app.RequireStop()
	require.True(t, pol.Allowed(ports.RoleSupport, "adminMetrics"), "the Policy loaded the rows on start")

	to := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	_, err := svc.Metrics.Count(as(ports.RoleSupport), to.Add(-48*time.Hour), to, admin.IntervalDay)
	require.NoError(t, err, "the row lets SUPPORT read metrics")
	_, err = svc.Metrics.Count(as(ports.RoleMember), to.Add(-48*time.Hour), to, admin.IntervalDay)
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = svc.Metrics.Count(context.Background(), to.Add(-48*time.Hour), to, admin.IntervalDay)
	errtest.Code(t, err, ports.CodeUnauthenticated)
}
