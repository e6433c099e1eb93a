package postgres_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/modules/platform/platformtest"
)

func TestPlatformStoreContract(t *testing.T) {
	platformtest.RunStore(t, func(t *testing.T) platformtest.Stores {
		db := pgtest.DB(t)
		ps := postgres.NewPlatformStore(db)
		return platformtest.Stores{Store: ps, Changes: ps, Terms: ps, Seeder: platformSeeder{t: t, db: db},
			Tx: postgres.NewTxRunner(db)}
	})
}

// platformSeeder writes the platform tables as an operator would.
type platformSeeder struct {
	t  *testing.T
	db *bun.DB
}

func (s platformSeeder) exec(query string, args ...any) {
	s.t.Helper()
	if _, err := s.db.NewRaw(query, args...).Exec(context.Background()); err != nil {
		s.t.Fatal(err)
	}
}

func (s platformSeeder) PutAppVersion(v platform.AppVersion) {
	s.t.Helper()
	s.exec(`INSERT INTO app_versions (platform, minimum_version, current_version, store_url) VALUES (?, ?, ?, ?)
		ON CONFLICT (platform) DO UPDATE SET minimum_version = excluded.minimum_version,
			current_version = excluded.current_version, store_url = excluded.store_url`,
		v.Platform, v.MinimumVersion, v.CurrentVersion, v.StoreURL)
}

func (s platformSeeder) PutFeatureFlag(f platform.FeatureFlag) {
	s.t.Helper()
	s.exec(`INSERT INTO feature_flags (key, enabled, description) VALUES (?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET enabled = excluded.enabled, description = excluded.description`,
		f.Key, f.Enabled, f.Description)
}

func (s platformSeeder) PublishTerms(d platform.TermsDocument) {
	s.t.Helper()
	s.exec(`INSERT INTO terms_kinds (kind, ask_users) VALUES (?, false) ON CONFLICT DO NOTHING`, d.Kind)
	s.exec(`INSERT INTO terms_documents (kind, version, title, url, body, published_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (kind, version) DO UPDATE SET title = excluded.title, url = excluded.url, body = excluded.body,
			published_at = excluded.published_at`,
		d.Kind, d.Version, d.Title, d.URL, d.Body, d.PublishedAt)
}

func (s platformSeeder) NewUser() uuid.UUID {
	s.t.Helper()
	return newUser(s.t, s.db, fmt.Sprintf("+44791112%04d", userSeq.Add(1))).ID
}

var userSeq atomic.Int64
