package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/apikeys/apikeystest"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
)

func TestAPIKeyStoreContract(t *testing.T) {
	apikeystest.RunStore(t, func(t *testing.T) apikeystest.Stores {
		db := pgtest.DB(t)
		s := postgres.NewAPIKeyStore(db)
		return apikeystest.Stores{Users: postgres.NewUserStore(db), Keys: s, Nonces: s}
	})
}

// TestJanitorForgetsNoncesPastTheirWindow: an idle key's nonces go once
// no instance could take them again (the widest window past their expiry,
// for instances whose clocks are behind), not a day later.
func TestJanitorForgetsNoncesPastTheirWindow(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	u := identitytest.NewUser(t, postgres.NewUserStore(db), "+447912399001")
	s := postgres.NewAPIKeyStore(db)
	k := apikeys.Key{ID: uuid.New(), UserID: u.ID, SealedSecret: []byte("x"), Scopes: []string{"read"},
		State: apikeys.Active, CreatedAt: t0, UpdatedAt: t0}
	if err := s.Create(ctx, k, 10); err != nil {
		t.Fatal(err)
	}
	for i, exp := range []time.Time{t0.Add(30 * time.Second), t0.Add(90 * time.Second)} {
		if _, err := s.Spend(ctx, k.ID, int64(i), exp, t0); err != nil {
			t.Fatal(err)
		}
	}
	n, err := postgres.NewJanitor(db, clock.NewManual(t0.Add(time.Minute)), nil).Sweep(ctx)
	if err != nil || n != 0 {
		t.Fatalf("swept %d rows at once, err %v; an instance behind may still take them", n, err)
	}
	n, err = postgres.NewJanitor(db, clock.NewManual(t0.Add(30*time.Second+apikeys.MaxNonceWindow+time.Second)), nil).Sweep(ctx)
	if err != nil || n != 1 {
		t.Fatalf("swept %d rows, err %v; want the expired nonce", n, err)
	}
	var left int
	if err := db.NewRaw("SELECT count(*) FROM api_key_nonces").Scan(ctx, &left); err != nil || left != 1 {
		t.Fatalf("%d nonces left, err %v", left, err)
	}
}
