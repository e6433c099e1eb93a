package ports

import (
	"context"
	"time"
)

// AppVersion is the version policy of one client platform.
type AppVersion struct {
	Platform       string // ANDROID, IOS, WEB
	MinimumVersion string
	CurrentVersion string
	StoreURL       string
}

// FeatureFlag switches a client feature on or off.
type FeatureFlag struct {
	Key         string
	Enabled     bool
	Description string
}

// PlatformSettings are global switches and client rules.
type PlatformSettings struct {
	Maintenance        bool
	MaintenanceMessage string
	IdleTimeSeconds    int
	UpdatedAt          time.Time
}

// TermsDocument is one published version of a terms document.
type TermsDocument struct {
	Kind        string
	Version     string
	Title       string
	URL         string
	Body        string
	PublishedAt time.Time
}

// PlatformStore reads app configuration and terms.
type PlatformStore interface {
	Settings(ctx context.Context) (PlatformSettings, error)
	SetMaintenance(ctx context.Context, on bool, message string, at time.Time) error
	AppVersions(ctx context.Context) ([]AppVersion, error)
	FeatureFlags(ctx context.Context) ([]FeatureFlag, error)
	// CurrentTerms returns the newest published version of kind at now.
	CurrentTerms(ctx context.Context, kind string, now time.Time) (TermsDocument, error)
}
