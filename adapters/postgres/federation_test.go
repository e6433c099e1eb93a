package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
)

func TestFederationStoreContract(t *testing.T) {
	federationtest.RunStore(t, func(t *testing.T) federationtest.Stores {
		db := pgtest.DB(t)
		s := postgres.NewFederationStore(db)
		return federationtest.Stores{Users: postgres.NewUserStore(db), Identities: s, States: s}
	})
}

// TestDeletedAccountKeepsNoIdentity: an account deleted (scrubbed, its row
// kept) loses its links in the same transaction, so the provider identity
// can neither sign in to it nor stay taken.
func TestDeletedAccountKeepsNoIdentity(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	users := postgres.NewUserStore(db)
	u := identitytest.NewUser(t, users, "+447912399101")
	s := postgres.NewFederationStore(db)
	id := federation.Identity{ID: uuid.New(), UserID: u.ID, Provider: "google", Subject: "s1", LinkedAt: t0, LastUsedAt: t0}
	if err := s.Link(ctx, id); err != nil {
		t.Fatal(err)
	}
	if err := users.Scrub(ctx, u.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got, err := s.OfUser(ctx, u.ID); err != nil || len(got) != 0 {
		t.Fatalf("identities of a deleted account: %v, err %v", got, err)
	}
}
