package platformtest

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

var (
	_ platform.Store   = (*Store)(nil)
	_ platform.Changes = (*Store)(nil)
	_ platform.Terms   = (*Store)(nil)
)

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
	kinds    map[string]bool // kind: asked of users
	accepted map[acceptance]time.Time

	settingsReads atomic.Int64
}

// NewStore returns a store seeded like a freshly migrated database, but
// without terms.
func NewStore() *Store {
	s := &Store{
		settings: platform.Settings{IdleTimeSeconds: 300, AppContents: []byte("{}"), PushChannels: []string{}},
		versions: map[string]platform.AppVersion{},
		flags:    map[string]platform.FeatureFlag{},
		kinds:    map[string]bool{},
		accepted: map[acceptance]time.Time{},
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
	out := s.settings
	out.AppContents = slices.Clone(out.AppContents)
	out.PushChannels = slices.Clone(out.PushChannels)
	return out, nil
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

// PublishTerms inserts or replaces the document (kind, version), creating
// its kind (not asked of users) when new.
func (s *Store) PublishTerms(d platform.TermsDocument) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.kinds[d.Kind]; !ok {
		s.kinds[d.Kind] = false
	}
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

type acceptance struct {
	user          uuid.UUID
	kind, version string
}

func (s *Store) SetClientRules(ctx context.Context, idle int, otp *int, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.IdleTimeSeconds, s.settings.UpdatedAt = idle, at
	s.settings.OTPLifetimeSeconds = nil
	if otp != nil {
		n := *otp
		s.settings.OTPLifetimeSeconds = &n
	}
	return nil
}

func (s *Store) SetAppContents(ctx context.Context, contents []byte, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.AppContents, s.settings.UpdatedAt = slices.Clone(contents), at
	return nil
}

func (s *Store) SetPushChannels(ctx context.Context, channels []string, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings.PushChannels, s.settings.UpdatedAt = append([]string{}, channels...), at
	return nil
}

func (s *Store) SaveAppVersion(ctx context.Context, v platform.AppVersion, at time.Time) error {
	s.PutAppVersion(v)
	return nil
}

func (s *Store) SaveFeatureFlag(ctx context.Context, f platform.FeatureFlag, at time.Time) error {
	s.PutFeatureFlag(f)
	return nil
}

func (s *Store) DeleteFeatureFlag(ctx context.Context, key string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.flags[key]
	delete(s.flags, key)
	return ok, nil
}

// TermsKinds returns every kind with its current version, by kind.
func (s *Store) TermsKinds(ctx context.Context, now time.Time) ([]platform.TermsKind, error) {
	s.mu.Lock()
	out := []platform.TermsKind{}
	for k, ask := range s.kinds {
		out = append(out, platform.TermsKind{Kind: k, AskUsers: ask})
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b platform.TermsKind) int { return cmp.Compare(a.Kind, b.Kind) })
	for i := range out {
		if d, err := s.CurrentTerms(ctx, out[i].Kind, now); err == nil {
			out[i].Current = &d
		}
	}
	return out, nil
}

// TermsVersions returns up to limit versions of kind, newest first.
func (s *Store) TermsVersions(ctx context.Context, kind string, limit int) ([]platform.TermsDocument, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []platform.TermsDocument{}
	for _, d := range s.terms {
		if d.Kind == kind {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b platform.TermsDocument) int {
		if c := b.PublishedAt.Compare(a.PublishedAt); c != 0 {
			return c
		}
		return cmp.Compare(b.Version, a.Version)
	})
	return out[:min(limit, len(out))], nil
}

// AddTermsVersion adds d, creating its kind when new; CONFLICT when the
// version exists.
func (s *Store) AddTermsVersion(ctx context.Context, d platform.TermsDocument, askUsers *bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range s.terms {
		if o.Kind == d.Kind && o.Version == d.Version {
			return ports.Refusal(ports.CodeConflict, platform.ReasonTermsVersionExists,
				"version %s of the %s terms exists already", d.Version, d.Kind)
		}
	}
	if askUsers != nil {
		s.kinds[d.Kind] = *askUsers
	} else if _, ok := s.kinds[d.Kind]; !ok {
		s.kinds[d.Kind] = false
	}
	s.terms = append(s.terms, d)
	return nil
}

// PendingTerms returns the current version of every asked kind the user
// has not accepted, by kind.
func (s *Store) PendingTerms(ctx context.Context, userID uuid.UUID, now time.Time) ([]platform.TermsDocument, error) {
	kinds, _ := s.TermsKinds(ctx, now)
	out := []platform.TermsDocument{}
	for _, k := range kinds {
		if !k.AskUsers {
			continue
		}
		d, err := s.CurrentTerms(ctx, k.Kind, now)
		if err != nil {
			continue
		}
		s.mu.Lock()
		_, done := s.accepted[acceptance{userID, d.Kind, d.Version}]
		s.mu.Unlock()
		if !done {
			out = append(out, d)
		}
	}
	return out, nil
}

// AcceptTerms keeps the first acceptance of (user, kind, version).
func (s *Store) AcceptTerms(ctx context.Context, userID uuid.UUID, kind, version string, at time.Time, ip string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := acceptance{userID, kind, version}
	if _, ok := s.accepted[a]; ok {
		return false, nil
	}
	s.accepted[a] = at
	return true, nil
}

// NewUser returns a new user's id (the fake keeps no users).
func (s *Store) NewUser() uuid.UUID { return uuid.New() }

// LockFlags is nothing: the fake's callers run one at a time.
func (s *Store) LockFlags(ctx context.Context) error { return nil }

// LockKinds is nothing: the fake's callers run one at a time.
func (s *Store) LockKinds(ctx context.Context) error { return nil }
