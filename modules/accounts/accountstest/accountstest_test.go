package accountstest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/accounts/accountstest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	accountstest.RunStore(t, func(t *testing.T) accountstest.Stores {
		return accountstest.Stores{Users: identitytest.NewUserStore(nil), Accounts: accountstest.NewStore()}
	})
}
