package platform

import (
	"context"
	"time"
)

// Store reads the client configuration and terms that operators keep in
// the database (adapters/postgres, or platformtest's fake), and switches
// maintenance.
type Store interface {
	Settings(ctx context.Context) (Settings, error)
	SetMaintenance(ctx context.Context, on bool, message string, at time.Time) error
	// AppVersions returns every platform's versions, ordered by platform.
	AppVersions(ctx context.Context) ([]AppVersion, error)
	// FeatureFlags returns every flag, ordered by key.
	FeatureFlags(ctx context.Context) ([]FeatureFlag, error)
	// CurrentTerms returns the newest version of kind published at or
	// before now (the greater version on a tie); ports.ErrNotFound when
	// there is none.
	CurrentTerms(ctx context.Context, kind string, now time.Time) (TermsDocument, error)
}
