// Package identity owns users, their PINs, devices and sessions.
package identity

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// User states and roles.
const (
	StatePending = "PENDING"
	StateActive  = "ACTIVE"
	StateLocked  = "LOCKED"
	StateBanned  = "BANNED"
	StateDeleted = "DELETED"

	RoleMember = "MEMBER"
)

// Ticket purposes.
const ticketPhoneSignup = "PHONE_SIGNUP"

// Ticket is a short-lived, single-use proof that a step was passed (a
// verified phone at sign-up). Only the SHA-256 of its secret is kept.
type Ticket struct {
	ID        uuid.UUID
	Purpose   string
	Subject   string // e.g. the verified phone
	Metadata  map[string]string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

// Config holds the identity rules' parameters.
type Config struct {
	AccessTokenTTL time.Duration
	SessionTTL     time.Duration // absolute lifetime of a session
	RefreshTTL     time.Duration // lifetime of one refresh token
	TicketTTL      time.Duration // sign-up ticket after a verified phone
	PINHistory     int
	PINMaxAttempts int
	PINLockFor     time.Duration // first lockout; doubles on each further one
	PINMaxLock     time.Duration
	// Rate limits per client IP.
	StatusChecksPerMinute int
	SignInsPerMinute      int
	SignupStartsPerHour   int
	PasswordResetsPerHour int
	// PasswordMaxAttempts wrong passwords lock password sign-in like
	// wrong PINs (same lock durations).
	PasswordMaxAttempts int
	// MFA says when a password sign-in needs a second factor: MFANewDevice
	// (a device that does not prove its trust) or MFAAlways. Users with an
	// authenticator app are always asked for its code.
	MFA string
	// Issuer names the service in authenticator apps.
	Issuer string
	// TOTPTriesPer15Min bounds authenticator and recovery codes tried per user
	// (enrolling, disabling, signing in), right or wrong.
	TOTPTriesPer15Min int
	// SessionCacheTTL is how long an instance keeps a verified session
	// (token, session and user snapshot) in memory; 0 turns the cache off.
	// Changes reach every instance's cache at once through the database's
	// notifications; the TTL bounds the rest (SessionCache).
	SessionCacheTTL time.Duration
	// SessionCacheSize bounds the sessions one instance keeps.
	SessionCacheSize int
	// StepUpTTL is how long a session's verifyTotp stands in for an
	// authenticator code before a sensitive action.
	StepUpTTL time.Duration
}

// When a password sign-in asks for a second factor.
const (
	MFANewDevice = "NEW_DEVICE"
	MFAAlways    = "ALWAYS"
)

// DefaultConfig returns the DESIGN.md defaults.
func DefaultConfig() Config {
	return Config{
		AccessTokenTTL: 15 * time.Minute, SessionTTL: 30 * 24 * time.Hour, RefreshTTL: 30 * 24 * time.Hour,
		TicketTTL: 10 * time.Minute, PINHistory: 3, PINMaxAttempts: 5, PINLockFor: 15 * time.Minute,
		PINMaxLock: 24 * time.Hour, StatusChecksPerMinute: 20, SignInsPerMinute: 30, SignupStartsPerHour: 20,
		PasswordResetsPerHour: 20, PasswordMaxAttempts: 5, MFA: MFANewDevice, Issuer: "Gatehouse",
		SessionCacheTTL: 10 * time.Second, SessionCacheSize: 10000,
		TOTPTriesPer15Min: 10, StepUpTTL: 5 * time.Minute,
	}
}

// Username is an email address or a phone number, normalised.
type Username struct {
	Email string
	Phone string
}

// ParseUsername reads an email (it has an @) or an international phone.
func ParseUsername(field, raw string) (Username, error) {
	if strings.Contains(raw, "@") {
		e, err := contact.NormalizeEmail(field, raw)
		return Username{Email: e}, err
	}
	p, err := contact.NormalizePhone(field, raw)
	if err != nil {
		return Username{}, ports.InvalidField(field, "must be an email address or a phone number in international format")
	}
	return Username{Phone: p}, nil
}

// PIN length bounds.
const (
	PINMinLength = 4
	PINMaxLength = 6
)

// weakPINs are common choices that are not repeats or runs: keypad
// columns and well-known years/dates.
var weakPINs = map[string]bool{"2580": true, "0852": true, "1004": true, "2000": true, "1212": true,
	"6969": true, "1313": true, "4444": true, "147258": true, "258369": true, "159753": true}

// ValidatePIN checks a new PIN against the PIN rules: 4–6 digits, no
// repeated digit, no ascending or descending run, no repeating pattern,
// not a well-known weak PIN, not the end of the user's phone number.
// Errors: VALIDATION_FAILED on field.
func ValidatePIN(field, pin, phone string) error {
	if len(pin) < PINMinLength || len(pin) > PINMaxLength {
		return ports.InvalidField(field, fmt.Sprintf("must be %d to %d digits", PINMinLength, PINMaxLength))
	}
	for _, r := range pin {
		if r < '0' || r > '9' {
			return ports.InvalidField(field, "must contain digits only")
		}
	}
	switch {
	case isRun(pin, 0):
		return ports.InvalidField(field, "must not be one digit repeated")
	case isRun(pin, 1) || isRun(pin, -1):
		return ports.InvalidField(field, "must not be a run of consecutive digits")
	case hasPeriod(pin):
		return ports.InvalidField(field, "must not repeat a short pattern")
	case weakPINs[pin]:
		return ports.InvalidField(field, "is too easy to guess")
	case phone != "" && strings.HasSuffix(phone, pin):
		return ports.InvalidField(field, "must not be part of your phone number")
	}
	return nil
}

// isRun reports whether each digit is the previous one plus step.
func isRun(pin string, step int) bool {
	for i := 1; i < len(pin); i++ {
		if int(pin[i])-int(pin[i-1]) != step {
			return false
		}
	}
	return true
}

// hasPeriod reports whether pin is a shorter block repeated (1212, 123123).
func hasPeriod(pin string) bool {
	for p := 1; p <= len(pin)/2; p++ {
		if len(pin)%p != 0 {
			continue
		}
		if strings.Repeat(pin[:p], len(pin)/p) == pin {
			return true
		}
	}
	return false
}

// ValidateDeviceKey checks the client's device identifier.
func ValidateDeviceKey(field, key string) error {
	if key == "" {
		return ports.InvalidField(field, "is required")
	}
	if len(key) > 128 {
		return ports.InvalidField(field, "must be at most 128 characters")
	}
	for _, r := range key {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return ports.InvalidField(field, "must be printable ASCII")
		}
	}
	return nil
}

// personName checks a person's name: cleanName's rules, and no bidi
// controls (textin.NoBidi), so staff see the name that is stored.
func personName(field, s string) (string, error) {
	s, err := cleanName(field, s, maxNameLength)
	if err != nil {
		return "", err
	}
	if err := textin.NoBidi(field, s); err != nil {
		return "", err
	}
	return s, nil
}

// cleanName trims a free-text label and bounds it.
func cleanName(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if len([]rune(s)) > max {
		return "", ports.InvalidField(field, fmt.Sprintf("must be at most %d characters", max))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return "", ports.InvalidField(field, "must not contain control characters")
		}
	}
	return s, nil
}

// UserEventKind says what happened to a user.
type UserEventKind string

const (
	// UserActivated: an account became usable (phone sign-up completed,
	// email confirmed, created by an operator).
	UserActivated UserEventKind = "ACTIVATED"
	// UserPhoneVerified: a phone number was proven and is now User.Phone.
	UserPhoneVerified UserEventKind = "PHONE_VERIFIED"
	// UserEmailVerified: an email address was proven and is now User.Email.
	UserEmailVerified UserEventKind = "EMAIL_VERIFIED"
)

// UserEvent is a change to a user that other modules react to.
type UserEvent struct {
	Kind UserEventKind
	// User is the user as it is after the change.
	User User
}

// UserHook reacts to user events. The identity module calls every hook
// inside the transaction that made the change: a hook's error rolls the
// change back, and what a hook writes commits only with it.
type UserHook interface {
	OnUserEvent(ctx context.Context, e UserEvent) error
}

// The model of users, their devices, credentials and sessions.

// User is a person known to Gatehouse.
type User struct {
	ID    uuid.UUID
	Phone string // E.164, proven by a code; empty when none
	// PendingPhone is a number given at email sign-up and not yet proven;
	// the first SMS code answered on it moves it to Phone.
	PendingPhone string
	// Email is lower-cased. A PENDING user has not confirmed it yet; every
	// other state has.
	Email       string
	Name        string
	ImageURL    string
	CountryCode string // ISO 3166-1 alpha-2
	// Locale is the language the user's messages are written in: a
	// canonical BCP 47 tag (ValidateLocale), "" for the default.
	Locale       string
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
	Locale      string
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

// PINCredential is a user's PIN hash and its lockout state.
type PINCredential struct {
	UserID         uuid.UUID
	Hash           string
	FailedAttempts int
	LockedUntil    *time.Time
	Lockouts       int
	UpdatedAt      time.Time
}

// PINAttempt is one try at a user's PIN (or password), counted before the
// secret is checked.
type PINAttempt struct {
	// Hash is what the PIN must match (empty when Locked).
	Hash string
	// Locked means sign-in is locked until LockedUntil; no try was counted.
	Locked bool
	// Pending, with Locked, means the lock waits on tries being checked
	// (it started with the last allowed one, and a right secret among
	// them lifts it): a try refused so may be made again shortly.
	Pending bool
	// FailedAttempts counts the tries since the last success or lockout,
	// this one included (the maximum when this try started a lockout).
	FailedAttempts int
	// LockedUntil, when not Locked, is set if this was the last allowed try:
	// the lockout has started already and only a right PIN clears it.
	LockedUntil *time.Time
}

// TOTPCredential is a user's authenticator-app secret.
type TOTPCredential struct {
	UserID uuid.UUID
	// SealedSecret is the base32 secret encrypted with a SecretBox.
	SealedSecret []byte
	// ConfirmedAt is nil while the enrollment waits for its first code.
	ConfirmedAt *time.Time
	// LastStep is the last time step whose code was accepted.
	LastStep  int64
	CreatedAt time.Time
}

// Session is a signed-in device; its refresh tokens form one family.
type Session struct {
	ID         uuid.UUID
	UserID     uuid.UUID
	DeviceID   uuid.UUID
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	RevokeNote string
	// MFA is true when the session was opened with a second factor.
	MFA bool
	// SteppedUpUntil is until when the user's last verifyTotp on this
	// session stands in for an authenticator code; nil when never.
	SteppedUpUntil *time.Time
}

// RefreshRotation is the outcome of presenting a refresh token.
type RefreshRotation struct {
	Session Session
	// Reused is true when the token had already been rotated: the family
	// has then been revoked.
	Reused bool
}
