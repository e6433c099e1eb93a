// Package platformtest holds the platform module's fake Store and the
// contract suite that the fake and the PostgreSQL adapter both pass, so
// the fake cannot drift from the truth.
package platformtest

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

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
	// PublishTerms inserts or replaces the document (kind, version),
	// creating its kind (not asked of users) when new.
	PublishTerms(d platform.TermsDocument)
	// NewUser adds a user (terms acceptances name one) and returns its id.
	NewUser() uuid.UUID
}

// Stores is a Store and the Seeder of the same data, fresh (as the
// migrations leave it) for each call of the factory.
type Stores struct {
	Store   platform.Store
	Changes platform.Changes
	Terms   platform.Terms
	Seeder  Seeder
	// Tx runs what needs a transaction (the locks).
	Tx ports.TxRunner
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
	t.Run("Changes", func(t *testing.T) { t.Parallel(); changes(t, newStores(t)) })
	t.Run("TermsKinds", func(t *testing.T) { t.Parallel(); termsKinds(t, newStores(t)) })
	t.Run("Acceptances", func(t *testing.T) { t.Parallel(); acceptances(t, newStores(t)) })
	t.Run("Locks", func(t *testing.T) { t.Parallel(); locks(t, newStores(t)) })
}

// locks: the locks are taken inside a transaction, with the writes they
// guard.
func locks(t *testing.T, s Stores) {
	ctx := context.Background()
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.Changes.LockFlags(ctx); err != nil {
			return err
		}
		if err := s.Terms.LockKinds(ctx); err != nil {
			return err
		}
		if err := s.Changes.SaveFeatureFlag(ctx, platform.FeatureFlag{Key: "locked"}, T0); err != nil {
			return err
		}
		return s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "LOCKED", Version: "1", Title: "t", Body: "b",
			PublishedAt: T0}, nil)
	}))
	fs, err := s.Store.FeatureFlags(ctx)
	noErr(t, err)
	check(t, slices.ContainsFunc(fs, func(f platform.FeatureFlag) bool { return f.Key == "locked" }), "flag written: %+v", fs)
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

func changes(t *testing.T, s Stores) {
	ctx := context.Background()
	st, err := s.Store.Settings(ctx)
	noErr(t, err)
	check(t, st.OTPLifetimeSeconds == nil && string(st.AppContents) == "{}" && len(st.PushChannels) == 0 &&
		st.PushChannels != nil, "fresh operator settings: %+v", st)

	otp := 90
	noErr(t, s.Changes.SetClientRules(ctx, 600, &otp, T0))
	noErr(t, s.Changes.SetAppContents(ctx, []byte(`{"home":{"banner":"show","n":[1,2]}}`), T0))
	noErr(t, s.Changes.SetPushChannels(ctx, []string{"prod-all", "prod-promo"}, T0))
	// A later maintenance switch keeps the other columns: each change is
	// its own statement.
	noErr(t, s.Store.SetMaintenance(ctx, true, "soon", T0.Add(time.Second)))
	st, err = s.Store.Settings(ctx)
	noErr(t, err)
	var contents map[string]any
	noErr(t, json.Unmarshal(st.AppContents, &contents))
	home, _ := contents["home"].(map[string]any)
	check(t, st.IdleTimeSeconds == 600 && st.OTPLifetimeSeconds != nil && *st.OTPLifetimeSeconds == 90 &&
		home["banner"] == "show" && slices.Equal(st.PushChannels, []string{"prod-all", "prod-promo"}) &&
		st.Maintenance && st.UpdatedAt.Equal(T0.Add(time.Second)), "changed settings: %+v", st)
	noErr(t, s.Changes.SetClientRules(ctx, 300, nil, T0))
	noErr(t, s.Changes.SetPushChannels(ctx, nil, T0))
	st, err = s.Store.Settings(ctx)
	noErr(t, err)
	check(t, st.OTPLifetimeSeconds == nil && st.IdleTimeSeconds == 300 && len(st.PushChannels) == 0,
		"rules back to the server's: %+v", st)

	v := platform.AppVersion{Platform: "ANDROID", MinimumVersion: "2.0.0", CurrentVersion: "2.3.1",
		StoreURL: "https://play.example/w", StoreAppID: "com.example.wallet"}
	noErr(t, s.Changes.SaveAppVersion(ctx, v, T0))
	vs, err := s.Store.AppVersions(ctx)
	noErr(t, err)
	check(t, len(vs) == 3 && vs[0] == v && vs[1].Platform == "IOS" && vs[1].MinimumVersion == "1.0.0",
		"saved version: %+v", vs)

	noErr(t, s.Changes.SaveFeatureFlag(ctx, platform.FeatureFlag{Key: "send_money", Enabled: true, Description: "Send"}, T0))
	noErr(t, s.Changes.SaveFeatureFlag(ctx, platform.FeatureFlag{Key: "pin_sign_in", Enabled: false}, T0))
	fs, err := s.Store.FeatureFlags(ctx)
	noErr(t, err)
	want := []platform.FeatureFlag{seededFlags[0], seededFlags[1], {Key: "pin_sign_in"},
		{Key: "send_money", Enabled: true, Description: "Send"}}
	check(t, slices.Equal(fs, want), "saved flags:\n got %+v\nwant %+v", fs, want)
	ok, err := s.Changes.DeleteFeatureFlag(ctx, "send_money")
	noErr(t, err)
	check(t, ok, "delete an existing flag")
	ok, err = s.Changes.DeleteFeatureFlag(ctx, "send_money")
	noErr(t, err)
	check(t, !ok, "delete it again")
	fs, err = s.Store.FeatureFlags(ctx)
	noErr(t, err)
	check(t, len(fs) == 3, "flags after delete: %+v", fs)
}

// termsKinds uses kinds the migrations do not create.
func termsKinds(t *testing.T, s Stores) {
	ctx := context.Background()
	yes, no := true, false
	d1 := platform.TermsDocument{Kind: "KONNECT_A", Version: "1", Title: "Konnect", URL: "https://example.com/k/1",
		Body: "text", PublishedAt: T0}
	noErr(t, s.Terms.AddTermsVersion(ctx, d1, nil))
	kinds, err := s.Terms.TermsKinds(ctx, T0.Add(time.Hour))
	noErr(t, err)
	i := slices.IndexFunc(kinds, func(k platform.TermsKind) bool { return k.Kind == "KONNECT_A" })
	check(t, i >= 0 && !kinds[i].AskUsers, "a new kind, not asked: %+v", kinds)
	check(t, slices.IsSortedFunc(kinds, func(a, b platform.TermsKind) int { return strings.Compare(a.Kind, b.Kind) }),
		"kinds by name: %+v", kinds)

	err = s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "KONNECT_A", Version: "1", Title: "again",
		Body: "x", PublishedAt: T0.Add(time.Hour)}, &yes)
	check(t, ports.ErrorCodeOf(err) == ports.CodeConflict, "the same version again: %v", err)
	kinds, err = s.Terms.TermsKinds(ctx, T0.Add(time.Hour))
	noErr(t, err)
	i = slices.IndexFunc(kinds, func(k platform.TermsKind) bool { return k.Kind == "KONNECT_A" })
	check(t, !kinds[i].AskUsers, "a refused version leaves the kind: %+v", kinds[i])

	d2 := platform.TermsDocument{Kind: "KONNECT_A", Version: "2", Title: "Konnect 2", Body: "more", PublishedAt: T0.Add(time.Hour)}
	noErr(t, s.Terms.AddTermsVersion(ctx, d2, &yes))
	got, err := s.Store.CurrentTerms(ctx, "KONNECT_A", T0.Add(time.Hour))
	noErr(t, err)
	check(t, sameDoc(got, d2), "the published version is current: %+v", got)
	vs, err := s.Terms.TermsVersions(ctx, "KONNECT_A", 10)
	noErr(t, err)
	check(t, len(vs) == 2 && sameDoc(vs[0], d2) && sameDoc(vs[1], d1), "versions newest first: %+v", vs)
	vs, err = s.Terms.TermsVersions(ctx, "KONNECT_A", 1)
	noErr(t, err)
	check(t, len(vs) == 1 && sameDoc(vs[0], d2), "limited: %+v", vs)
	kinds, err = s.Terms.TermsKinds(ctx, T0.Add(time.Hour))
	noErr(t, err)
	i = slices.IndexFunc(kinds, func(k platform.TermsKind) bool { return k.Kind == "KONNECT_A" })
	check(t, kinds[i].AskUsers, "asked now: %+v", kinds[i])
	check(t, kinds[i].Current != nil && sameDoc(*kinds[i].Current, d2), "with its current version: %+v", kinds[i].Current)
	noErr(t, s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "KONNECT_A", Version: "3", Title: "t",
		Body: "b", PublishedAt: T0.Add(2 * time.Hour)}, &no))
	kinds, err = s.Terms.TermsKinds(ctx, T0.Add(time.Hour))
	noErr(t, err)
	i = slices.IndexFunc(kinds, func(k platform.TermsKind) bool { return k.Kind == "KONNECT_A" })
	check(t, !kinds[i].AskUsers, "not asked any more: %+v", kinds[i])
}

func acceptances(t *testing.T, s Stores) {
	ctx := context.Background()
	yes := true
	user, other := s.Seeder.NewUser(), s.Seeder.NewUser()
	pendingOf := func(u uuid.UUID, at time.Time) []string {
		t.Helper()
		ds, err := s.Terms.PendingTerms(ctx, u, at)
		noErr(t, err)
		var out []string
		for _, d := range ds {
			if strings.HasPrefix(d.Kind, "ASK_") {
				out = append(out, d.Kind+"/"+d.Version)
			}
		}
		return out
	}
	noErr(t, s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "ASK_B", Version: "1", Title: "B", Body: "b",
		PublishedAt: T0}, &yes))
	noErr(t, s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "ASK_A", Version: "1", Title: "A", Body: "a",
		PublishedAt: T0}, &yes))
	noErr(t, s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "ASK_NOT", Version: "1", Title: "N", Body: "n",
		PublishedAt: T0}, nil))
	noErr(t, s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "ASK_LATER", Version: "1", Title: "L", Body: "l",
		PublishedAt: T0.Add(time.Hour)}, &yes))
	check(t, slices.Equal(pendingOf(user, T0), []string{"ASK_A/1", "ASK_B/1"}), "pending, by kind: %v", pendingOf(user, T0))

	fresh, err := s.Terms.AcceptTerms(ctx, user, "ASK_A", "1", T0, "192.0.2.1")
	noErr(t, err)
	check(t, fresh, "a first acceptance")
	fresh, err = s.Terms.AcceptTerms(ctx, user, "ASK_A", "1", T0.Add(time.Minute), "192.0.2.1")
	noErr(t, err)
	check(t, !fresh, "accepting again")
	check(t, slices.Equal(pendingOf(user, T0), []string{"ASK_B/1"}), "after accepting A: %v", pendingOf(user, T0))
	check(t, slices.Equal(pendingOf(other, T0), []string{"ASK_A/1", "ASK_B/1"}), "another user: %v", pendingOf(other, T0))
	check(t, slices.Equal(pendingOf(user, T0.Add(time.Hour)), []string{"ASK_B/1", "ASK_LATER/1"}),
		"once published: %v", pendingOf(user, T0.Add(time.Hour)))

	// A new version is asked again.
	noErr(t, s.Terms.AddTermsVersion(ctx, platform.TermsDocument{Kind: "ASK_A", Version: "2", Title: "A2", Body: "a",
		PublishedAt: T0.Add(time.Minute)}, nil))
	check(t, slices.Equal(pendingOf(user, T0.Add(time.Minute)), []string{"ASK_A/2", "ASK_B/1"}),
		"a new version: %v", pendingOf(user, T0.Add(time.Minute)))
}

// sameDoc compares documents, their instants as instants.
func sameDoc(a, b platform.TermsDocument) bool {
	a.PublishedAt, b.PublishedAt = a.PublishedAt.UTC(), b.PublishedAt.UTC()
	return a == b
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
