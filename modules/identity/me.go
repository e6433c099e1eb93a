package identity

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// MeService is what signed-in users do to their own account: change
// their profile and contacts, read their activity, and delete the
// account.
type MeService struct {
	guard
	events
	cfg      Config
	users    Users
	changes  UserChanges
	erasure  CredentialEraser
	sessions Sessions
	pin      secretCheck
	password secretCheck
	hasher   ports.SecretHasher
	viewer   *ViewerService
	codes    Codes
	tx       ports.TxRunner
	// mfa checks the authenticator app before deletion.
	mfa *MFAService
}

// NewMeService returns the service of the signed-in user's own account;
// hooks hear of each contact proven.
func NewMeService(cfg Config, users Users, changes UserChanges, erasure CredentialEraser, sessions Sessions, pins PINs,
	passwords Passwords, hasher ports.SecretHasher, viewer *ViewerService, mfa *MFAService, codes Codes, hooks []UserHook,
	tx ports.TxRunner, limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) *MeService {
	g := newGuard(limiter, activities, clock, log)
	return &MeService{guard: g, events: events{hooks: hooks, users: users}, cfg: cfg, users: users, changes: changes,
		erasure: erasure, sessions: sessions, pin: pinCheck(cfg, pins, hasher, g.recorder),
		password: passwordCheck(cfg, passwords, hasher, g.recorder), hasher: hasher, viewer: viewer, codes: codes, tx: tx,
		mfa: mfa}
}

// ProfileChange is updateMe's input; nil fields stay as they are.
type ProfileChange struct {
	Name        *string
	ImageURL    *string
	CountryCode *string
	Locale      *string
}

// UpdateMe changes the viewer's name, picture, country or language.
// Errors: UNAUTHENTICATED, VALIDATION_FAILED.
func (s *MeService) UpdateMe(ctx context.Context, in ProfileChange) (User, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return User{}, err
	}
	p := ProfileUpdate{Name: v.User.Name, ImageURL: v.User.ImageURL, CountryCode: v.User.CountryCode,
		Locale: v.User.Locale}
	var nameErr, imageErr, countryErr, localeErr error
	if in.Name != nil {
		p.Name, nameErr = personName("name", *in.Name)
	}
	if in.ImageURL != nil {
		p.ImageURL, imageErr = ValidateImageURL("imageUrl", *in.ImageURL)
	}
	if in.CountryCode != nil {
		p.CountryCode, countryErr = contact.ValidateCountry("countryCode", *in.CountryCode)
	}
	if in.Locale != nil {
		p.Locale, localeErr = ValidateLocale("locale", *in.Locale)
	}
	if err := ports.MergeInvalid(nameErr, imageErr, countryErr, localeErr); err != nil {
		return User{}, err
	}
	u, err := s.changes.UpdateProfile(ctx, v.User.ID, p, s.clock.Now())
	if err != nil {
		return User{}, err
	}
	s.record(ctx, &u.ID, "ACCOUNT", "profile.update", nil, nil)
	return u, nil
}

// ValidateImageURL accepts an absolute https URL of at most 2048
// characters, or empty (no picture).
func ValidateImageURL(field, raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if len(raw) > 2048 {
		return "", ports.InvalidField(field, "must be at most 2048 characters")
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "", ports.InvalidField(field, "must be an https URL")
	}
	return u.String(), nil
}

// ContactKind says which contact detail changes.
type ContactKind string

const (
	ContactEmail ContactKind = "EMAIL"
	ContactPhone ContactKind = "PHONE"
)

// StartContactChange sends a code to a new email or phone of the viewer;
// ConfirmContactChange makes it theirs. Errors: UNAUTHENTICATED,
// VALIDATION_FAILED, CONFLICT (held by another account), RATE_LIMITED.
func (s *MeService) StartContactChange(ctx context.Context, kind ContactKind, value string) (otp.ChallengeView, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return otp.ChallengeView{}, err
	}
	req := otp.StartRequest{Purpose: otp.PurposeContactChange, Locale: v.User.Locale,
		Metadata: map[string]string{"userId": v.User.ID.String(), "kind": string(kind)}}
	switch kind {
	case ContactEmail:
		req.Channel = otp.ChannelEmail
		req.To, err = contact.NormalizeEmail("value", value)
		if err == nil && req.To == v.User.Email {
			err = ports.InvalidField("value", "is already your email address")
		}
		if err == nil {
			err = contactFree(ctx, s.users, v.User.ID, req.To, "")
		}
	case ContactPhone:
		req.Channel = otp.ChannelSMS
		req.To, err = contact.NormalizePhone("value", value)
		if err == nil && req.To == v.User.Phone {
			err = ports.InvalidField("value", "is already your phone number")
		}
		if err == nil {
			err = contactFree(ctx, s.users, v.User.ID, "", req.To)
		}
	default:
		err = ports.InvalidField("kind", "must be EMAIL or PHONE")
	}
	if err != nil {
		return otp.ChallengeView{}, err
	}
	if err := s.limit(ctx, "contact_change", s.cfg.SignupStartsPerHour, time.Hour); err != nil {
		return otp.ChallengeView{}, err
	}
	return s.codes.Start(ctx, req)
}

// ConfirmContactChange answers the code sent to the new address; it
// replaces the old one in the transaction that spends the code. Only the
// user who asked may answer. Errors: UNAUTHENTICATED, those of otp
// Verify, CONFLICT (taken meanwhile).
func (s *MeService) ConfirmContactChange(ctx context.Context, challengeID uuid.UUID, code string) (User, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return User{}, err
	}
	var u User
	_, err = s.codes.VerifyThen(ctx, challengeID, otp.PurposeContactChange, code, func(ctx context.Context, ver otp.Verified) error {
		// Someone else's challenge is not found, and its code stays unspent.
		if ver.Metadata["userId"] != v.User.ID.String() {
			return ports.Errorf(ports.CodeNotFound, "no such verification challenge")
		}
		now := s.clock.Now()
		var err error
		switch ContactKind(ver.Metadata["kind"]) {
		case ContactEmail:
			// An unconfirmed sign-up holding the address yields to its
			// proven owner.
			if _, err = s.users.DeletePending(ctx, ver.Destination); err == nil {
				err = s.changes.SetEmail(ctx, v.User.ID, ver.Destination, now)
			}
		default:
			err = s.changes.SetPhone(ctx, v.User.ID, ver.Destination, now)
		}
		if err != nil {
			return err
		}
		if u, err = s.users.GetByID(ctx, v.User.ID); err != nil {
			return err
		}
		event := UserPhoneVerified
		if ContactKind(ver.Metadata["kind"]) == ContactEmail {
			event = UserEmailVerified
		}
		if u, err = s.emit(ctx, event, u); err != nil {
			return err
		}
		s.record(ctx, &u.ID, "ACCOUNT", "contact.change", nil, map[string]string{"kind": ver.Metadata["kind"]})
		return nil
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// DeleteMe deletes the viewer's account after checking the password or
// the PIN (wrong ones count toward their lockout): sessions end, devices
// and credentials go, personal data is erased; the row (state DELETED)
// and the activity log stay. With the authenticator app on, its current
// code (totpCode, spent) or a fresh step-up of this session (VerifyTOTP)
// is asked for too, and checked first: a stolen session without the app
// cannot test passwords here. Errors: UNAUTHENTICATED, VALIDATION_FAILED,
// LOCKED, and with the app on INVALID_CODE, RATE_LIMITED.
func (s *MeService) DeleteMe(ctx context.Context, password, pin, totpCode string) (time.Time, error) {
	v, err := s.viewer.RequireViewer(ctx)
	if err != nil {
		return time.Time{}, err
	}
	switch {
	case (password == "") == (pin == ""):
		return time.Time{}, ports.Invalid(map[string]string{"password": "give the password or the PIN", "pin": "give the password or the PIN"})
	case len(password) > 4*PasswordMaxLength:
		return time.Time{}, ports.InvalidField("password", "is too long")
	case pin != "" && (len(pin) < PINMinLength || len(pin) > PINMaxLength):
		return time.Time{}, ports.InvalidField("pin", "must be 4 to 6 digits")
	}
	if v.User.TOTPEnabled {
		if err := s.mfa.CheckTOTP(ctx, v.User.ID, totpCode); err != nil {
			if ports.ErrorCodeOf(err) != ports.CodeValidationFailed {
				s.record(ctx, &v.User.ID, "ACCOUNT", "account.delete", err, map[string]string{"check": "totp"})
			}
			return time.Time{}, err
		}
	}
	switch {
	case password != "":
		err = s.password.check(ctx, v.User, v.DeviceID, password, "account.delete")
	case !v.User.HasPIN:
		s.hasher.Burn(ctx, pin)
		err = errBadCredentials
	default:
		err = s.pin.check(ctx, v.User, v.DeviceID, pin, "account.delete")
	}
	if err != nil {
		return time.Time{}, err
	}
	now := s.clock.Now()
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.sessions.RevokeAllForUser(ctx, v.User.ID, uuid.Nil, now, "account deleted"); err != nil {
			return err
		}
		if err := s.erasure.DeleteAll(ctx, v.User.ID); err != nil {
			return err
		}
		if err := s.changes.Scrub(ctx, v.User.ID, now); err != nil {
			return err
		}
		s.record(ctx, &v.User.ID, "ACCOUNT", "account.delete", nil, nil)
		return nil
	})
	if err != nil {
		return time.Time{}, err
	}
	return now, nil
}
