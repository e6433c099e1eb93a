package federationtest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	federationtest.RunStore(t, func(t *testing.T) federationtest.Stores {
		s := federationtest.NewStore()
		return federationtest.Stores{Users: identitytest.NewUserStore(nil), Identities: s, States: s}
	})
}
