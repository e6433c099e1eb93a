package identity

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// EmailSignup is signUpWithEmail's input.
type EmailSignup struct {
	Email        string
	Password     string
	Phone        string // optional
	Name         string
	ReferralCode string
	AcceptTerms  bool
	DeviceKey    string
	DeviceName   string
}

// SignUpWithEmail creates a PENDING account holding the password and sends
// a code to the email; ConfirmEmail activates it. A new sign-up for an
// address whose earlier sign-up was never confirmed replaces that one, so
// nobody can hold an address they cannot read. The phone, if given, stays
// pending until a code sent to it is answered.
// Errors: VALIDATION_FAILED, CONFLICT (email or phone taken), RATE_LIMITED.
func (s *SignupService) SignUpWithEmail(ctx context.Context, in EmailSignup) (otp.ChallengeView, error) {
	email, emailErr := contact.NormalizeEmail("email", in.Email)
	var phone string
	var phoneErr error
	if in.Phone != "" {
		phone, phoneErr = contact.NormalizePhone("phone", in.Phone)
	}
	name, nameErr := personName("name", in.Name)
	device, devErr := cleanName("deviceName", in.DeviceName, 64)
	refErr := checkReferralCode(in.ReferralCode)
	var termsErr error
	if !in.AcceptTerms {
		termsErr = ports.InvalidField("acceptTerms", "the terms and conditions must be accepted")
	}
	if err := ports.MergeInvalid(emailErr, phoneErr, nameErr, devErr, refErr, termsErr,
		ValidatePassword("password", in.Password, email, phone, name),
		ValidateDeviceKey("deviceId", in.DeviceKey)); err != nil {
		return otp.ChallengeView{}, err
	}
	if err := s.limit(ctx, "signup_email", s.cfg.SignupStartsPerHour, time.Hour); err != nil {
		return otp.ChallengeView{}, err
	}
	if err := contactFree(ctx, s.users, uuid.Nil, email, phone); err != nil {
		return otp.ChallengeView{}, err
	}
	referredBy, err := referrerOf(ctx, s.users, in.ReferralCode)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	terms, err := s.terms.CurrentTerms(ctx, "GENERAL")
	if err != nil {
		return otp.ChallengeView{}, err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	code, err := newReferralCode()
	if err != nil {
		return otp.ChallengeView{}, err
	}
	u := User{ID: uuid.New(), Email: email, PendingPhone: phone, Name: name, Locale: requestLocale(ctx), State: StatePending,
		Role: RoleMember, ReferralCode: code, ReferredBy: referredBy}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		now := s.clock.Now()
		u.CreatedAt, u.UpdatedAt = now, now
		if err := insertPasswordUser(ctx, s.users, s.passwords, u, hash); err != nil {
			return err
		}
		return s.changes.RecordTermsAcceptance(ctx, TermsAcceptance{UserID: u.ID, Kind: terms.Kind,
			Version: terms.Version, AcceptedAt: now})
	})
	if err != nil {
		return otp.ChallengeView{}, err
	}
	s.record(ctx, &u.ID, "ACCOUNT", "signup.email", nil, map[string]string{"terms": terms.Kind + "/" + terms.Version})
	return s.codes.Start(ctx, otp.StartRequest{Purpose: otp.PurposeEmailSignup, Channel: otp.ChannelEmail,
		To: email, Metadata: map[string]string{"userId": u.ID.String(), "deviceId": in.DeviceKey, "deviceName": device}})
}

// maxNameLength bounds display names.
const maxNameLength = 100

// contactFree refuses an email or phone that an account other than self
// holds (a PENDING sign-up's email does not count: it can be replaced).
func contactFree(ctx context.Context, users Users, self uuid.UUID, email, phone string) error {
	if email != "" {
		u, err := users.GetByEmail(ctx, email)
		if err == nil && u.ID != self && u.State != StatePending {
			return &ports.Error{Code: ports.CodeConflict, Message: "this email address belongs to an account",
				Fields: map[string]string{"email": "is taken"}}
		} else if err != nil && !errors.Is(err, ports.ErrNotFound) {
			return err
		}
	}
	if phone != "" {
		u, err := users.GetByPhone(ctx, phone)
		if err == nil && u.ID != self {
			return &ports.Error{Code: ports.CodeConflict, Message: "this phone number belongs to an account",
				Fields: map[string]string{"phone": "is taken"}}
		} else if err != nil && !errors.Is(err, ports.ErrNotFound) {
			return err
		}
	}
	return nil
}

// ConfirmEmail answers the sign-up code: the account becomes ACTIVE, the
// device trusted, and a session opens, in the transaction that spends the
// code. Errors: those of otp Verify, NOT_FOUND (the sign-up was replaced
// by a newer one), CONFLICT.
func (s *SignupService) ConfirmEmail(ctx context.Context, challengeID uuid.UUID, code string) (Auth, error) {
	var auth Auth
	_, err := s.codes.VerifyThen(ctx, challengeID, otp.PurposeEmailSignup, code, func(ctx context.Context, v otp.Verified) error {
		uid, err := uuid.Parse(v.Metadata["userId"])
		if err != nil {
			return err
		}
		u, err := s.users.GetByID(ctx, uid)
		if errors.Is(err, ports.ErrNotFound) || (err == nil && (u.State != StatePending || u.Email != v.Destination)) {
			return ports.Errorf(ports.CodeNotFound, "this sign-up is no longer waiting for confirmation; sign up again")
		} else if err != nil {
			return err
		}
		now := s.clock.Now()
		if err := s.changes.SetState(ctx, u.ID, StateActive, now); err != nil {
			return err
		}
		u.State = StateActive
		if u, err = s.emit(ctx, UserActivated, u); err != nil {
			return err
		}
		d := Device{UserID: u.ID, DeviceKey: v.Metadata["deviceId"], Name: v.Metadata["deviceName"]}
		secret, err := trust(&d)
		if err != nil {
			return err
		}
		auth, err = s.sessions.signInOnDevice(ctx, u, d, "signup.email_confirmed")
		auth.DeviceSecret = secret
		return err
	})
	if err != nil {
		return Auth{}, err
	}
	return auth, nil
}

// insertPasswordUser stores u with its password hash, first removing an
// unconfirmed sign-up that holds u.Email, so nobody squats an address they
// cannot read.
func insertPasswordUser(ctx context.Context, users Users, passwords Passwords, u User, hash string) error {
	if _, err := users.DeletePending(ctx, u.Email); err != nil {
		return err
	}
	if err := users.Create(ctx, u); err != nil {
		return err
	}
	return passwords.SetPassword(ctx, u.ID, hash, u.CreatedAt)
}
