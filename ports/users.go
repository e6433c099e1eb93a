package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// User is a person known to Gatehouse.
type User struct {
	ID           uuid.UUID
	Phone        string // E.164
	State        string // ACTIVE, LOCKED, BANNED
	Role         string // MEMBER, SUPPORT, ..., SUPERADMIN
	Level        int
	ReferralCode string
	FirebaseUID  string
	HasPIN       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
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
	// Create inserts u; a taken phone or referral code is a CONFLICT
	// *Error (Fields names "phone" when the phone is taken).
	Create(ctx context.Context, u User) error
	GetByID(ctx context.Context, id uuid.UUID) (User, error)
	GetByPhone(ctx context.Context, phone string) (User, error)
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
