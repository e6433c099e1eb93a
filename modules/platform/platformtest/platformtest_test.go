package platformtest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/platform/platformtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	platformtest.RunStore(t, func(t *testing.T) platformtest.Stores {
		s := platformtest.NewStore()
		return platformtest.Stores{Store: s, Changes: s, Terms: s, Seeder: s, Tx: portsfake.NewTxRunner()}
	})
}
