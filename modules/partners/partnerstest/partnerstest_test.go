package partnerstest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/partners/partnerstest"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	partnerstest.RunStore(t, func(t *testing.T) partnerstest.Stores {
		return partnerstest.Stores{Users: identitytest.NewUserStore(nil), Apps: partnerstest.NewStore()}
	})
}
