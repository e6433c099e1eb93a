package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/modules/internal/background"
	"github.com/gatehouse/gatehouse/ports"
)

// AppConfig is what a client needs at start.
type AppConfig struct {
	Platform           string
	MinimumVersion     string
	CurrentVersion     string
	StoreURL           string
	UpdateRequired     bool // the client's version is below the minimum
	UpdateAvailable    bool // the client's version is below the current one
	Maintenance        bool
	MaintenanceMessage string
	Features           []FeatureFlag // enabled only
	IdleTimeSeconds    int
	OTPLifetime        time.Duration
	OTPResendAfter     time.Duration
	StoreAppID         string
	// Contents is the clients' layout, a JSON object.
	Contents     json.RawMessage
	PushChannels []string
}

// snapshot is one cached read of everything that changes rarely.
type snapshot struct {
	settings Settings
	versions []AppVersion
	flags    []FeatureFlag
	at       time.Time
}

// Service answers client configuration from a short-lived cache.
type Service struct {
	cfg   Config
	store Store
	clock ports.Clock

	mu   sync.Mutex
	snap *snapshot
	// loading is closed when the read in flight ends (nil: none is).
	loading chan struct{}
	// loadErr is why the last read failed.
	loadErr error
	// gen counts invalidations: a read that began before one is not kept,
	// as it may predate the change that caused it.
	gen uint64

	watch background.Task // the change watcher (Start, Stop)
}

// NewService returns the platform service.
func NewService(cfg Config, store Store, clock ports.Clock) *Service {
	return &Service{cfg: cfg, store: store, clock: clock}
}

// load returns the cached settings, read again once older than CacheTTL.
// One read runs at a time; meanwhile (and when it fails) the last good
// settings answer while they are younger than MaxStale, so an outage of
// the database neither queues every request behind a read that hangs nor
// stops appConfig and the maintenance gate at once.
func (s *Service) load(ctx context.Context) (*snapshot, error) {
	for {
		now := s.clock.Now()
		s.mu.Lock()
		if snap := s.snap; snap != nil && now.Sub(snap.at) < s.cfg.CacheTTL && !now.Before(snap.at) {
			s.mu.Unlock()
			return snap, nil
		}
		if s.loading == nil {
			done := make(chan struct{})
			s.loading = done
			gen := s.gen
			s.mu.Unlock()
			snap, err := s.read(ctx, now)
			s.mu.Lock()
			s.loading, s.loadErr = nil, err
			if err == nil {
				if gen == s.gen {
					s.snap = snap
				}
			} else if usable := s.usable(now); usable != nil {
				snap, err = usable, nil
			}
			close(done)
			s.mu.Unlock()
			return snap, err
		}
		if usable := s.usable(now); usable != nil {
			s.mu.Unlock()
			return usable, nil
		}
		done := s.loading
		s.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		s.mu.Lock()
		snap, err := s.snap, s.loadErr
		s.mu.Unlock()
		if err != nil {
			return nil, err
		}
		if snap != nil {
			return snap, nil
		}
	}
}

// usable is the last good snapshot while it is younger than MaxStale
// (called with mu held).
func (s *Service) usable(now time.Time) *snapshot {
	maxStale := max(s.cfg.MaxStale, s.cfg.CacheTTL)
	if s.snap != nil && now.Sub(s.snap.at) < maxStale && !now.Before(s.snap.at) {
		return s.snap
	}
	return nil
}

func (s *Service) read(ctx context.Context, now time.Time) (*snapshot, error) {
	st, err := s.store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	vs, err := s.store.AppVersions(ctx)
	if err != nil {
		return nil, err
	}
	fs, err := s.store.FeatureFlags(ctx)
	if err != nil {
		return nil, err
	}
	return &snapshot{settings: st, versions: vs, flags: fs, at: now}, nil
}

// Invalidate drops the cache so the next read sees the database.
func (s *Service) Invalidate() {
	s.mu.Lock()
	s.snap = nil
	s.gen++
	s.mu.Unlock()
}

// Maintenance reports whether the service is in maintenance and why.
func (s *Service) Maintenance(ctx context.Context) (bool, string, error) {
	var st Settings
	if !s.cfg.ForceMaintenance { // forced: no need to read the database
		snap, err := s.load(ctx)
		if err != nil {
			return false, "", err
		}
		st = snap.settings
	}
	on, msg := s.maintenance(st)
	return on, msg, nil
}

// maintenance is the state in force: forced by config, else the database's.
func (s *Service) maintenance(st Settings) (bool, string) {
	if s.cfg.ForceMaintenance {
		return true, s.cfg.MaintenanceMessage
	}
	return st.Maintenance, st.MaintenanceMessage
}

// SetMaintenance switches maintenance on or off for every instance (each
// sees it within CacheTTL).
func (s *Service) SetMaintenance(ctx context.Context, on bool, message string) error {
	if len(message) > 500 {
		return ports.InvalidField("message", "must be at most 500 characters")
	}
	if err := s.store.SetMaintenance(ctx, on, message, s.clock.Now()); err != nil {
		return err
	}
	s.Invalidate()
	return nil
}

// AppConfig returns the configuration for platform; clientVersion, when
// given, is compared with the minimum and current versions.
// Errors: VALIDATION_FAILED.
func (s *Service) AppConfig(ctx context.Context, platform, clientVersion string) (AppConfig, error) {
	if !slices.Contains(Platforms, platform) {
		return AppConfig{}, ports.InvalidField("platform", "is not a known platform")
	}
	if len(clientVersion) > 32 {
		return AppConfig{}, ports.InvalidField("version", "must be at most 32 characters")
	}
	snap, err := s.load(ctx)
	if err != nil {
		return AppConfig{}, err
	}
	out := AppConfig{Platform: platform, IdleTimeSeconds: snap.settings.IdleTimeSeconds,
		OTPLifetime: s.cfg.OTPLifetime, OTPResendAfter: s.cfg.OTPResendAfter,
		Contents: snap.settings.AppContents, PushChannels: snap.settings.PushChannels}
	if n := snap.settings.OTPLifetimeSeconds; n != nil {
		out.OTPLifetime = time.Duration(*n) * time.Second
	}
	if len(out.Contents) == 0 {
		out.Contents = json.RawMessage("{}")
	}
	out.Maintenance, out.MaintenanceMessage = s.maintenance(snap.settings)
	for _, v := range snap.versions {
		if v.Platform == platform {
			out.MinimumVersion, out.CurrentVersion, out.StoreURL = v.MinimumVersion, v.CurrentVersion, v.StoreURL
			out.StoreAppID = v.StoreAppID
		}
	}
	if clientVersion != "" {
		out.UpdateRequired = compareVersions(clientVersion, out.MinimumVersion) < 0
		out.UpdateAvailable = compareVersions(clientVersion, out.CurrentVersion) < 0
	}
	for _, f := range snap.flags {
		if f.Enabled {
			out.Features = append(out.Features, f)
		}
	}
	return out, nil
}

// CurrentTerms returns the newest published version of a terms document.
// Errors: VALIDATION_FAILED, NOT_FOUND.
func (s *Service) CurrentTerms(ctx context.Context, kind string) (TermsDocument, error) {
	if err := checkKind("kind", kind); err != nil {
		return TermsDocument{}, err
	}
	doc, err := s.store.CurrentTerms(ctx, kind, s.clock.Now())
	if errors.Is(err, ports.ErrNotFound) {
		return TermsDocument{}, ports.Errorf(ports.CodeNotFound, "no %s terms are published", kind)
	}
	if err != nil {
		return TermsDocument{}, fmt.Errorf("terms %s: %w", kind, err)
	}
	return doc, nil
}

// ServerInfo is the running build's version and the server's clock.
type ServerInfo struct {
	Version string
	Time    time.Time
}

// ServerInfo tells clients what they talk to and what time it is.
func (s *Service) ServerInfo() ServerInfo {
	return ServerInfo{Version: s.cfg.Version, Time: s.clock.Now().UTC()}
}

// ServerOTPLifetime is how long the server honours a one-time code: the
// most the lifetime clients are told may be.
func (s *Service) ServerOTPLifetime() time.Duration { return s.cfg.OTPLifetime }
