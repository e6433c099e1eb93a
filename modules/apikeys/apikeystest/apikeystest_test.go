package apikeystest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/apikeys/apikeystest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	apikeystest.RunStore(t, func(t *testing.T) apikeystest.Stores {
		s := apikeystest.NewStore()
		return apikeystest.Stores{Users: identitytest.NewUserStore(nil), Keys: s, Nonces: s}
	})
}
