package postgres_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/accounts/accountstest"
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

func TestKYCStoreContract(t *testing.T) {
	portstest.RunKYC(t, func(t *testing.T) portstest.KYCStores {
		db := pgtest.DB(t)
		return portstest.KYCStores{Users: postgres.NewUserStore(db), KYC: postgres.NewKYCStore(db)}
	})
}

func TestAccountStoreContract(t *testing.T) {
	accountstest.RunStore(t, func(t *testing.T) accountstest.Stores {
		db := pgtest.DB(t)
		return accountstest.Stores{Users: postgres.NewUserStore(db), Accounts: postgres.NewAccountStore(db)}
	})
}
