package ports

import (
	"context"
	"time"

	"github.com/google/uuid"
)

// OTPPurpose says what a one-time code proves.
type OTPPurpose string

const (
	PurposeSignup          OTPPurpose = "SIGNUP"
	PurposeSignInNewDevice OTPPurpose = "SIGN_IN_NEW_DEVICE"
	PurposePinSetup        OTPPurpose = "PIN_SETUP"
	PurposeEmailSignup     OTPPurpose = "EMAIL_SIGNUP"
	PurposeSignInMFA       OTPPurpose = "SIGN_IN_MFA"
	PurposePasswordReset   OTPPurpose = "PASSWORD_RESET"
	PurposeContactChange   OTPPurpose = "CONTACT_CHANGE"
	PurposePhoneAdd        OTPPurpose = "PHONE_ADD"
	PurposePINReset        OTPPurpose = "PIN_RESET"
)

// OTPChannel says how the code reaches its owner.
type OTPChannel string

const (
	ChannelSMS   OTPChannel = "SMS"
	ChannelEmail OTPChannel = "EMAIL"
	// ChannelTOTP challenges send nothing: the code comes from the user's
	// authenticator app and the caller checks it (VerifyRequest.AppCheck).
	ChannelTOTP OTPChannel = "TOTP"
)

// MetaDecoy marks a challenge that sends nothing and can never be
// answered, so that a flow answers alike whether or not an account exists.
const MetaDecoy = "decoy"

// SendBudget says whose hourly budget of codes a send spends, so that
// strangers cannot spend the owner's.
type SendBudget string

const (
	// BudgetClient (the default) is the strangers' budget: so many codes
	// per destination and hour for all clients together, and so many in all
	// per hour for the client that asked (its IPv4 address or IPv6 /64).
	// Every code asked without a proof of ownership is charged here, so
	// strangers, however many, spend only the strangers' budget.
	BudgetClient SendBudget = "CLIENT"
	// BudgetOwner charges the destination's owner: codes to a proven
	// contact after a right secret (PIN, password), or asked from a trusted
	// device that proved its trust.
	BudgetOwner SendBudget = "OWNER"
)

// Challenge is one code sent to one destination for one purpose.
type Challenge struct {
	ID          uuid.UUID
	Purpose     OTPPurpose
	Channel     OTPChannel
	Destination string // E.164 phone, email, or the account for TOTP
	CodeMAC     []byte // HMAC-SHA256 of the code; the code itself is never stored
	Attempts    int
	MaxAttempts int
	Sends       int
	// Metadata carries what the flow needs after verification (user id,
	// device id); never secrets.
	Metadata    map[string]string
	ExpiresAt   time.Time
	ResendAfter time.Time
	ConsumedAt  *time.Time
	CreatedAt   time.Time
	// Budget is whose budget its sends (the first and every resend) spend.
	Budget SendBudget
	// Client is the key of the client that asked for the latest send.
	Client string
}

// SendQuery selects the sends to count: those after Since (a send at
// exactly Since has left the window), narrowed by the fields that are set.
type SendQuery struct {
	Destination string
	Budget      SendBudget
	Client      string
	Since       time.Time
}

// ChallengeStore keeps OTP challenges.
type ChallengeStore interface {
	// Create stores a new challenge and records one send for its
	// destination, charged to c.Budget for c.Client.
	Create(ctx context.Context, c Challenge) error
	// GetForUpdate loads a challenge and locks it until the surrounding
	// transaction ends (ErrNotFound when missing).
	GetForUpdate(ctx context.Context, id uuid.UUID) (Challenge, error)
	// SetAttempts records the number of wrong tries.
	SetAttempts(ctx context.Context, id uuid.UUID, attempts int) error
	// MarkConsumed sets consumed_at; it reports false when the challenge
	// was already consumed.
	MarkConsumed(ctx context.Context, id uuid.UUID, at time.Time) (bool, error)
	// Rearm replaces the code, expiry, resend time and client of a
	// challenge (a resend), keeps its wrong tries, and records one send at
	// at, charged like Create's.
	Rearm(ctx context.Context, c Challenge, at time.Time) error
	// LockDestination serialises sends to one destination (or, given
	// "client:"+key, of one client) until the surrounding transaction ends.
	LockDestination(ctx context.Context, destination string) error
	// SendsSince counts the sends q selects and returns the oldest of them.
	SendsSince(ctx context.Context, q SendQuery) (count int, oldest time.Time, err error)
}

// OTPChallenge is what a client may see of a challenge: no code, no
// digest, the destination masked.
type OTPChallenge struct {
	ID          uuid.UUID
	Purpose     OTPPurpose
	Channel     OTPChannel
	Destination string // masked
	ExpiresAt   time.Time
	ResendAfter time.Time
}

// OTPVerified is what a consumed challenge proves.
type OTPVerified struct {
	ChallengeID uuid.UUID
	Purpose     OTPPurpose
	Channel     OTPChannel
	Destination string // full phone or email: its owner answered
	Metadata    map[string]string
}

// OTPRequest asks for a new challenge.
type OTPRequest struct {
	Purpose OTPPurpose
	// Channel defaults to SMS.
	Channel OTPChannel
	// To is the E.164 phone (SMS) or the lower-cased email (EMAIL), already
	// validated; for TOTP the account name, for the record only.
	To string
	// Metadata carries what the flow needs after verification (user id,
	// device id); never secrets.
	Metadata map[string]string
	// Decoy creates a challenge exactly like a real one, counted against
	// the same limits, that sends nothing and no code can answer.
	Decoy bool
	// Budget is whose hourly budget the code spends; BudgetClient unless
	// the caller has a proof of ownership (see BudgetOwner).
	Budget SendBudget
	// Background hands the message over after Start returns, so that the
	// provider's delay does not show in the response time; a failed
	// delivery is then only logged.
	Background bool
}

// AppCheck decides whether code answers a TOTP challenge; it runs inside
// the transaction that holds the challenge, so what it writes (the used
// time step, a spent recovery code) commits only with a right answer.
// An error that is VALIDATION_FAILED refuses the code without counting.
type AppCheck func(ctx context.Context, v OTPVerified, code string) (bool, error)

// VerifyRequest answers a challenge.
type VerifyRequest struct {
	ID      uuid.UUID
	Purpose OTPPurpose
	Code    string
	// AppCheck checks codes of TOTP challenges; nil refuses them.
	AppCheck AppCheck
	// Then runs on a right code inside the transaction that consumes the
	// challenge: if it fails, the code is not spent and nothing it wrote
	// stays.
	Then func(ctx context.Context, v OTPVerified) error
}

// OTPIssuer is the OTP module's service as other modules use it.
type OTPIssuer interface {
	Start(ctx context.Context, r OTPRequest) (OTPChallenge, error)
	Resend(ctx context.Context, id uuid.UUID) (OTPChallenge, error)
	Verify(ctx context.Context, id uuid.UUID, purpose OTPPurpose, code string) (OTPVerified, error)
	// VerifyThen is Verify that runs then, on a right code, inside the
	// transaction that consumes the challenge: if then fails, the code is
	// not spent and nothing then wrote stays.
	VerifyThen(ctx context.Context, id uuid.UUID, purpose OTPPurpose, code string,
		then func(ctx context.Context, v OTPVerified) error) (OTPVerified, error)
	// VerifyWith is the general form of Verify and VerifyThen.
	VerifyWith(ctx context.Context, r VerifyRequest) (OTPVerified, error)
	// Destination returns the full phone number or email of an open challenge
	// without touching it, so callers can check rules (and refuse a dead
	// challenge) before costly work. Errors: NOT_FOUND, INVALID_CODE,
	// TOO_MANY_ATTEMPTS, CODE_EXPIRED.
	Destination(ctx context.Context, id uuid.UUID, purpose OTPPurpose) (string, error)
}
