package portsfake_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/ports/portsfake"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// TestStoreContracts runs the suite the PostgreSQL adapters also pass, so
// the fakes cannot drift from them.
func TestStoreContracts(t *testing.T) {
	portstest.Run(t, func(t *testing.T) portstest.Stores {
		creds, sessions := portsfake.NewCredentialStore(), portsfake.NewSessionStore()
		return portstest.Stores{Users: portsfake.NewUserStore(creds).WithSessions(sessions), Credentials: creds,
			Sessions: sessions, Tickets: portsfake.NewTicketStore(),
			Activities: portsfake.NewActivityLog(), Tx: portsfake.NewTxRunner()}
	})
}
