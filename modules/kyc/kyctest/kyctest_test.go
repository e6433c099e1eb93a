package kyctest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/kyc/kyctest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestUserReadsContract runs the suite the PostgreSQL adapter also passes.
func TestUserReadsContract(t *testing.T) {
	kyctest.RunUserReads(t, func(t *testing.T) kyctest.Stores {
		s := portsfake.NewKYCStore()
		return kyctest.Stores{Users: portsfake.NewUserStore(nil), KYC: s, Reads: s}
	})
}
