package identity

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// SignupService signs people up: by phone (a verified number, then a
// PIN on a trusted device) or by email (a password, then the emailed
// code).
type SignupService struct {
	guard
	events
	cfg       Config
	users     Users
	changes   UserChanges
	pins      PINs
	passwords Passwords
	tickets   Tickets
	sessions  *SessionService
	tx        ports.TxRunner
	hasher    ports.SecretHasher
	codes     Codes
	terms     TermsCatalog
}

// NewSignupService returns the sign-up service; hooks hear of each
// account activated, inside the transaction that activates it.
func NewSignupService(cfg Config, users Users, changes UserChanges, pins PINs, passwords Passwords, tickets Tickets,
	sessions *SessionService, tx ports.TxRunner, hasher ports.SecretHasher, codes Codes, terms TermsCatalog,
	hooks []UserHook, limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) *SignupService {
	return &SignupService{guard: newGuard(limiter, activities, clock, log), events: events{hooks: hooks, users: users},
		cfg: cfg, users: users, changes: changes, pins: pins, passwords: passwords, tickets: tickets,
		sessions: sessions, tx: tx, hasher: hasher, codes: codes, terms: terms}
}

// SignupStatus says where a phone number stands.
type SignupStatus string

const (
	StatusNotRegistered SignupStatus = "NOT_REGISTERED"
	StatusRegistered    SignupStatus = "REGISTERED"
	StatusPINNotSet     SignupStatus = "PIN_NOT_SET"
)

// PhoneSignupStatus tells a client whether to sign up, sign in, or set a
// PIN. It is rate-limited per client IP because it reveals registration.
// Errors: VALIDATION_FAILED, RATE_LIMITED.
func (s *SignupService) PhoneSignupStatus(ctx context.Context, rawPhone string) (SignupStatus, error) {
	phone, err := contact.NormalizePhone("phone", rawPhone)
	if err != nil {
		return "", err
	}
	if err := s.limit(ctx, "phone_status", s.cfg.StatusChecksPerMinute, time.Minute); err != nil {
		return "", err
	}
	u, err := s.users.GetByPhone(ctx, phone)
	switch {
	case errors.Is(err, ports.ErrNotFound):
		return StatusNotRegistered, nil
	case err != nil:
		return "", err
	case !u.HasPIN:
		return StatusPINNotSet, nil
	}
	return StatusRegistered, nil
}

// StartPhoneSignup sends a sign-up code to a phone that has no account.
// Errors: VALIDATION_FAILED, CONFLICT (already registered), RATE_LIMITED.
func (s *SignupService) StartPhoneSignup(ctx context.Context, rawPhone string) (otp.ChallengeView, error) {
	phone, err := contact.NormalizePhone("phone", rawPhone)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	if err := s.limit(ctx, "signup_start", s.cfg.SignupStartsPerHour, time.Hour); err != nil {
		return otp.ChallengeView{}, err
	}
	if _, err := s.users.GetByPhone(ctx, phone); err == nil {
		return otp.ChallengeView{}, &ports.Error{Code: ports.CodeConflict,
			Message: "this phone number is already registered; sign in instead",
			Fields:  map[string]string{"phone": "is already registered"}}
	} else if !errors.Is(err, ports.ErrNotFound) {
		return otp.ChallengeView{}, err
	}
	return s.codes.Start(ctx, otp.StartRequest{Purpose: otp.PurposeSignup, To: phone})
}

// PhoneVerification is a single-use ticket proving a verified phone.
type PhoneVerification struct {
	Ticket    string
	ExpiresAt time.Time
}

// VerifyPhoneSignup checks the sign-up code and returns a ticket for
// CompletePhoneSignup. Errors: those of otp Verify.
func (s *SignupService) VerifyPhoneSignup(ctx context.Context, challengeID uuid.UUID, code string) (PhoneVerification, error) {
	secret, hash, err := newSecret("ght_")
	if err != nil {
		return PhoneVerification{}, err
	}
	var out PhoneVerification
	// The ticket is written in the transaction that spends the code: one
	// never exists without the other.
	_, err = s.codes.VerifyThen(ctx, challengeID, otp.PurposeSignup, code, func(ctx context.Context, v otp.Verified) error {
		now := s.clock.Now()
		t := Ticket{ID: uuid.New(), Purpose: ticketPhoneSignup, Subject: v.Destination,
			ExpiresAt: now.Add(s.cfg.TicketTTL), CreatedAt: now}
		out = PhoneVerification{Ticket: secret, ExpiresAt: t.ExpiresAt}
		return s.tickets.Create(ctx, t, hash)
	})
	if err != nil {
		return PhoneVerification{}, err
	}
	return out, nil
}

// CompleteSignup is the last sign-up step's input.
type CompleteSignup struct {
	Ticket      string
	PIN         string
	ConfirmPIN  string
	AcceptTerms bool
	DeviceKey   string
	DeviceName  string
	FirebaseUID string
	// ReferralCode is another user's referral code, or "".
	ReferralCode string
}

// CompletePhoneSignup creates the user, PIN, trusted device, session,
// terms acceptance and referral code in one transaction. Input errors
// leave the ticket unused; success uses it up. The referral code is taken
// here, not at the start: this is the step that creates the user who
// holds it, and a mistyped code is corrected without a new SMS.
// Errors: VALIDATION_FAILED (referralCode: not a code of an account that
// can refer), INVALID_CODE (unknown or used ticket), CODE_EXPIRED,
// CONFLICT (phone registered meanwhile).
func (s *SignupService) CompletePhoneSignup(ctx context.Context, in CompleteSignup) (Auth, error) {
	name, nameErr := cleanName("deviceName", in.DeviceName, 64)
	fuid, fuidErr := cleanName("firebaseUid", in.FirebaseUID, 128)
	var errs []error
	if in.Ticket == "" || len(in.Ticket) > 128 {
		errs = append(errs, ports.InvalidField("ticket", "is required"))
	}
	errs = append(errs, ValidatePIN("pin", in.PIN, ""), nameErr, fuidErr,
		ValidateDeviceKey("deviceId", in.DeviceKey), checkReferralCode(in.ReferralCode))
	if in.ConfirmPIN != in.PIN {
		errs = append(errs, ports.InvalidField("confirmPin", "does not match the PIN"))
	}
	if !in.AcceptTerms {
		errs = append(errs, ports.InvalidField("acceptTerms", "the terms and conditions must be accepted"))
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return Auth{}, err
	}
	// Refuse a bad ticket before the costly hash: the use below, inside
	// the transaction, stays the one that counts.
	if err := s.limit(ctx, "signup_complete", s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return Auth{}, err
	}
	t, err := s.tickets.Find(ctx, digest(in.Ticket), ticketPhoneSignup)
	if err := ticketProblem(t, err, s.clock.Now()); err != nil {
		s.record(ctx, nil, "SIGNUP", "signup.phone", err, nil)
		return Auth{}, err
	}
	// The PIN must not be the end of the verified number.
	if err := ValidatePIN("pin", in.PIN, t.Subject); err != nil {
		return Auth{}, err
	}
	referredBy, err := referrerOf(ctx, s.users, in.ReferralCode)
	if err != nil {
		return Auth{}, err
	}
	terms, err := s.terms.CurrentTerms(ctx, "GENERAL")
	if err != nil {
		return Auth{}, err
	}
	pinHash, err := s.hasher.Hash(ctx, in.PIN)
	if err != nil {
		return Auth{}, err
	}
	code, err := newReferralCode()
	if err != nil {
		return Auth{}, err
	}
	var auth Auth
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		t, err := s.tickets.Use(ctx, digest(in.Ticket), ticketPhoneSignup, now)
		if err := ticketProblem(t, err, now); err != nil {
			return err
		}
		u := User{ID: uuid.New(), Phone: t.Subject, Locale: requestLocale(ctx), State: StateActive, Role: RoleMember, Level: 1,
			ReferralCode: code, ReferredBy: referredBy, FirebaseUID: fuid, HasPIN: true, CreatedAt: now, UpdatedAt: now}
		if err := s.users.Create(ctx, u); err != nil {
			return err
		}
		if err := s.pins.CreatePIN(ctx, u.ID, pinHash, now); err != nil {
			return err
		}
		if u, err = s.emit(ctx, UserActivated, u); err != nil {
			return err
		}
		if err := s.changes.RecordTermsAcceptance(ctx, TermsAcceptance{UserID: u.ID, Kind: terms.Kind,
			Version: terms.Version, AcceptedAt: now}); err != nil {
			return err
		}
		d := Device{UserID: u.ID, DeviceKey: in.DeviceKey, Name: name, CreatedAt: now, LastSeenAt: now}
		if auth, _, err = s.sessions.trustAndOpen(ctx, u, d, false); err != nil {
			return err
		}
		s.record(ctx, &u.ID, "SIGNUP", "signup.phone", nil, map[string]string{"device": in.DeviceKey,
			"terms": terms.Kind + "/" + terms.Version})
		return nil
	})
	return auth, err
}

// ticketProblem turns a ticket lookup into what a client is told.
func ticketProblem(t Ticket, err error, now time.Time) error {
	if errors.Is(err, ports.ErrNotFound) {
		return ports.Errorf(ports.CodeInvalidCode, "the sign-up ticket is invalid or has been used; verify the phone again")
	} else if err != nil {
		return err
	}
	if !now.Before(t.ExpiresAt) {
		return ports.Errorf(ports.CodeCodeExpired, "the sign-up ticket has expired; verify the phone again")
	}
	return nil
}
