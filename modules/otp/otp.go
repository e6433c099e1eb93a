// Package otp issues and checks one-time codes, per purpose, sent to a
// phone or an email address (or answered from an authenticator app). It
// owns its model (this file) and declares the store it needs in store.go;
// other modules speak its types and reach its service through interfaces
// they declare themselves.
package otp

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Purpose says what a one-time code proves.
type Purpose string

// Purposes, served as the schema's OtpPurpose.
const (
	PurposeSignup          Purpose = "SIGNUP"
	PurposeSignInNewDevice Purpose = "SIGN_IN_NEW_DEVICE"
	PurposePinSetup        Purpose = "PIN_SETUP"
	PurposeEmailSignup     Purpose = "EMAIL_SIGNUP"
	PurposeSignInMFA       Purpose = "SIGN_IN_MFA"
	PurposePasswordReset   Purpose = "PASSWORD_RESET"
	PurposeContactChange   Purpose = "CONTACT_CHANGE"
	PurposePhoneAdd        Purpose = "PHONE_ADD"
	PurposePINReset        Purpose = "PIN_RESET"
)

// Channel says how the code reaches its owner.
type Channel string

// Channels, served as the schema's OtpChannel.
const (
	ChannelSMS   Channel = "SMS"
	ChannelEmail Channel = "EMAIL"
	// ChannelTOTP challenges send nothing: the code comes from the user's
	// authenticator app and the caller checks it (VerifyRequest.AppCheck).
	ChannelTOTP Channel = "TOTP"
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

// Challenge is one code sent to one destination for one purpose, as the
// Store keeps it.
type Challenge struct {
	ID          uuid.UUID
	Purpose     Purpose
	Channel     Channel
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

// ChallengeView is what a client may see of a challenge: no code, no
// digest, the destination masked.
type ChallengeView struct {
	ID          uuid.UUID
	Purpose     Purpose
	Channel     Channel
	Destination string // masked
	ExpiresAt   time.Time
	ResendAfter time.Time
}

// Verified is what a consumed challenge proves.
type Verified struct {
	ChallengeID uuid.UUID
	Purpose     Purpose
	Channel     Channel
	Destination string // full phone or email: its owner answered
	Metadata    map[string]string
}

// StartRequest asks for a new challenge (Service.Start).
type StartRequest struct {
	Purpose Purpose
	// Channel defaults to SMS.
	Channel Channel
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
	// Locale is the language of the message (the owner's, when known);
	// "" takes the request's Accept-Language.
	Locale string
}

// AppCheck decides whether code answers a TOTP challenge; it runs inside
// the transaction that holds the challenge, so what it writes (the used
// time step, a spent recovery code) commits only with a right answer.
// An error that is VALIDATION_FAILED refuses the code without counting.
type AppCheck func(ctx context.Context, v Verified, code string) (bool, error)

// VerifyRequest answers a challenge (Service.VerifyWith).
type VerifyRequest struct {
	ID      uuid.UUID
	Purpose Purpose
	Code    string
	// AppCheck checks codes of TOTP challenges; nil refuses them.
	AppCheck AppCheck
	// Then runs on a right code inside the transaction that consumes the
	// challenge: if it fails, the code is not spent and nothing it wrote
	// stays.
	Then func(ctx context.Context, v Verified) error
}

// Config holds the OTP parameters (DESIGN.md "Security parameters").
type Config struct {
	Digits      int
	TTL         time.Duration
	MaxAttempts int
	ResendAfter time.Duration
	// SendsPerHour bounds the codes per destination and hour: of the
	// owner's budget, and of the strangers' (all clients' budgets together,
	// see SendBudget).
	SendsPerHour int
	// ClientSendsPerHour bounds the codes one client (IPv4 address or IPv6
	// /64) may have sent without a proof of ownership per hour, whatever
	// the destinations; 0 leaves it unbounded.
	ClientSendsPerHour int
	// HMACKey keys the stored code digests (at least 32 bytes).
	HMACKey []byte
}

// DefaultConfig returns the DESIGN.md defaults (the key must still be set).
func DefaultConfig() Config {
	return Config{Digits: 6, TTL: 120 * time.Second, MaxAttempts: 5, ResendAfter: 60 * time.Second,
		SendsPerHour: 5, ClientSendsPerHour: 10}
}

// Validate reports the first bad parameter.
func (c Config) Validate() error {
	switch {
	case c.Digits < 4 || c.Digits > 10:
		return fmt.Errorf("OTP digits must be between 4 and 10, got %d", c.Digits)
	case c.TTL < 10*time.Second:
		return fmt.Errorf("OTP lifetime must be at least 10s, got %s", c.TTL)
	case c.MaxAttempts < 1:
		return fmt.Errorf("OTP max attempts must be at least 1")
	case c.SendsPerHour < 1:
		return fmt.Errorf("OTP sends per hour must be at least 1")
	case c.ClientSendsPerHour < 0:
		return fmt.Errorf("OTP client sends per hour must not be negative")
	case len(c.HMACKey) < 32:
		return fmt.Errorf("OTP HMAC key must be at least 32 bytes")
	}
	return nil
}

func publicView(c Challenge) ChallengeView {
	dest := MaskPhone(c.Destination)
	switch c.Channel {
	case ChannelEmail:
		dest = MaskEmail(c.Destination)
	case ChannelTOTP:
		dest = "authenticator app"
	}
	return ChallengeView{ID: c.ID, Purpose: c.Purpose, Channel: c.Channel, Destination: dest,
		ExpiresAt: c.ExpiresAt, ResendAfter: c.ResendAfter}
}

// newCode draws a uniformly random numeric code from crypto/rand.
func newCode(digits int) (string, error) {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", digits, n), nil
}

// mac binds the code to its challenge, so a digest can't be replayed
// against another challenge.
func mac(key []byte, id uuid.UUID, code string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(id[:])
	h.Write([]byte(code))
	return h.Sum(nil)
}

// wellFormed reports whether code looks like one of our codes, so that
// junk is refused without counting as a try.
func wellFormed(code string, digits int) bool {
	if len(code) != digits {
		return false
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MaskPhone keeps the country prefix and the last two digits: +4479******23.
func MaskPhone(e164 string) string {
	if len(e164) < 7 {
		return strings.Repeat("*", len(e164))
	}
	head, tail := e164[:4], e164[len(e164)-2:]
	return head + strings.Repeat("*", len(e164)-6) + tail
}

// MaskEmail keeps the first character of the local part and the domain:
// j***@example.com.
func MaskEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 1 {
		return "***"
	}
	return email[:1] + "***" + email[at:]
}
