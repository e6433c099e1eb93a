package postgres_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

func TestStoreContracts(t *testing.T) {
	portstest.Run(t, func(t *testing.T) portstest.Stores {
		db := pgtest.DB(t)
		return portstest.Stores{Users: postgres.NewUserStore(db), Credentials: postgres.NewCredentialStore(db),
			Sessions: postgres.NewSessionStore(db), Tickets: postgres.NewTicketStore(db),
			Challenges: postgres.NewChallengeStore(db), Activities: postgres.NewActivityLog(db),
			Tx: postgres.NewTxRunner(db)}
	})
}
