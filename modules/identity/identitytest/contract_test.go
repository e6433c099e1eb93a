package identitytest_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestStoreContracts runs the suite the PostgreSQL adapters also pass, so
// the fakes cannot drift from them.
func TestStoreContracts(t *testing.T) {
	identitytest.Run(t, func(t *testing.T) identitytest.Stores {
		creds, sessions := identitytest.NewCredentialStore(), identitytest.NewSessionStore()
		return identitytest.Stores{Users: identitytest.NewUserStore(creds).WithSessions(sessions), Credentials: creds,
			Sessions:   sessions,
			Activities: portsfake.NewActivityLog(), Tx: portsfake.NewTxRunner()}
	})
}

func TestTicketsContract(t *testing.T) {
	identitytest.RunTickets(t, func(t *testing.T) identity.Tickets { return identitytest.NewTicketStore() })
}
