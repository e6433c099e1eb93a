package portsfake_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports/portsfake"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// TestAuditTrailContract runs the suite the PostgreSQL adapter also passes.
func TestAuditTrailContract(t *testing.T) {
	portstest.RunAudit(t, func(t *testing.T) portstest.AuditStores {
		log := portsfake.NewActivityLog()
		return portstest.AuditStores{NewUser: func(*testing.T, string) uuid.UUID { return uuid.New() }, Activities: log, Audit: portsfake.NewAuditTrail(log)}
	})
}
