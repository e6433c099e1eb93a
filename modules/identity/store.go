package identity

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// The stores below are what identity needs of its records, each named for
// one concern (adapters/postgres's UserStore, CredentialStore,
// SessionStore and TicketStore satisfy them, as do the fakes). Reads of a
// missing row return ports.ErrNotFound.

// Users creates users and finds them by what a client gives.
type Users interface {
	// Create inserts u; a taken phone, email or referral code is a
	// CONFLICT *Error (Fields names "phone" or "email" when taken).
	Create(ctx context.Context, u User) error
	GetByID(ctx context.Context, id uuid.UUID) (User, error)
	// GetByIDs returns the users with the ids that exist, in one
	// statement, in no particular order (the users behind a page of rows).
	GetByIDs(ctx context.Context, ids []uuid.UUID) ([]User, error)
	// GetByPhone finds the user whose proven phone is phone.
	GetByPhone(ctx context.Context, phone string) (User, error)
	// GetByEmail finds the user with email (lower-cased), in any state.
	GetByEmail(ctx context.Context, email string) (User, error)
	// GetByReferralCode finds the user a referral code belongs to.
	GetByReferralCode(ctx context.Context, code string) (User, error)
	// DeletePending removes a PENDING (never confirmed) user holding email,
	// with everything it owns, and reports whether one was removed.
	DeletePending(ctx context.Context, email string) (bool, error)
}

// UserChanges changes a user's state, contacts and profile.
type UserChanges interface {
	// SetState changes a user's state (ErrNotFound when no such user).
	SetState(ctx context.Context, id uuid.UUID, state string, at time.Time) error
	// UpdateProfile sets the user's name, image and country.
	UpdateProfile(ctx context.Context, id uuid.UUID, p ProfileUpdate, at time.Time) (User, error)
	// SetPhone sets the proven phone (and clears PendingPhone); CONFLICT
	// with Fields["phone"] when another user has it.
	SetPhone(ctx context.Context, id uuid.UUID, phone string, at time.Time) error
	// SetEmail sets the confirmed email; CONFLICT with Fields["email"]
	// when another user has it.
	SetEmail(ctx context.Context, id uuid.UUID, email string, at time.Time) error
	// Scrub erases a user's personal data and devices; the state becomes
	// DELETED (credentials are erased by CredentialEraser).
	Scrub(ctx context.Context, id uuid.UUID, at time.Time) error
	RecordTermsAcceptance(ctx context.Context, a TermsAcceptance) error
}

// Devices keeps the devices users sign in from, their trust and push
// tokens.
type Devices interface {
	// UpsertDevice inserts or updates (user, device key), setting name
	// (when not empty), trusted (only upgrades to true), the secret hash
	// (when given: a new trust replaces the old secret and clears the
	// device's wrong-PIN count) and last seen.
	UpsertDevice(ctx context.Context, d Device) (Device, error)
	GetDevice(ctx context.Context, userID uuid.UUID, deviceKey string) (Device, error)
	// ListDevices returns the user's devices, last seen first (ties by
	// id), at most 100.
	ListDevices(ctx context.Context, userID uuid.UUID) ([]Device, error)
	// DevicesByUsers is ListDevices for many users in one statement, the
	// rows grouped by user.
	DevicesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]Device, error)
	// UntrustDevices takes trust, secret and wrong-PIN count from every
	// device of the user but keep (uuid.Nil keeps none); it returns how
	// many lost their trust.
	UntrustDevices(ctx context.Context, userID, keep uuid.UUID) (int, error)
	// SetPush stores (replacing any earlier) the push registration of the
	// user's device deviceID; ErrNotFound when the device is not theirs.
	SetPush(ctx context.Context, userID, deviceID uuid.UUID, p PushRegistration) (Device, error)
	// ClearPush drops the push token of a device (signed out of it).
	ClearPush(ctx context.Context, deviceID uuid.UUID) error
}

// PINs keeps PIN hashes, their history and their lockouts.
type PINs interface {
	// CreatePIN stores a user's first PIN and starts the history; CONFLICT
	// when the user has one already.
	CreatePIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// SetPIN stores a new hash, resets the lockout, and appends the hash
	// to the history.
	SetPIN(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// RecentPINHashes returns the user's last n PIN hashes, newest first.
	RecentPINHashes(ctx context.Context, userID uuid.UUID, n int) ([]string, error)
	// ReservePINAttempt counts a try before the PIN is checked, in one
	// statement, so concurrent tries can never check more than maxAttempts
	// PINs per lockout. The try that reaches maxAttempts starts the lockout
	// at once (until at+lockFor*2^lockouts, capped at maxLock), pending on
	// the tries in flight: ConfirmPINLock after a wrong PIN makes it a
	// lockout, ResetPINFailures after a right one lifts it. Under a lockout
	// nothing is counted and Locked is set (with Pending while it waits).
	// Tries are counted per scope: deviceID is a trusted device that proved
	// itself (its own count), uuid.Nil everything else (the account's count).
	// ErrNotFound when the user has no PIN (or no such device).
	ReservePINAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) (PINAttempt, error)
	// ResetPINFailures clears a scope's counter and lockout after a right PIN.
	ResetPINFailures(ctx context.Context, userID, deviceID uuid.UUID) error
	// ConfirmPINLock, after a wrong PIN tried at at, turns the scope's
	// pending lock (if any) into a lockout.
	ConfirmPINLock(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) error
}

// Passwords keeps password hashes and their lockouts.
type Passwords interface {
	// SetPassword stores a user's password hash (first or new) and clears
	// its lockout.
	SetPassword(ctx context.Context, userID uuid.UUID, hash string, at time.Time) error
	// ReservePasswordAttempt is ReservePINAttempt for the password.
	ReservePasswordAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time, maxAttempts int, lockFor, maxLock time.Duration) (PINAttempt, error)
	// ResetPasswordFailures clears a scope's password counter and lockout.
	ResetPasswordFailures(ctx context.Context, userID, deviceID uuid.UUID) error
	// ConfirmPasswordLock is ConfirmPINLock for the password.
	ConfirmPasswordLock(ctx context.Context, userID, deviceID uuid.UUID, at time.Time) error
}

// TOTPs keeps authenticator-app secrets and recovery codes.
type TOTPs interface {
	// GetTOTP returns the user's TOTP credential, enrolled or pending.
	GetTOTP(ctx context.Context, userID uuid.UUID) (TOTPCredential, error)
	// PutPendingTOTP stores a new, unconfirmed secret (sealed); CONFLICT
	// when TOTP is already enabled.
	PutPendingTOTP(ctx context.Context, userID uuid.UUID, sealedSecret []byte, at time.Time) error
	// ConfirmTOTP enables the pending secret, records step as used, and
	// replaces the user's recovery codes with these digests.
	ConfirmTOTP(ctx context.Context, userID uuid.UUID, step int64, recoveryDigests [][]byte, at time.Time) error
	// UseTOTPStep records step as the last one accepted, only if it is
	// later than the last one: false otherwise.
	UseTOTPStep(ctx context.Context, userID uuid.UUID, step int64) (bool, error)
	// DeleteTOTP removes the TOTP credential and the recovery codes.
	DeleteTOTP(ctx context.Context, userID uuid.UUID) error
	// UseRecoveryCode spends the unused recovery code with this digest;
	// false when there is none.
	UseRecoveryCode(ctx context.Context, userID uuid.UUID, digest []byte, at time.Time) (bool, error)
}

// CredentialEraser erases every credential of a user (account deletion).
type CredentialEraser interface {
	// DeleteAll erases the PIN and its history, password, TOTP and
	// recovery codes.
	DeleteAll(ctx context.Context, userID uuid.UUID) error
}

// Sessions keeps sessions and refresh-token hashes.
type Sessions interface {
	Create(ctx context.Context, s Session, refreshHash []byte, refreshExpires time.Time) error
	Get(ctx context.Context, id uuid.UUID) (Session, error)
	// ListLive returns the user's live sessions, most recently used first.
	ListLive(ctx context.Context, userID uuid.UUID, now time.Time) ([]Session, error)
	// Rotate marks the token with oldHash used and stores newHash in the
	// same family; a token used before revokes the family (Reused).
	Rotate(ctx context.Context, oldHash, newHash []byte, at, newExpires time.Time) (RefreshRotation, error)
	Revoke(ctx context.Context, id uuid.UUID, at time.Time, note string) error
	// RevokeAllForUser revokes every live session of the user except keep
	// (uuid.Nil keeps none) and returns how many it revoked.
	RevokeAllForUser(ctx context.Context, userID uuid.UUID, keep uuid.UUID, at time.Time, note string) (int, error)
	// StepUp sets the session's SteppedUpUntil; ErrNotFound when id is not
	// a session of userID that is still open.
	StepUp(ctx context.Context, id, userID uuid.UUID, until time.Time) error
	// SpendStepUp clears the session's step-up if it is still open, of
	// userID, and stepped up until after now, and reports whether it did:
	// of parallel calls exactly one gets true.
	SpendStepUp(ctx context.Context, id, userID uuid.UUID, now time.Time) (bool, error)
}

// Tickets keeps single-use proofs that a step was passed, by the hash of
// their secret.
type Tickets interface {
	// Create stores t; CONFLICT when its id or secret hash is taken.
	Create(ctx context.Context, t Ticket, secretHash []byte) error
	// Find returns an unused ticket without using it, so a caller can
	// refuse a bad ticket before doing costly work; ErrNotFound when
	// unknown, used or of another purpose.
	Find(ctx context.Context, secretHash []byte, purpose string) (Ticket, error)
	// Use marks the ticket used if it is unused, inside the caller's
	// transaction; ErrNotFound when unknown, used or of another purpose.
	// It returns the ticket as it was, so the caller can check expiry.
	Use(ctx context.Context, secretHash []byte, purpose string, at time.Time) (Ticket, error)
}

// SessionReads reads what a request's token stands for.
type SessionReads interface {
	// SessionWithUser returns the session and the user it belongs to in
	// one round trip (the cold path of every authenticated request);
	// ErrNotFound when there is no such session.
	SessionWithUser(ctx context.Context, sessionID uuid.UUID) (Session, User, error)
}

// SessionWatcher tells an instance, as soon as they commit, of the
// changes that may end a cached session or alter its user's snapshot:
// sign-outs and revocations, a user's state, role or profile, credentials
// set or removed (adapters/postgres announces them from triggers, in the
// changing transaction).
type SessionWatcher interface {
	// Watch calls up(true) once it listens and up(false) as soon as it
	// stops listening or cannot tell that it still does (an error, a
	// connection that no longer answers), then tries again until ctx
	// ends. In between, changed(userID) is called for each committed
	// change of that user's sessions or records; uuid.Nil means every
	// user. Calls come from one goroutine, in order.
	Watch(ctx context.Context, up func(bool), changed func(userID uuid.UUID)) error
}
