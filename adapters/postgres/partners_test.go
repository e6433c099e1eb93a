package postgres_test

import (
	"testing"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/partners/partnerstest"
)

func TestPartnerAppStoreContract(t *testing.T) {
	partnerstest.RunStore(t, func(t *testing.T) partnerstest.Stores {
		db := pgtest.DB(t)
		return partnerstest.Stores{Users: postgres.NewUserStore(db), Apps: postgres.NewPartnerAppStore(db)}
	})
}
