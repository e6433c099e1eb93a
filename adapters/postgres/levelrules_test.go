package postgres_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/levelrules/levelrulestest"
)

func TestLevelRuleStoresContract(t *testing.T) {
	levelrulestest.RunStores(t, func(t *testing.T) levelrulestest.Stores {
		db := pgtest.DB(t)
		s := postgres.NewLevelRuleStore(db)
		return levelrulestest.Stores{Rules: s, Jobs: s, Users: s, Seeder: levelSeeder{t: t, db: db},
			Tx: postgres.NewTxRunner(db)}
	})
}

// levelSeeder writes users and labels as the other modules do.
type levelSeeder struct {
	t  *testing.T
	db *bun.DB
}

func (s levelSeeder) PutUser(level int) uuid.UUID {
	s.t.Helper()
	u := newUser(s.t, s.db, fmt.Sprintf("+44791113%04d", userSeq.Add(1)))
	if _, err := s.db.NewRaw(`UPDATE users SET level = ? WHERE id = ?`, level, u.ID).Exec(context.Background()); err != nil {
		s.t.Fatal(err)
	}
	return u.ID
}

func (s levelSeeder) PutLabel(user uuid.UUID, key, value, scope string) {
	s.t.Helper()
	if _, err := s.db.NewRaw(`INSERT INTO labels (user_id, key, value, scope, description, created_at, updated_at)
		VALUES (?, ?, ?, ?, '', now(), now()) ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value,
		scope = excluded.scope`, user, key, value, scope).Exec(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

func (s levelSeeder) Level(user uuid.UUID) int {
	s.t.Helper()
	var l int
	if err := s.db.NewRaw(`SELECT level FROM users WHERE id = ?`, user).Scan(context.Background(), &l); err != nil {
		s.t.Fatal(err)
	}
	return l
}
