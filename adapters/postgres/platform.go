package postgres

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

// PlatformStore implements platform.Store.
type PlatformStore struct{ db *bun.DB }

var (
	_ platform.Store   = (*PlatformStore)(nil)
	_ platform.Changes = (*PlatformStore)(nil)
	_ platform.Terms   = (*PlatformStore)(nil)
)

// NewPlatformStore returns a store over db.
func NewPlatformStore(db *bun.DB) *PlatformStore { return &PlatformStore{db: db} }

func (s *PlatformStore) Settings(ctx context.Context) (platform.Settings, error) {
	var out platform.Settings
	var contents []byte
	err := conn(ctx, s.db).NewRaw(`SELECT maintenance, maintenance_message, idle_time_seconds, otp_lifetime_seconds,
		app_contents, push_channels, updated_at FROM platform_settings`).
		Scan(ctx, &out.Maintenance, &out.MaintenanceMessage, &out.IdleTimeSeconds, &out.OTPLifetimeSeconds,
			&contents, pgdialect.Array(&out.PushChannels), &out.UpdatedAt)
	out.AppContents = contents
	if out.PushChannels == nil {
		out.PushChannels = []string{}
	}
	return out, mapErr(err)
}

func (s *PlatformStore) SetMaintenance(ctx context.Context, on bool, message string, at time.Time) error {
	_, err := conn(ctx, s.db).NewRaw(`UPDATE platform_settings SET maintenance = ?, maintenance_message = ?, updated_at = ?`,
		on, message, at).Exec(ctx)
	return mapErr(err)
}

func (s *PlatformStore) AppVersions(ctx context.Context) ([]platform.AppVersion, error) {
	var out []platform.AppVersion
	err := conn(ctx, s.db).NewRaw(`SELECT platform, minimum_version, current_version, store_url, store_app_id
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

// The changes below are single statements: each sets only its own
// columns, so concurrent changes of different settings keep each other.

func (s *PlatformStore) SetClientRules(ctx context.Context, idle int, otp *int, at time.Time) error {
	_, err := conn(ctx, s.db).NewRaw(`UPDATE platform_settings SET idle_time_seconds = ?, otp_lifetime_seconds = ?,
		updated_at = ?`, idle, otp, at).Exec(ctx)
	return mapErr(err)
}

func (s *PlatformStore) SetAppContents(ctx context.Context, contents []byte, at time.Time) error {
	_, err := conn(ctx, s.db).NewRaw(`UPDATE platform_settings SET app_contents = ?::jsonb, updated_at = ?`,
		string(contents), at).Exec(ctx)
	return mapErr(err)
}

func (s *PlatformStore) SetPushChannels(ctx context.Context, channels []string, at time.Time) error {
	if channels == nil {
		channels = []string{}
	}
	_, err := conn(ctx, s.db).NewRaw(`UPDATE platform_settings SET push_channels = ?, updated_at = ?`,
		pgdialect.Array(channels), at).Exec(ctx)
	return mapErr(err)
}

func (s *PlatformStore) SaveAppVersion(ctx context.Context, v platform.AppVersion, at time.Time) error {
	_, err := conn(ctx, s.db).NewRaw(`INSERT INTO app_versions (platform, minimum_version, current_version, store_url,
		store_app_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (platform) DO UPDATE SET minimum_version = excluded.minimum_version,
			current_version = excluded.current_version, store_url = excluded.store_url,
			store_app_id = excluded.store_app_id, updated_at = excluded.updated_at`,
		v.Platform, v.MinimumVersion, v.CurrentVersion, v.StoreURL, v.StoreAppID, at).Exec(ctx)
	return mapErr(err)
}

func (s *PlatformStore) SaveFeatureFlag(ctx context.Context, f platform.FeatureFlag, at time.Time) error {
	_, err := conn(ctx, s.db).NewRaw(`INSERT INTO feature_flags (key, enabled, description, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET enabled = excluded.enabled, description = excluded.description,
			updated_at = excluded.updated_at`, f.Key, f.Enabled, f.Description, at).Exec(ctx)
	return mapErr(err)
}

func (s *PlatformStore) DeleteFeatureFlag(ctx context.Context, key string) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`DELETE FROM feature_flags WHERE key = ?`, key).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// TermsKinds reads every kind and its current version in one statement.
func (s *PlatformStore) TermsKinds(ctx context.Context, now time.Time) ([]platform.TermsKind, error) {
	var rows []struct {
		Kind        string     `bun:"kind"`
		AskUsers    bool       `bun:"ask_users"`
		Version     *string    `bun:"version"`
		Title       string     `bun:"title"`
		URL         string     `bun:"url"`
		Body        string     `bun:"body"`
		PublishedAt *time.Time `bun:"published_at"`
	}
	err := conn(ctx, s.db).NewRaw(`SELECT k.kind, k.ask_users, c.version, coalesce(c.title, '') AS title,
			coalesce(c.url, '') AS url, coalesce(c.body, '') AS body, c.published_at
		FROM terms_kinds k LEFT JOIN LATERAL (SELECT * FROM terms_documents d WHERE d.kind = k.kind
			AND d.published_at <= ? ORDER BY d.published_at DESC, d.version DESC LIMIT 1) c ON true
		ORDER BY k.kind`, now).Scan(ctx, &rows)
	if err != nil {
		return nil, mapErr(err)
	}
	out := make([]platform.TermsKind, len(rows))
	for i, r := range rows {
		out[i] = platform.TermsKind{Kind: r.Kind, AskUsers: r.AskUsers}
		if r.Version != nil && r.PublishedAt != nil {
			out[i].Current = &platform.TermsDocument{Kind: r.Kind, Version: *r.Version, Title: r.Title, URL: r.URL,
				Body: r.Body, PublishedAt: *r.PublishedAt}
		}
	}
	return out, nil
}

func (s *PlatformStore) TermsVersions(ctx context.Context, kind string, limit int) ([]platform.TermsDocument, error) {
	out := []platform.TermsDocument{}
	err := conn(ctx, s.db).NewRaw(`SELECT kind, version, title, url, body, published_at FROM terms_documents
		WHERE kind = ? ORDER BY published_at DESC, version DESC LIMIT ?`, kind, limit).Scan(ctx, &out)
	return out, mapErr(err)
}

// AddTermsVersion creates the kind when new, inserts the version, and
// sets the kind's ask flag only when the version was new: one statement,
// so a refused version changes nothing.
func (s *PlatformStore) AddTermsVersion(ctx context.Context, d platform.TermsDocument, askUsers *bool) error {
	var n int
	err := conn(ctx, s.db).NewRaw(`WITH k AS (
			INSERT INTO terms_kinds (kind, ask_users, created_at) VALUES (?0, coalesce(?1, false), ?6)
			ON CONFLICT (kind) DO NOTHING RETURNING kind),
		d AS (
			INSERT INTO terms_documents (kind, version, title, url, body, published_at) VALUES (?0, ?2, ?3, ?4, ?5, ?6)
			ON CONFLICT (kind, version) DO NOTHING RETURNING kind),
		u AS (
			UPDATE terms_kinds SET ask_users = ?1 WHERE kind = ?0 AND ?1 IS NOT NULL
				AND EXISTS (SELECT 1 FROM d) AND NOT EXISTS (SELECT 1 FROM k))
		SELECT count(*) FROM d`,
		d.Kind, askUsers, d.Version, d.Title, d.URL, d.Body, d.PublishedAt).Scan(ctx, &n)
	if err != nil {
		return mapErr(err)
	}
	if n == 0 {
		return ports.Refusal(ports.CodeConflict, platform.ReasonTermsVersionExists,
			"version %s of the %s terms exists already", d.Version, d.Kind)
	}
	return nil
}

func (s *PlatformStore) PendingTerms(ctx context.Context, userID uuid.UUID, now time.Time) ([]platform.TermsDocument, error) {
	out := []platform.TermsDocument{}
	err := conn(ctx, s.db).NewRaw(`SELECT c.kind, c.version, c.title, c.url, c.body, c.published_at FROM terms_kinds k
		CROSS JOIN LATERAL (SELECT * FROM terms_documents d WHERE d.kind = k.kind AND d.published_at <= ?
			ORDER BY d.published_at DESC, d.version DESC LIMIT 1) c
		WHERE k.ask_users AND NOT EXISTS (SELECT 1 FROM terms_acceptances a
			WHERE a.user_id = ? AND a.kind = c.kind AND a.version = c.version)
		ORDER BY c.kind`, now, userID).Scan(ctx, &out)
	return out, mapErr(err)
}

func (s *PlatformStore) AcceptTerms(ctx context.Context, userID uuid.UUID, kind, version string, at time.Time, ip string) (bool, error) {
	res, err := conn(ctx, s.db).NewRaw(`INSERT INTO terms_acceptances (user_id, kind, version, accepted_at, ip)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, userID, kind, version, at, ip).Exec(ctx)
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// LockFlags blocks other writers of the flags, not their readers.
func (s *PlatformStore) LockFlags(ctx context.Context) error {
	_, err := conn(ctx, s.db).NewRaw(`LOCK TABLE feature_flags IN SHARE ROW EXCLUSIVE MODE`).Exec(ctx)
	return mapErr(err)
}

// LockKinds blocks other writers of the kinds, not their readers.
func (s *PlatformStore) LockKinds(ctx context.Context) error {
	_, err := conn(ctx, s.db).NewRaw(`LOCK TABLE terms_kinds IN SHARE ROW EXCLUSIVE MODE`).Exec(ctx)
	return mapErr(err)
}
