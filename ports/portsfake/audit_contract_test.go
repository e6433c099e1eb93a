package portsfake_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/ports/portsfake"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// TestAuditTrailContract runs the suite the PostgreSQL adapter also passes.
func TestAuditTrailContract(t *testing.T) {
	portstest.RunAudit(t, func(t *testing.T) portstest.AuditStores {
		log := portsfake.NewActivityLog()
		return portstest.AuditStores{Users: portsfake.NewUserStore(nil), Activities: log, Audit: portsfake.NewAuditTrail(log)}
	})
}
