package platformtest

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

var _ platform.Store = (*Store)(nil)

// Store implements platform.Store in memory. It starts as the first
// migration leaves the database (maintenance off, idle time 300 s, every
// platform at 1.0.0, the three seeded feature flags) except for terms:
// it has none, where the migration publishes version 1 of each kind, so
// that a test publishes exactly the terms it reads.
type Store struct {
	mu       sync.Mutex
	settings platform.Settings
	versions map[string]platform.AppVersion
	flags    map[string]platform.FeatureFlag
	terms    []platform.TermsDocument

	settingsReads atomic.Int64
}

// NewStore returns a store seeded like a freshly migrated database, but
// without terms.
func NewStore() *Store {
	s := &Store{
		settings: platform.Settings{IdleTimeSeconds: 300},
		versions: map[string]platform.AppVersion{},
		flags:    map[string]platform.FeatureFlag{},
	}
	for _, p := range []string{"ANDROID", "IOS", "WEB"} {
		s.versions[p] = platform.AppVersion{Platform: p, MinimumVersion: "1.0.0", CurrentVersion: "1.0.0"}
	}
	for _, f := range []platform.FeatureFlag{
		{Key: "phone_signup", Enabled: true, Description: "Sign-up by phone number and PIN"},
		{Key: "pin_sign_in", Enabled: true, Description: "Sign-in with a PIN on a trusted device"},
		{Key: "biometric_sign_in", Enabled: false, Description: "Sign-in with device biometrics"},
	} {
		s.flags[f.Key] = f
	}
	return s
}

func (s *Store) Settings(ctx context.Context) (platform.Settings, error) {
	s.settingsReads.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings, nil
}

// SettingsReads reports how many times Settings was called, so tests can
// see whether a cache was used.
func (s *Store) SettingsReads() int { return int(s.settingsReads.Load()) }

// PutSettings replaces the settings behind the service's back (another
// instance or an operator changing the database).
func (s *Store) PutSettings(st platform.Settings) {
	s.mu.Lock()
	s.settings = st
	s.mu.Unlock()
}

func (s *Store) SetMaintenance(ctx context.Context, on bool, message string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.Maintenance, s.settings.MaintenanceMessage, s.settings.UpdatedAt = on, message, at
	return nil
}

// AppVersions returns every platform's versions, ordered by platform.
func (s *Store) AppVersions(ctx context.Context) ([]platform.AppVersion, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Collect(maps.Values(s.versions))
	slices.SortFunc(out, func(a, b platform.AppVersion) int { return cmp.Compare(a.Platform, b.Platform) })
	return out, nil
}

// PutAppVersion inserts or replaces the versions of v.Platform.
func (s *Store) PutAppVersion(v platform.AppVersion) {
	s.mu.Lock()
	s.versions[v.Platform] = v
	s.mu.Unlock()
}

// FeatureFlags returns every flag, ordered by key.
func (s *Store) FeatureFlags(ctx context.Context) ([]platform.FeatureFlag, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := slices.Collect(maps.Values(s.flags))
	slices.SortFunc(out, func(a, b platform.FeatureFlag) int { return cmp.Compare(a.Key, b.Key) })
	return out, nil
}

// PutFeatureFlag inserts or replaces the flag f.Key.
func (s *Store) PutFeatureFlag(f platform.FeatureFlag) {
	s.mu.Lock()
	s.flags[f.Key] = f
	s.mu.Unlock()
}

// PublishTerms inserts or replaces the document (kind, version).
func (s *Store) PublishTerms(d platform.TermsDocument) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, o := range s.terms {
		if o.Kind == d.Kind && o.Version == d.Version {
			s.terms[i] = d
			return
		}
	}
	s.terms = append(s.terms, d)
}

// CurrentTerms returns the document of kind published last at or before
// now (the greater version on a tie), or ErrNotFound.
func (s *Store) CurrentTerms(ctx context.Context, kind string, now time.Time) (platform.TermsDocument, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var (
		best  platform.TermsDocument
		found bool
	)
	for _, d := range s.terms {
		if d.Kind != kind || d.PublishedAt.After(now) {
			continue
		}
		if !found || d.PublishedAt.After(best.PublishedAt) ||
			(d.PublishedAt.Equal(best.PublishedAt) && d.Version > best.Version) {
			best, found = d, true
		}
	}
	if !found {
		return platform.TermsDocument{}, ports.ErrNotFound
	}
	return best, nil
}
