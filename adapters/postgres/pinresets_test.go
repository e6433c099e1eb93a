package postgres_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/pinreset/pinresettest"
)

func TestPINResetStoreContract(t *testing.T) {
	pinresettest.RunStore(t, func(t *testing.T) pinresettest.Stores {
		db := pgtest.DB(t)
		return pinresettest.Stores{Users: postgres.NewUserStore(db), Documents: postgres.NewKYCStore(db),
			Resets: postgres.NewPINResetStore(db)}
	})
}
