package admintest_test

import (
	"testing"

	"github.com/google/uuid"

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
