package levelrulestest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/levelrules/levelrulestest"
)

// TestStoresContract runs the suite the PostgreSQL adapter also passes.
func TestStoresContract(t *testing.T) {
	levelrulestest.RunStores(t, func(t *testing.T) levelrulestest.Stores { return levelrulestest.NewStore().Stores() })
}
