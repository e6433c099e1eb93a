package kyctest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
)

func fakes(t *testing.T) kyctest.Stores {
	s := kyctest.NewStore()
	return kyctest.Stores{Users: identitytest.NewUserStore(nil), KYC: kyctest.StoresOf(s), Reads: s}
}

// TestStoreContract runs the suite the PostgreSQL adapter also passes.
func TestStoreContract(t *testing.T) { kyctest.RunStore(t, fakes) }

// TestUserReadsContract runs the suite the PostgreSQL adapter also passes.
func TestUserReadsContract(t *testing.T) { kyctest.RunUserReads(t, fakes) }
