package pinresettest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/modules/pinreset/pinresettest"
)

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) {
	pinresettest.RunStore(t, func(t *testing.T) pinresettest.Stores {
		return pinresettest.Stores{Users: identitytest.NewUserStore(nil), Documents: kyctest.NewStore(),
			Resets: pinresettest.NewStore()}
	})
}
