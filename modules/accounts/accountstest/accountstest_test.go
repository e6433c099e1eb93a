package accountstest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/accounts/accountstest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	accountstest.RunStore(t, func(t *testing.T) accountstest.Stores {
		return accountstest.Stores{Users: portsfake.NewUserStore(nil), Accounts: accountstest.NewStore()}
	})
}
