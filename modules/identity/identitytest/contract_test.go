package identitytest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
)

// TestStoreContracts runs the suite the PostgreSQL adapters also pass, so
// the fakes cannot drift from them.
func TestStoreContracts(t *testing.T) {
	identitytest.Run(t, func(t *testing.T) identitytest.Stores { return identitytest.NewStores() })
}

func TestTicketsContract(t *testing.T) {
	identitytest.RunTickets(t, func(t *testing.T) identity.Tickets { return identitytest.NewTicketStore() })
}
