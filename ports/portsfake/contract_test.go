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
		creds := portsfake.NewCredentialStore()
		return portstest.Stores{Users: portsfake.NewUserStore(creds), Credentials: creds,
			Sessions: portsfake.NewSessionStore(), Tickets: portsfake.NewTicketStore(),
			Challenges: portsfake.NewChallengeStore(), Tx: portsfake.NewTxRunner()}
	})
}
