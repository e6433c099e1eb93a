package identity

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/ports"
)

// Sign-in and sign-up for users an OpenID provider vouched for (the
// federation module decides who that is; identity opens the session by
// the same device rules as any other sign-in).

// FederatedDevice is the device a federated sign-in comes from.
type FederatedDevice struct {
	Key  string
	Name string
	// Secret is what the device got when it was trusted; empty when none.
	Secret string
}

// Check validates the device's fields and returns it with its name
// cleaned. Errors: VALIDATION_FAILED (deviceId, deviceName, deviceSecret).
func (d FederatedDevice) Check() (FederatedDevice, error) {
	name, nameErr := cleanName("deviceName", d.Name, 64)
	var secretErr error
	if len(d.Secret) > 128 {
		secretErr = ports.InvalidField("deviceSecret", "is too long")
	}
	if err := ports.MergeInvalid(nameErr, secretErr, ValidateDeviceKey("deviceId", d.Key)); err != nil {
		return FederatedDevice{}, err
	}
	d.Name = name
	return d, nil
}

// SignInFederated signs in the user an OpenID provider vouched for: the
// provider's word stands in for the password, and what follows is a
// password sign-in's (a trusted device signs in unless a second factor is
// due; any other device answers a code with verifySignIn). Errors:
// VALIDATION_FAILED, NOT_FOUND (no such user), LOCKED, ACCESS_RESTRICTED.
func (s *SignInService) SignInFederated(ctx context.Context, userID uuid.UUID, device FederatedDevice) (SignInResult, error) {
	// The provider's code was spent: what follows is logged whatever the
	// client does.
	ctx, cancel := detached(ctx)
	defer cancel()
	device, err := device.Check()
	if err != nil {
		return SignInResult{}, err
	}
	u, err := s.users.GetByID(ctx, userID)
	if err != nil {
		return SignInResult{}, err
	}
	if err := CheckActive(u); err != nil {
		s.record(ctx, &u.ID, "SESSION", "sign_in.oidc", err, nil)
		return SignInResult{}, err
	}
	d, err := s.devices.GetDevice(ctx, u.ID, device.Key)
	if err != nil && !errors.Is(err, ports.ErrNotFound) {
		return SignInResult{}, err
	}
	trusted := err == nil && provesTrust(d, device.Secret)
	return s.secondStep(ctx, u, device.Key, device.Name, trusted, "sign_in.oidc")
}

// ErrTermsNotAccepted refuses to make an account whose user has not
// accepted the terms: accepting them is the user's own act, which no
// provider can make for them.
var ErrTermsNotAccepted = &ports.Error{Code: ports.CodeValidationFailed, Reason: "TERMS_NOT_ACCEPTED",
	Message: "a new account is made only once the terms and conditions are accepted",
	Fields:  map[string]string{"acceptTerms": "the terms and conditions must be accepted to make an account"}}

// FederatedSignup makes an account for a person an OpenID provider
// vouched for.
type FederatedSignup struct {
	// Email is the address the provider says it verified.
	Email string
	// Name is the provider's display name (cut to fit, may be empty).
	Name        string
	AcceptTerms bool
	Device      FederatedDevice
	// Link runs inside the transaction that makes the account, so that an
	// account never exists without the identity that made it.
	Link func(ctx context.Context, u User) error
}

// SignUpFederated makes an ACTIVE account holding the provider-verified
// email (an unconfirmed sign-up holding it is replaced, as a new email
// sign-up would), records the current terms as accepted, trusts the
// device and opens a session, in one transaction: the provider proved the
// address as our emailed code would. Errors: VALIDATION_FAILED (email,
// device fields; reason TERMS_NOT_ACCEPTED on acceptTerms), CONFLICT (the email was taken meanwhile).
func (s *SignupService) SignUpFederated(ctx context.Context, in FederatedSignup) (Auth, error) {
	email, emailErr := contact.NormalizeEmail("email", in.Email)
	device, devErr := in.Device.Check()
	if err := ports.MergeInvalid(emailErr, devErr); err != nil {
		return Auth{}, err
	}
	if !in.AcceptTerms {
		return Auth{}, ErrTermsNotAccepted
	}
	// A provider's name is not ours to refuse: one that breaks our rules
	// is dropped, and the user can set theirs later.
	name, err := personName("name", in.Name)
	if err != nil {
		name = ""
	}
	terms, err := s.terms.CurrentTerms(ctx, "GENERAL")
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
		if _, err := s.users.DeletePending(ctx, email); err != nil {
			return err
		}
		u := User{ID: uuid.New(), Email: email, Name: name, Locale: requestLocale(ctx), State: StateActive, Role: RoleMember,
			ReferralCode: code, CreatedAt: now, UpdatedAt: now}
		if err := s.users.Create(ctx, u); err != nil {
			return err
		}
		if u, err = s.emit(ctx, UserActivated, u); err != nil {
			return err
		}
		if err := s.changes.RecordTermsAcceptance(ctx, TermsAcceptance{UserID: u.ID, Kind: terms.Kind,
			Version: terms.Version, AcceptedAt: now}); err != nil {
			return err
		}
		if in.Link != nil {
			if err := in.Link(ctx, u); err != nil {
				return err
			}
		}
		d := Device{UserID: u.ID, DeviceKey: device.Key, Name: device.Name, CreatedAt: now, LastSeenAt: now}
		if auth, _, err = s.sessions.trustAndOpen(ctx, u, d, false); err != nil {
			return err
		}
		s.record(ctx, &u.ID, "SIGNUP", "signup.oidc", nil, map[string]string{"device": device.Key,
			"terms": terms.Kind + "/" + terms.Version})
		return nil
	})
	return auth, err
}
