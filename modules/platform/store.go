package platform

import (
	"context"
	"time"

	"github.com/google/uuid"
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

// Changes writes what staff change. Each method is one statement that
// sets only its own columns, so two staff members changing different
// settings at once never undo each other's change, and the last of two
// changes of the same setting wins whole. A committed change is announced
// to every instance (see Watcher).
type Changes interface {
	// SetClientRules sets the idle time and the OTP lifetime clients are
	// told (nil: the server's).
	SetClientRules(ctx context.Context, idleTimeSeconds int, otpLifetimeSeconds *int, at time.Time) error
	// SetAppContents replaces the clients' layout (a JSON object).
	SetAppContents(ctx context.Context, contents []byte, at time.Time) error
	// SetPushChannels replaces the push channels.
	SetPushChannels(ctx context.Context, channels []string, at time.Time) error
	// SaveAppVersion replaces the versions of v.Platform, a known platform.
	SaveAppVersion(ctx context.Context, v AppVersion, at time.Time) error
	// SaveFeatureFlag inserts or replaces the flag f.Key.
	SaveFeatureFlag(ctx context.Context, f FeatureFlag, at time.Time) error
	// DeleteFeatureFlag removes the flag key, reporting whether there was
	// one.
	DeleteFeatureFlag(ctx context.Context, key string) (bool, error)
	// LockFlags holds off other changes of the flags (not their reads)
	// until the transaction ends, so a count checked under it stays true.
	LockFlags(ctx context.Context) error
}

// Terms keeps the terms kinds, their published versions and who accepted
// which.
type Terms interface {
	// TermsKinds returns every kind with its current version at now (as
	// CurrentTerms), ordered by kind.
	TermsKinds(ctx context.Context, now time.Time) ([]TermsKind, error)
	// TermsVersions returns up to limit versions of kind, the newest
	// publication first (the greater version on a tie).
	TermsVersions(ctx context.Context, kind string, limit int) ([]TermsDocument, error)
	// AddTermsVersion adds the version d of d.Kind, creating the kind (asked
	// of users when askUsers is true, else not) when it is new and setting
	// its ask flag when askUsers is not nil. Errors: CONFLICT (reason
	// TERMS_VERSION_EXISTS) when the kind has that version already.
	AddTermsVersion(ctx context.Context, d TermsDocument, askUsers *bool) error
	// PendingTerms returns the current version (as CurrentTerms, at now)
	// of every kind asked of users that userID has not accepted, by kind.
	PendingTerms(ctx context.Context, userID uuid.UUID, now time.Time) ([]TermsDocument, error)
	// LockKinds holds off other changes of the kinds (not their reads)
	// until the transaction ends, so a count checked under it stays true.
	LockKinds(ctx context.Context) error
	// AcceptTerms records that userID accepted version of kind, keeping
	// the first acceptance; it reports whether this one was new.
	AcceptTerms(ctx context.Context, userID uuid.UUID, kind, version string, at time.Time, ip string) (bool, error)
}

// ChangeID is what a change of the cached settings (settings, versions,
// flags) announces on the shared change channel in place of a user's id
// (the operator migration's triggers send it), as perimeter.ChangeID does
// for the restrictions. No user has this id.
var ChangeID = uuid.MustParse("00000000-0000-0000-0000-0000000000fd")

// Watcher tells an instance of committed changes: the shared listening
// connection (postgres.WatchHub). up says whether it listens; changed
// names a changed user, ChangeID for the platform's settings, uuid.Nil
// for everything.
type Watcher interface {
	Watch(ctx context.Context, up func(bool), changed func(userID uuid.UUID)) error
}
