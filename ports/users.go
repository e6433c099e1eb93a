package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// User is a person known to Gatehouse.
type User struct {
	ID    uuid.UUID
	Phone string // E.164, proven by a code; empty when none
	// PendingPhone is a number given at email sign-up and not yet proven;
	// the first SMS code answered on it moves it to Phone.
	PendingPhone string
	// Email is lower-cased. A PENDING user has not confirmed it yet; every
	// other state has.
	Email        string
	Name         string
	ImageURL     string
	CountryCode  string // ISO 3166-1 alpha-2
	State        string // PENDING, ACTIVE, LOCKED, BANNED, DELETED
	Role         string // MEMBER, SUPPORT, ..., SUPERADMIN
	Level        int
	ReferralCode string
	ReferredBy   *uuid.UUID
	FirebaseUID  string
	HasPIN       bool
	HasPassword  bool
	TOTPEnabled  bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
	DeletedAt    *time.Time
	// LastSignInAt is when a session was last opened; nil when never.
	LastSignInAt *time.Time
}

// ProfileUpdate is what a user may change about themselves directly.
type ProfileUpdate struct {
	Name        string
	ImageURL    string
	CountryCode string
}

// PushRegistration is a device's push-notification token and what the
// client said about itself when registering it.
type PushRegistration struct {
	Token      string
	Platform   string // ANDROID, IOS, WEB
	OS         string
	OSVersion  string
	Model      string
	AppVersion string
	UpdatedAt  time.Time
}

// Device is a client installation a user signed in from.
type Device struct {
	ID        uuid.UUID
	UserID    uuid.UUID
	DeviceKey string // the id the client sends
	Name      string
	Trusted   bool
	// SecretHash is the SHA-256 of the secret the device got when it was
	// last trusted; a trusted sign-in must present that secret.
	SecretHash []byte
	// Push is nil when the device has no push token.
	Push       *PushRegistration
	CreatedAt  time.Time
	LastSeenAt time.Time
}

// TermsAcceptance records that a user accepted a version of a document.
type TermsAcceptance struct {
	UserID     uuid.UUID
	Kind       string
	Version    string
	AcceptedAt time.Time
}

// UserStore keeps users and their devices. It never returns credential
// hashes (see CredentialStore).
type UserStore interface {
	// Create inserts u; a taken phone, email or referral code is a
	// CONFLICT *Error (Fields names "phone" or "email" when taken).
	Create(ctx context.Context, u User) error
	GetByID(ctx context.Context, id uuid.UUID) (User, error)
	// GetByIDs returns the users with the ids that exist, in one statement,
	// in no particular order.
	GetByIDs(ctx context.Context, ids []uuid.UUID) ([]User, error)
	// SetLevel stores the user's verification level (the KYC module
	// computes it from labels; ErrNotFound when no such user).
	SetLevel(ctx context.Context, id uuid.UUID, level int, at time.Time) error
	// Lock holds the user's row until the surrounding transaction ends, so
	// that changes to one user's KYC data (limits counted before an
	// insert, labels and the level computed from them) run one at a time.
	// Take it before the transaction's first write. Inserts that only
	// reference the user are not blocked (FOR NO KEY UPDATE in SQL).
	// ErrNotFound when no such user.
	Lock(ctx context.Context, id uuid.UUID) error
	// GetByPhone finds the user whose proven phone is phone.
	GetByPhone(ctx context.Context, phone string) (User, error)
	// GetByEmail finds the user with email (lower-cased), in any state.
	GetByEmail(ctx context.Context, email string) (User, error)
	// GetByReferralCode finds the user a referral code belongs to.
	GetByReferralCode(ctx context.Context, code string) (User, error)
	// DeletePending removes a PENDING (never confirmed) user holding email,
	// with everything it owns, so a new sign-up can take the address; it
	// reports whether one was removed. Users in other states are untouched.
	DeletePending(ctx context.Context, email string) (bool, error)
	// SetState changes a user's state (ErrNotFound when no such user).
	SetState(ctx context.Context, id uuid.UUID, state string, at time.Time) error
	// SetRole changes a user's role (ErrNotFound when no such user).
	SetRole(ctx context.Context, id uuid.UUID, role string, at time.Time) error
	// UpdateProfile sets the user's name, image and country.
	UpdateProfile(ctx context.Context, id uuid.UUID, p ProfileUpdate, at time.Time) (User, error)
	// SetPhone sets the proven phone (and clears PendingPhone); CONFLICT
	// with Fields["phone"] when another user has it.
	SetPhone(ctx context.Context, id uuid.UUID, phone string, at time.Time) error
	// SetEmail sets the confirmed email; CONFLICT with Fields["email"]
	// when another user has it.
	SetEmail(ctx context.Context, id uuid.UUID, email string, at time.Time) error
	// Scrub erases a user's personal data: contact details, name, image,
	// country, Firebase uid and devices (with their sessions and push
	// tokens); the state becomes DELETED and the row stays so that the
	// audit trail keeps its subject. Credentials are erased separately
	// (CredentialStore.DeleteAll).
	Scrub(ctx context.Context, id uuid.UUID, at time.Time) error
	// SetPush stores (replacing any earlier) the push registration of the
	// user's device deviceID; ErrNotFound when the device is not theirs.
	SetPush(ctx context.Context, userID, deviceID uuid.UUID, p PushRegistration) (Device, error)
	// ClearPush drops the push token of a device (signed out of it).
	ClearPush(ctx context.Context, deviceID uuid.UUID) error
	// UpsertDevice inserts or updates (user, device key), setting name
	// (when not empty), trusted (only upgrades to true), the secret hash
	// (when given: a new trust replaces the old secret and clears the
	// device's wrong-PIN count) and last seen.
	UpsertDevice(ctx context.Context, d Device) (Device, error)
	GetDevice(ctx context.Context, userID uuid.UUID, deviceKey string) (Device, error)
	ListDevices(ctx context.Context, userID uuid.UUID) ([]Device, error)
	// UntrustDevices takes trust, secret and wrong-PIN count from every
	// device of the user but keep (uuid.Nil keeps none); it returns how many
	// lost their trust.
	UntrustDevices(ctx context.Context, userID, keep uuid.UUID) (int, error)
	RecordTermsAcceptance(ctx context.Context, a TermsAcceptance) error
}
