package identity

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
)

// TermsCatalog tells which terms version is current (the platform module).
type TermsCatalog interface {
	CurrentTerms(ctx context.Context, kind string) (platform.TermsDocument, error)
}

// Codes issues and checks the one-time codes of identity's flows (the
// otp module's service).
type Codes interface {
	Start(ctx context.Context, r otp.StartRequest) (otp.ChallengeView, error)
	// Destination returns the phone or email of an open challenge without
	// touching it. Errors: NOT_FOUND, INVALID_CODE, TOO_MANY_ATTEMPTS,
	// CODE_EXPIRED.
	Destination(ctx context.Context, id uuid.UUID, purpose otp.Purpose) (string, error)
	// VerifyThen runs then, on a right code, inside the transaction that
	// consumes the challenge: if then fails, the code is not spent and
	// nothing then wrote stays.
	VerifyThen(ctx context.Context, id uuid.UUID, purpose otp.Purpose, code string,
		then func(ctx context.Context, v otp.Verified) error) (otp.Verified, error)
	// VerifyWith is VerifyThen that also answers TOTP challenges through
	// r.AppCheck.
	VerifyWith(ctx context.Context, r otp.VerifyRequest) (otp.Verified, error)
}

// Services are the identity use cases, one service each, as the
// resolvers reach them.
type Services struct {
	Viewer    *ViewerService
	Sessions  *SessionService
	Signup    *SignupService
	SignIn    *SignInService
	PINs      *PINService
	Passwords *PasswordService
	MFA       *MFAService
	Me        *MeService
	Staff     *StaffService
	Reads     *ReadService
}

// Auth is a signed-in session handed to the client.
type Auth struct {
	AccessToken          string
	AccessTokenExpiresAt time.Time
	RefreshToken         string
	// DeviceSecret is set when this sign-in made the device trusted: the
	// client keeps it and presents it with the PIN from then on.
	DeviceSecret string
	User         User
}

// trust marks d trusted with a fresh secret and returns the secret; only
// its SHA-256 is stored.
func trust(d *Device) (string, error) {
	secret, hash, err := newSecret("ghd_")
	if err != nil {
		return "", err
	}
	d.Trusted, d.SecretHash = true, hash
	return secret, nil
}

// DeviceProof is what a client may give to show it asks from a device the
// account trusts: the device id and the secret it got when trusted. Both
// are empty when it gives none.
type DeviceProof struct{ Key, Secret string }

// Check refuses a malformed proof (an empty one is fine).
func (p DeviceProof) Check() error {
	var keyErr, secretErr error
	if p.Key != "" {
		keyErr = ValidateDeviceKey("deviceId", p.Key)
	}
	if len(p.Secret) > 128 {
		secretErr = ports.InvalidField("deviceSecret", "is too long")
	}
	return ports.MergeInvalid(keyErr, secretErr)
}

// DeviceLookup finds a user's device by its id.
type DeviceLookup interface {
	GetDevice(ctx context.Context, userID uuid.UUID, deviceKey string) (Device, error)
}

// BudgetFor says whose hourly budget a code asked for userID spends: the
// owner's when p proves a device userID trusts, the client's otherwise
// (see otp.SendBudget). userID is uuid.Nil when no account answers: the
// lookup still runs, so an existing and a missing account take the same
// work.
func BudgetFor(ctx context.Context, devices DeviceLookup, userID uuid.UUID, p DeviceProof) (otp.SendBudget, error) {
	if p.Key == "" {
		return otp.BudgetClient, nil
	}
	d, err := devices.GetDevice(ctx, userID, p.Key)
	if errors.Is(err, ports.ErrNotFound) {
		return otp.BudgetClient, nil
	} else if err != nil {
		return "", err
	}
	if userID != uuid.Nil && provesTrust(d, p.Secret) {
		return otp.BudgetOwner, nil
	}
	return otp.BudgetClient, nil
}

// provesTrust reports whether secret is the one d got when trusted.
func provesTrust(d Device, secret string) bool {
	return d.Trusted && len(d.SecretHash) == sha256.Size && secret != "" &&
		subtle.ConstantTimeCompare(digest(secret), d.SecretHash) == 1
}

// newSecret returns a prefixed 256-bit random token and its SHA-256.
func newSecret(prefix string) (string, []byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	s := prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return s, digest(s), nil
}

func digest(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// referralAlphabet avoids look-alike characters (0/O, 1/I/L).
const referralAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

func newReferralCode() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	var sb strings.Builder
	for _, x := range b {
		sb.WriteByte(referralAlphabet[int(x)%len(referralAlphabet)])
	}
	return sb.String(), nil
}

// securityWorkCap bounds work that goes on after the client went away.
const securityWorkCap = 15 * time.Second

// detached keeps ctx's values (request meta, viewer, transaction) but not
// its cancellation, bounded by securityWorkCap: a try that was counted is
// always checked and logged, even when the client hangs up mid-request.
func detached(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), securityWorkCap)
}

// CheckActive refuses accounts that may not sign in: LOCKED for a locked
// one, ACCESS_RESTRICTED for any other state but ACTIVE.
func CheckActive(u User) error {
	switch u.State {
	case StateActive:
		return nil
	case StateLocked:
		return ports.Errorf(ports.CodeLocked, "this account is locked; contact support")
	default:
		return ports.Errorf(ports.CodeAccessRestricted, "this account may not sign in")
	}
}

// Rules answers whether a role may do an operation, from the permission
// rows (admin.Policy): the one source of truth for roles, so the services
// keep no role lists of their own, only the owner rules.
type Rules interface {
	Allowed(role, operation string) bool
}
