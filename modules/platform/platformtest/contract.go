// Package platformtest holds the platform module's fake Store and the
// contract suite that the fake and the PostgreSQL adapter both pass, so
// the fake cannot drift from the truth.
package platformtest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

// Seeder writes what a platform.Store only reads: operators (and the
// migrations) write versions, flags and terms, never the service. The
// fake's Put and Publish methods are one; the PostgreSQL suite writes the
// tables.
type Seeder interface {
	// PutAppVersion inserts or replaces the versions of v.Platform.
	PutAppVersion(v platform.AppVersion)
	// PutFeatureFlag inserts or replaces the flag f.Key.
	PutFeatureFlag(f platform.FeatureFlag)
	// PublishTerms inserts or replaces the document (kind, version).
	PublishTerms(d platform.TermsDocument)
}

// Stores is a Store and the Seeder of the same data, fresh (as the
// migrations leave it) for each call of the factory.
type Stores struct {
	Store  platform.Store
	Seeder Seeder
}

// T0 is the suite's reference instant (microseconds, as PostgreSQL keeps).
var T0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// RunStore runs the Store contract suite against implementations from
// newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Fresh", func(t *testing.T) { t.Parallel(); fresh(t, newStores(t)) })
	t.Run("Maintenance", func(t *testing.T) { t.Parallel(); maintenance(t, newStores(t)) })
	t.Run("AppVersions", func(t *testing.T) { t.Parallel(); appVersions(t, newStores(t)) })
	t.Run("FeatureFlags", func(t *testing.T) { t.Parallel(); featureFlags(t, newStores(t)) })
	t.Run("CurrentTerms", func(t *testing.T) { t.Parallel(); currentTerms(t, newStores(t)) })
}

// seededFlags are the feature flags the first migration inserts, by key.
var seededFlags = []platform.FeatureFlag{
	{Key: "biometric_sign_in", Enabled: false, Description: "Sign-in with device biometrics"},
	{Key: "phone_signup", Enabled: true, Description: "Sign-up by phone number and PIN"},
	{Key: "pin_sign_in", Enabled: true, Description: "Sign-in with a PIN on a trusted device"},
}

func fresh(t *testing.T, s Stores) {
	ctx := context.Background()
	st, err := s.Store.Settings(ctx)
	noErr(t, err)
	check(t, !st.Maintenance && st.MaintenanceMessage == "" && st.IdleTimeSeconds == 300,
		"fresh settings: %+v", st)
	vs, err := s.Store.AppVersions(ctx)
	noErr(t, err)
	want := []platform.AppVersion{
		{Platform: "ANDROID", MinimumVersion: "1.0.0", CurrentVersion: "1.0.0"},
		{Platform: "IOS", MinimumVersion: "1.0.0", CurrentVersion: "1.0.0"},
		{Platform: "WEB", MinimumVersion: "1.0.0", CurrentVersion: "1.0.0"},
	}
	check(t, slices.Equal(vs, want), "fresh versions:\n got %+v\nwant %+v", vs, want)
	fs, err := s.Store.FeatureFlags(ctx)
	noErr(t, err)
	check(t, slices.Equal(fs, seededFlags), "fresh flags:\n got %+v\nwant %+v", fs, seededFlags)
}

func maintenance(t *testing.T, s Stores) {
	ctx := context.Background()
	noErr(t, s.Store.SetMaintenance(ctx, true, "back at ten", T0))
	st, err := s.Store.Settings(ctx)
	noErr(t, err)
	check(t, st.Maintenance && st.MaintenanceMessage == "back at ten" && st.UpdatedAt.Equal(T0) &&
		st.IdleTimeSeconds == 300, "maintenance on: %+v", st)

	noErr(t, s.Store.SetMaintenance(ctx, false, "", T0.Add(time.Minute)))
	st, err = s.Store.Settings(ctx)
	noErr(t, err)
	check(t, !st.Maintenance && st.MaintenanceMessage == "" && st.UpdatedAt.Equal(T0.Add(time.Minute)) &&
		st.IdleTimeSeconds == 300, "maintenance off: %+v", st)
}

func appVersions(t *testing.T, s Stores) {
	ctx := context.Background()
	s.Seeder.PutAppVersion(platform.AppVersion{Platform: "IOS", MinimumVersion: "2.0", CurrentVersion: "2.1",
		StoreURL: "https://apps.example/app"})
	s.Seeder.PutAppVersion(platform.AppVersion{Platform: "ANDROID", MinimumVersion: "1.10.0",
		CurrentVersion: "1.12.3", StoreURL: "https://play.example/app"})
	vs, err := s.Store.AppVersions(ctx)
	noErr(t, err)
	want := []platform.AppVersion{
		{Platform: "ANDROID", MinimumVersion: "1.10.0", CurrentVersion: "1.12.3", StoreURL: "https://play.example/app"},
		{Platform: "IOS", MinimumVersion: "2.0", CurrentVersion: "2.1", StoreURL: "https://apps.example/app"},
		{Platform: "WEB", MinimumVersion: "1.0.0", CurrentVersion: "1.0.0"},
	}
	check(t, slices.Equal(vs, want), "versions by platform:\n got %+v\nwant %+v", vs, want)
}

func featureFlags(t *testing.T, s Stores) {
	ctx := context.Background()
	s.Seeder.PutFeatureFlag(platform.FeatureFlag{Key: "zz_last", Enabled: true, Description: "last"})
	s.Seeder.PutFeatureFlag(platform.FeatureFlag{Key: "aa_first", Enabled: false})
	s.Seeder.PutFeatureFlag(platform.FeatureFlag{Key: "pin_sign_in", Enabled: false, Description: "off now"})
	fs, err := s.Store.FeatureFlags(ctx)
	noErr(t, err)
	want := []platform.FeatureFlag{
		{Key: "aa_first"},
		seededFlags[0],
		seededFlags[1],
		{Key: "pin_sign_in", Enabled: false, Description: "off now"},
		{Key: "zz_last", Enabled: true, Description: "last"},
	}
	check(t, slices.Equal(fs, want), "flags by key:\n got %+v\nwant %+v", fs, want)
}

// currentTerms uses kinds the migrations do not publish, so that what the
// first migration seeds does not matter.
func currentTerms(t *testing.T, s Stores) {
	ctx := context.Background()
	const kind, other = "CONTRACT_A", "CONTRACT_B"
	_, err := s.Store.CurrentTerms(ctx, kind, T0)
	check(t, errors.Is(err, ports.ErrNotFound), "no terms of a kind: %v", err)

	v1 := platform.TermsDocument{Kind: kind, Version: "1", Title: "Terms v1", URL: "https://example.com/t/1",
		Body: "first", PublishedAt: T0.Add(-48 * time.Hour)}
	v2 := platform.TermsDocument{Kind: kind, Version: "2", Title: "Terms v2", PublishedAt: T0.Add(-time.Hour)}
	v3 := platform.TermsDocument{Kind: kind, Version: "3", Title: "Terms v3", PublishedAt: T0.Add(time.Hour)}
	for _, d := range []platform.TermsDocument{v3, v1, v2} {
		s.Seeder.PublishTerms(d)
	}
	s.Seeder.PublishTerms(platform.TermsDocument{Kind: other, Version: "9", Title: "Other",
		PublishedAt: T0.Add(-time.Minute)})

	got, err := s.Store.CurrentTerms(ctx, kind, T0.Add(-24*time.Hour))
	noErr(t, err)
	check(t, got.Kind == kind && got.Version == "1" && got.Title == "Terms v1" &&
		got.URL == "https://example.com/t/1" && got.Body == "first" && got.PublishedAt.Equal(v1.PublishedAt),
		"the only one published then: %+v", got)
	got, err = s.Store.CurrentTerms(ctx, kind, T0)
	noErr(t, err)
	check(t, got.Version == "2", "newest published at now: %+v", got)
	got, err = s.Store.CurrentTerms(ctx, kind, v3.PublishedAt)
	noErr(t, err)
	check(t, got.Version == "3", "published exactly at now counts: %+v", got)
	_, err = s.Store.CurrentTerms(ctx, kind, v1.PublishedAt.Add(-time.Microsecond))
	check(t, errors.Is(err, ports.ErrNotFound), "before the first publication: %v", err)

	// Two versions published in the same instant: the greater wins.
	at := T0.Add(2 * time.Hour)
	s.Seeder.PublishTerms(platform.TermsDocument{Kind: kind, Version: "5", Title: "v5", PublishedAt: at})
	s.Seeder.PublishTerms(platform.TermsDocument{Kind: kind, Version: "4", Title: "v4", PublishedAt: at})
	got, err = s.Store.CurrentTerms(ctx, kind, at)
	noErr(t, err)
	check(t, got.Version == "5", "tie on the instant: %+v", got)

	got, err = s.Store.CurrentTerms(ctx, other, T0)
	noErr(t, err)
	check(t, got.Kind == other && got.Version == "9", "another kind: %+v", got)
}

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
