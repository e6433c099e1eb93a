package platform_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/modules/platform/platformtest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

const cacheTTL = 30 * time.Second

type env struct {
	clock *clock.Manual
	store *platformtest.Store
	svc   *platform.Service
}

func newEnv(t *testing.T, tweak ...func(*platform.Config)) *env {
	t.Helper()
	cfg := platform.Config{CacheTTL: cacheTTL, OTPLifetime: 2 * time.Minute, OTPResendAfter: time.Minute}
	for _, f := range tweak {
		f(&cfg)
	}
	e := &env{clock: clock.NewManual(t0), store: platformtest.NewStore()}
	e.store.PutAppVersion(platform.AppVersion{Platform: "ANDROID", MinimumVersion: "1.10.0", CurrentVersion: "1.12.3",
		StoreURL: "https://play.example/app"})
	e.store.PutAppVersion(platform.AppVersion{Platform: "IOS", MinimumVersion: "2.0", CurrentVersion: "2.1",
		StoreURL: "https://apps.example/app"})
	e.store.PutAppVersion(platform.AppVersion{Platform: "WEB", MinimumVersion: "1.0.0", CurrentVersion: "1.0.0"})
	e.svc = platform.NewService(cfg, e.store, e.clock)
	return e
}

func TestAppConfigVersions(t *testing.T) {
	tests := []struct {
		platform, version           string
		wantRequired, wantAvailable bool
		wantMin, wantCurrent, url   string
	}{
		{"ANDROID", "1.9.0", true, true, "1.10.0", "1.12.3", "https://play.example/app"},
		{"ANDROID", "1.9.9", true, true, "1.10.0", "1.12.3", "https://play.example/app"},
		{"ANDROID", "1.10.0", false, true, "1.10.0", "1.12.3", "https://play.example/app"},
		{"ANDROID", "1.10", false, true, "1.10.0", "1.12.3", "https://play.example/app"},
		{"ANDROID", "1.12.3", false, false, "1.10.0", "1.12.3", "https://play.example/app"},
		{"ANDROID", "1.13.0", false, false, "1.10.0", "1.12.3", "https://play.example/app"},
		{"ANDROID", "", false, false, "1.10.0", "1.12.3", "https://play.example/app"},
		{"IOS", "1.99", true, true, "2.0", "2.1", "https://apps.example/app"},
		{"IOS", "2.0.5", false, true, "2.0", "2.1", "https://apps.example/app"},
		{"IOS", "2.1.0", false, false, "2.0", "2.1", "https://apps.example/app"},
		{"WEB", "0.9.0", true, true, "1.0.0", "1.0.0", ""},
		{"WEB", "1.0.0", false, false, "1.0.0", "1.0.0", ""},
	}
	e := newEnv(t)
	for _, tc := range tests {
		t.Run(tc.platform+"@"+tc.version, func(t *testing.T) {
			got, err := e.svc.AppConfig(context.Background(), tc.platform, tc.version)
			require.NoError(t, err)
			assert.Equal(t, tc.platform, got.Platform)
			assert.Equal(t, tc.wantRequired, got.UpdateRequired, "updateRequired")
			assert.Equal(t, tc.wantAvailable, got.UpdateAvailable, "updateAvailable")
			assert.Equal(t, tc.wantMin, got.MinimumVersion)
			assert.Equal(t, tc.wantCurrent, got.CurrentVersion)
			assert.Equal(t, tc.url, got.StoreURL)
			assert.Equal(t, 300, got.IdleTimeSeconds)
			assert.Equal(t, 2*time.Minute, got.OTPLifetime)
			assert.Equal(t, time.Minute, got.OTPResendAfter)
		})
	}
}

func TestAppConfigRefusesBadInput(t *testing.T) {
	tests := []struct {
		name, platform, version, field string
	}{
		{"unknown platform", "BLACKBERRY", "1.0", "platform"},
		{"lower case", "android", "1.0", "platform"},
		{"empty platform", "", "", "platform"},
		{"version too long", "ANDROID", strings.Repeat("1.", 17), "version"},
	}
	e := newEnv(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := e.svc.AppConfig(context.Background(), tc.platform, tc.version)
			errtest.Code(t, err, ports.CodeValidationFailed)
			assert.Contains(t, errtest.Fields(t, err), tc.field)
		})
	}
}

func TestAppConfigReturnsOnlyEnabledFlags(t *testing.T) {
	e := newEnv(t)
	e.store.PutFeatureFlag(platform.FeatureFlag{Key: "aa_new", Enabled: true, Description: "new"})
	e.store.PutFeatureFlag(platform.FeatureFlag{Key: "zz_off", Enabled: false})
	got, err := e.svc.AppConfig(context.Background(), "WEB", "")
	require.NoError(t, err)
	var keys []string
	for _, f := range got.Features {
		assert.True(t, f.Enabled)
		keys = append(keys, f.Key)
	}
	assert.Equal(t, []string{"aa_new", "phone_signup", "pin_sign_in"}, keys)
}

func TestMaintenance(t *testing.T) {
	tests := []struct {
		name        string
		force       bool
		storeOn     bool
		wantOn      bool
		wantMessage string
	}{
		{"off", false, false, false, ""},
		{"from the store", false, true, true, "back soon"},
		{"forced by config", true, false, true, "deploying"},
		{"forced wins over the store message", true, true, true, "deploying"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(c *platform.Config) {
				c.ForceMaintenance, c.MaintenanceMessage = tc.force, "deploying"
			})
			e.store.PutSettings(platform.Settings{Maintenance: tc.storeOn, MaintenanceMessage: "back soon",
				IdleTimeSeconds: 120})
			if !tc.storeOn {
				e.store.PutSettings(platform.Settings{IdleTimeSeconds: 120})
			}
			on, msg, err := e.svc.Maintenance(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tc.wantOn, on)
			assert.Equal(t, tc.wantMessage, msg)

			cfg, err := e.svc.AppConfig(context.Background(), "IOS", "")
			require.NoError(t, err)
			assert.Equal(t, tc.wantOn, cfg.Maintenance)
			assert.Equal(t, tc.wantMessage, cfg.MaintenanceMessage)
			assert.Equal(t, 120, cfg.IdleTimeSeconds)
		})
	}
}

func TestCacheHonouredWithinTTLAndRefreshedAfter(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	on, _, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	require.False(t, on)
	reads := e.store.SettingsReads()

	// Another instance switches maintenance on in the database.
	e.store.PutSettings(platform.Settings{Maintenance: true, MaintenanceMessage: "elsewhere"})
	e.store.PutAppVersion(platform.AppVersion{Platform: "WEB", MinimumVersion: "3.0", CurrentVersion: "3.0"})

	e.clock.Advance(cacheTTL - time.Second)
	on, _, err = e.svc.Maintenance(ctx)
	require.NoError(t, err)
	assert.False(t, on, "within the TTL the cached value is served")
	cfg, err := e.svc.AppConfig(ctx, "WEB", "1.0.0")
	require.NoError(t, err)
	assert.False(t, cfg.UpdateRequired)
	assert.Equal(t, reads, e.store.SettingsReads(), "no store read within the TTL")

	e.clock.Advance(time.Second)
	on, msg, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	assert.True(t, on, "refreshed once the TTL has passed")
	assert.Equal(t, "elsewhere", msg)
	cfg, err = e.svc.AppConfig(ctx, "WEB", "1.0.0")
	require.NoError(t, err)
	assert.True(t, cfg.UpdateRequired)
	assert.Equal(t, reads+1, e.store.SettingsReads())
}

func TestCacheRefreshedWhenClockGoesBack(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, _, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	e.store.PutSettings(platform.Settings{Maintenance: true})
	e.clock.Set(t0.Add(-time.Second))
	on, _, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	assert.True(t, on)
}

func TestInvalidateIsVisibleAtOnce(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, _, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	e.store.PutSettings(platform.Settings{Maintenance: true, MaintenanceMessage: "now"})
	e.svc.Invalidate()
	on, msg, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	assert.True(t, on)
	assert.Equal(t, "now", msg)
}

func TestSetMaintenance(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	_, _, err := e.svc.Maintenance(ctx) // warm the cache
	require.NoError(t, err)

	e.clock.Advance(time.Second)
	require.NoError(t, e.svc.SetMaintenance(ctx, true, "upgrading"))
	on, msg, err := e.svc.Maintenance(ctx)
	require.NoError(t, err)
	assert.True(t, on, "visible at once on this instance")
	assert.Equal(t, "upgrading", msg)
	st, err := e.store.Settings(ctx)
	require.NoError(t, err)
	assert.True(t, st.Maintenance, "written to the store for other instances")
	assert.Equal(t, t0.Add(time.Second), st.UpdatedAt)

	require.NoError(t, e.svc.SetMaintenance(ctx, false, ""))
	on, _, err = e.svc.Maintenance(ctx)
	require.NoError(t, err)
	assert.False(t, on)

	err = e.svc.SetMaintenance(ctx, true, strings.Repeat("x", 501))
	errtest.Code(t, err, ports.CodeValidationFailed)
	assert.Contains(t, errtest.Fields(t, err), "message")
	on, _, _ = e.svc.Maintenance(ctx)
	assert.False(t, on, "a refused change changes nothing")
	assert.NoError(t, e.svc.SetMaintenance(ctx, true, strings.Repeat("x", 500)))
}

func TestCurrentTerms(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.store.PublishTerms(platform.TermsDocument{Kind: "GENERAL", Version: "1", Title: "Terms v1", PublishedAt: t0.Add(-48 * time.Hour)})
	e.store.PublishTerms(platform.TermsDocument{Kind: "GENERAL", Version: "2", Title: "Terms v2", PublishedAt: t0.Add(-time.Hour)})
	e.store.PublishTerms(platform.TermsDocument{Kind: "GENERAL", Version: "3", Title: "Terms v3", PublishedAt: t0.Add(time.Hour)})

	tests := []struct {
		name, kind  string
		wantCode    ports.ErrorCode
		wantVersion string
	}{
		{"newest published", "GENERAL", "", "2"},
		{"none published", "PRIVACY", ports.CodeNotFound, ""},
		// Kinds are data: a well-formed kind nobody published is not there.
		{"unpublished kind", "COOKIES", ports.CodeNotFound, ""},
		{"malformed kind", "GENERAL TERMS", ports.CodeValidationFailed, ""},
		{"lower case kind", "general", ports.CodeValidationFailed, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := e.svc.CurrentTerms(ctx, tc.kind)
			if tc.wantCode != "" {
				errtest.Code(t, err, tc.wantCode)
				if tc.wantCode == ports.CodeValidationFailed {
					assert.Contains(t, errtest.Fields(t, err), "kind")
				}
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantVersion, doc.Version)
			assert.Equal(t, "GENERAL", doc.Kind)
		})
	}

	e.clock.Advance(time.Hour)
	doc, err := e.svc.CurrentTerms(ctx, "GENERAL")
	require.NoError(t, err)
	assert.Equal(t, "3", doc.Version, "terms are read at the service's clock, not cached")
}
