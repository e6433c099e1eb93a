// Package platform serves client configuration: app versions, maintenance,
// feature flags, rules, and terms documents. It owns its model (this
// file) and declares the Store it reads in store.go.
package platform

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"
)

// Config holds the platform module's parameters.
type Config struct {
	// CacheTTL bounds how stale settings may be; every request checks
	// maintenance, so it must not cost a database round trip each time.
	CacheTTL time.Duration
	// MaxStale is how long the last good settings keep answering when the
	// database cannot be read (appConfig and the maintenance gate keep
	// working through a short outage). Zero: no longer than CacheTTL.
	MaxStale time.Duration
	// ForceMaintenance turns maintenance on whatever the database says
	// (for deployments).
	ForceMaintenance   bool
	MaintenanceMessage string
	// OTPLifetime and ResendAfter are reported to clients as rules.
	OTPLifetime    time.Duration
	OTPResendAfter time.Duration
	// Version is the running build's version, shown by serverInfo.
	Version string
}

// AppVersion is the version policy of one client platform.
type AppVersion struct {
	Platform       string // ANDROID, IOS, WEB
	MinimumVersion string
	CurrentVersion string
	StoreURL       string
	// StoreAppID is the app's id in its store (a package name, an App
	// Store id), "" when unset.
	StoreAppID string
}

// FeatureFlag switches a client feature on or off.
type FeatureFlag struct {
	Key         string
	Enabled     bool
	Description string
}

// Settings are global switches and client rules.
type Settings struct {
	Maintenance        bool
	MaintenanceMessage string
	IdleTimeSeconds    int
	// OTPLifetimeSeconds is the code lifetime clients are told; nil: the
	// server's own (Config.OTPLifetime).
	OTPLifetimeSeconds *int
	// AppContents is the clients' layout (menus, home screen) as a JSON
	// object; "{}" when unset.
	AppContents json.RawMessage
	// PushChannels are the push (Firebase) topics clients subscribe to.
	PushChannels []string
	UpdatedAt    time.Time
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

// Platforms clients run on.
var Platforms = []string{"ANDROID", "IOS", "WEB"}

// TermsKind is a kind of terms document. Kinds are data: publishing the
// first version of a kind creates it.
type TermsKind struct {
	Kind string
	// AskUsers: signed-in users are asked to accept its current version.
	AskUsers bool
	// Current is its current version (as CurrentTerms), nil when none is
	// published yet.
	Current *TermsDocument
}

// compareVersions compares dotted numeric versions ("1.10.2" > "1.9");
// missing parts count as 0 and a non-numeric part compares as text.
func compareVersions(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y string
		if i < len(as) {
			x = as[i]
		}
		if i < len(bs) {
			y = bs[i]
		}
		xi, xerr := strconv.Atoi(orZero(x))
		yi, yerr := strconv.Atoi(orZero(y))
		switch {
		case xerr == nil && yerr == nil && xi != yi:
			if xi < yi {
				return -1
			}
			return 1
		case (xerr != nil || yerr != nil) && x != y:
			return strings.Compare(x, y)
		}
	}
	return 0
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}
