package admintest_test

import (
	"log/slog"
	"testing"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/admin/admintest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestPermissionsContract runs the suite the PostgreSQL adapter also passes.
func TestPermissionsContract(t *testing.T) {
	admintest.RunPermissions(t, func(t *testing.T) admintest.PermissionStores {
		w := admintest.NewPermissionWatcher()
		s := admintest.NewPermissionStore()
		s.Watcher = w
		return admintest.PermissionStores{Store: s, Watcher: w, Tx: portsfake.NewTxRunner()}
	})
}

// TestDirectoryContract runs the suite the PostgreSQL adapter also passes.
func TestDirectoryContract(t *testing.T) {
	admintest.RunDirectory(t, func(t *testing.T) admintest.DirectoryStores {
		users := identitytest.NewUserStore(nil)
		return admintest.DirectoryStores{Users: users, Directory: admintest.NewUserDirectory(users)}
	})
}

// TestAuditContract runs the suite the PostgreSQL adapter also passes.
func TestAuditContract(t *testing.T) {
	admintest.RunAudit(t, func(t *testing.T) admintest.AuditStores {
		log := portsfake.NewActivityLog()
		trail := admintest.NewAuditTrail(log)
		return admintest.AuditStores{NewUser: func(*testing.T, string) uuid.UUID { return uuid.New() },
			Activities: log, Audit: trail, Search: trail}
	})
}

// TestRulesContract: the fake rules the modules' service tests use decide
// as the Policy does over the same rows.
func TestRulesContract(t *testing.T) {
	t.Run("Fake", func(t *testing.T) {
		admintest.RunRules(t, func(_ *testing.T, rows []admin.Permission, _ admin.Operations) admin.Rules {
			r := portsfake.NewRules()
			for _, p := range rows {
				r.Set(p.Role, p.Operation, p.Action)
			}
			return r
		})
	})
	t.Run("Policy", func(t *testing.T) {
		admintest.RunRules(t, func(_ *testing.T, rows []admin.Permission, ops admin.Operations) admin.Rules {
			p := admin.NewPolicy(admintest.NewPermissionStore(), admintest.NewPermissionWatcher(), ops, slog.New(slog.DiscardHandler))
			p.Swap(rows)
			return p
		})
	})
}

// TestPagesContract runs the suite the PostgreSQL adapters also pass.
func TestPagesContract(t *testing.T) {
	admintest.RunPages(t, func(t *testing.T) admintest.PageStores {
		sessions := identitytest.NewSessionStore()
		log := portsfake.NewActivityLog()
		return admintest.PageStores{Users: identitytest.NewUserStore(nil).WithSessions(sessions), Sessions: sessions,
			Activities: log, Recent: admintest.RecentActivities{Log: log}}
	})
}
