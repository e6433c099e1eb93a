package postgres

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/platform"
)

// PlatformStore implements platform.Store.
type PlatformStore struct{ db *bun.DB }

var _ platform.Store = (*PlatformStore)(nil)

// NewPlatformStore returns a store over db.
func NewPlatformStore(db *bun.DB) *PlatformStore { return &PlatformStore{db: db} }

func (s *PlatformStore) Settings(ctx context.Context) (platform.Settings, error) {
	var out platform.Settings
	err := conn(ctx, s.db).NewRaw(`SELECT maintenance, maintenance_message, idle_time_seconds, updated_at
		FROM platform_settings`).Scan(ctx, &out.Maintenance, &out.MaintenanceMessage, &out.IdleTimeSeconds, &out.UpdatedAt)
	return out, mapErr(err)
}

func (s *PlatformStore) SetMaintenance(ctx context.Context, on bool, message string, at time.Time) error {
	_, err := conn(ctx, s.db).NewRaw(`UPDATE platform_settings SET maintenance = ?, maintenance_message = ?, updated_at = ?`,
		on, message, at).Exec(ctx)
	return mapErr(err)
}

func (s *PlatformStore) AppVersions(ctx context.Context) ([]platform.AppVersion, error) {
	var out []platform.AppVersion
	err := conn(ctx, s.db).NewRaw(`SELECT platform, minimum_version, current_version, store_url
		FROM app_versions ORDER BY platform`).Scan(ctx, &out)
	return out, mapErr(err)
}

func (s *PlatformStore) FeatureFlags(ctx context.Context) ([]platform.FeatureFlag, error) {
	var out []platform.FeatureFlag
	err := conn(ctx, s.db).NewRaw(`SELECT key, enabled, description FROM feature_flags ORDER BY key`).Scan(ctx, &out)
	return out, mapErr(err)
}

func (s *PlatformStore) CurrentTerms(ctx context.Context, kind string, now time.Time) (platform.TermsDocument, error) {
	var out platform.TermsDocument
	err := conn(ctx, s.db).NewRaw(`SELECT kind, version, title, url, body, published_at FROM terms_documents
		WHERE kind = ? AND published_at <= ? ORDER BY published_at DESC, version DESC LIMIT 1`, kind, now).
		Scan(ctx, &out.Kind, &out.Version, &out.Title, &out.URL, &out.Body, &out.PublishedAt)
	return out, mapErr(err)
}
