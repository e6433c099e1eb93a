package federation

import (
	"context"
	"errors"
	"log/slog"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// SignIn signs people in (or up) with a provider.
type SignIn struct {
	flows
	identities Identities
	users      Users
	accounts   Accounts
	tx         ports.TxRunner
}

// NewSignIn returns the provider sign-in service.
func NewSignIn(cfg Config, states States, identities Identities, users Users, accounts Accounts, relying Relying,
	tx ports.TxRunner, limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) *SignIn {
	return &SignIn{flows: flows{recorder: recorder{activities: activities, clock: clock, log: log}, cfg: cfg,
		states: states, relying: relying, limiter: limiter}, identities: identities, users: users, accounts: accounts,
		tx: tx}
}

// Start begins a sign-in with provider; the provider sends the person
// back to redirectURI, which must be one of its allowed ones. deviceKey is
// required and is the only device that may complete it: a sign-in any
// device could complete lets an attacker plant their own code and state
// on a victim's device (a login CSRF), which would then be signed in to
// the attacker's account (a new one trusts the device at once). Errors:
// VALIDATION_FAILED (deviceId; reasons UNKNOWN_PROVIDER,
// REDIRECT_URI_NOT_ALLOWED), RATE_LIMITED, UNAVAILABLE (the provider's
// discovery failed).
func (s *SignIn) Start(ctx context.Context, provider, redirectURI, deviceKey string) (Started, error) {
	return s.start(ctx, provider, redirectURI, PurposeSignIn, binding{deviceKey: deviceKey},
		identity.ValidateDeviceKey("deviceId", deviceKey))
}

// Completion is completeOidcSignIn's input.
type Completion struct {
	Provider string
	Code     string
	State    string
	Device   identity.FederatedDevice
	// AcceptTerms is the user's acceptance of the current terms, needed
	// only when the sign-in makes an account.
	AcceptTerms bool
}

// Complete redeems the provider's code and signs in the person it names:
//   - an identity linked already signs in its user;
//   - else, when the provider verified the email and an account holds
//     that email (confirmed), the identity is linked to it and it signs in,
//     unless the account has another identity of this provider (CONFLICT
//     reason ACCOUNT_EXISTS_SIGN_IN_TO_LINK: the address changed hands);
//   - else, when an account holds the email but the provider did not
//     verify it: CONFLICT reason ACCOUNT_EXISTS_SIGN_IN_TO_LINK (sign in
//     another way and link from me: an unverified address proves nothing);
//   - else a new account is made with the verified email (acceptTerms
//     required: VALIDATION_FAILED reason TERMS_NOT_ACCEPTED), its device
//     trusted as at sign-up. A provider that did not verify the email
//     makes no account: FORBIDDEN reason PROVIDER_EMAIL_NOT_VERIFIED;
//   - an email that is not a plain ASCII address (a look-alike of an
//     account's) neither links nor makes an account: FORBIDDEN reason
//     PROVIDER_EMAIL_UNUSABLE.
//
// A sign-in goes on by identity's device rules (a device not trusted
// answers a code with verifySignIn). The state is spent whatever happens
// after it is found. Errors: those of start and redeem, the refusals
// above, CONFLICT reason IDENTITY_LINKED_ELSEWHERE (a parallel sign-in
// linked it), LOCKED, ACCESS_RESTRICTED.
func (s *SignIn) Complete(ctx context.Context, in Completion) (identity.SignInResult, error) {
	device, devErr := in.Device.Check()
	p, err := s.checkCompletion(in.Provider, in.Code, in.State, devErr)
	if err != nil {
		return identity.SignInResult{}, err
	}
	if err := s.limit(ctx, "oidc_complete"); err != nil {
		return identity.SignInResult{}, err
	}
	var res identity.SignInResult
	claims, err := s.redeem(ctx, p, in.Code, in.State, PurposeSignIn, binding{deviceKey: device.Key})
	if err == nil {
		res, err = s.signIn(ctx, p, claims, device, in.AcceptTerms)
	}
	if err != nil {
		s.record(ctx, nil, topicSession, "sign_in.oidc", err, map[string]string{"provider": p.Name})
	}
	return res, err
}

func (s *SignIn) signIn(ctx context.Context, p Provider, c Claims, device identity.FederatedDevice, acceptTerms bool) (identity.SignInResult, error) {
	now := s.clock.Now()
	linked, err := s.identities.Find(ctx, p.Name, c.Subject)
	if err == nil {
		if err := s.identities.Touch(ctx, linked.ID, c.Email, c.EmailVerified, now); err != nil {
			return identity.SignInResult{}, err
		}
		return s.accounts.SignInFederated(ctx, linked.UserID, device)
	} else if !errors.Is(err, ports.ErrNotFound) {
		return identity.SignInResult{}, err
	}
	// The address is matched to an account only in the form accounts hold
	// theirs (contact.NormalizeEmail: ASCII, lower case). Folding it any
	// other way (strings.ToLower maps the Kelvin sign to "k") would take
	// an address the provider verified for a look-alike mailbox for an
	// account's, and link that mailbox's owner to the account.
	var email string
	if c.Email != "" {
		var err error
		if email, err = contact.NormalizeEmail("email", c.Email); err != nil {
			return identity.SignInResult{}, ports.Refusal(ports.CodeForbidden, ReasonEmailUnusable,
				"the provider's email address for this account cannot be a Gatehouse account's (it must be a plain ASCII address)")
		}
	}
	newIdentity := func(userID uuid.UUID) Identity {
		return Identity{ID: uuid.New(), UserID: userID, Provider: p.Name, Subject: c.Subject, Email: email,
			EmailVerified: c.EmailVerified, LinkedAt: now, LastUsedAt: now}
	}
	var holder *identity.User
	if email != "" {
		u, err := s.users.GetByEmail(ctx, email)
		if err == nil {
			holder = &u
		} else if !errors.Is(err, ports.ErrNotFound) {
			return identity.SignInResult{}, err
		}
	}
	switch {
	case holder != nil && holder.State != identity.StatePending && !c.EmailVerified:
		return identity.SignInResult{}, ports.Refusal(ports.CodeConflict, ReasonAccountExists,
			"an account already uses this email address; sign in to it another way and link this provider from your account")
	case holder != nil && holder.State == identity.StateActive:
		// Both sides verified the address: the same person, unless the
		// account holds another identity of this provider. A provider
		// gives one address one account, so another subject with it means
		// the address changed hands there (a work address given to the
		// next employee): its new owner signs in to the account another
		// way and links it, or not at all.
		if err := s.sameProviderElsewhere(ctx, holder.ID, p.Name, c.Subject); err != nil {
			return identity.SignInResult{}, err
		}
		if err := s.link(ctx, newIdentity(holder.ID), "oidc.link_by_email"); err != nil &&
			!s.linkedTo(ctx, p.Name, c.Subject, holder.ID, err) {
			return identity.SignInResult{}, err
		}
		return s.accounts.SignInFederated(ctx, holder.ID, device)
	case holder != nil && holder.State != identity.StatePending:
		// Locked, banned: no link; the sign-in gives the account's refusal.
		return s.accounts.SignInFederated(ctx, holder.ID, device)
	case !c.EmailVerified || email == "":
		return identity.SignInResult{}, ports.Refusal(ports.CodeForbidden, ReasonEmailNotVerified,
			"the provider did not verify an email address for this account, so no Gatehouse account can be made with it")
	}
	// No account (or only an unconfirmed sign-up, which the new account
	// replaces as a new email sign-up would).
	auth, err := s.accounts.SignUpFederated(ctx, identity.FederatedSignup{Email: email, Name: c.Name,
		AcceptTerms: acceptTerms, Device: device, Link: func(ctx context.Context, u identity.User) error {
			id := newIdentity(u.ID)
			if err := s.identities.Link(ctx, id); err != nil {
				return err
			}
			s.record(ctx, &u.ID, topicAccount, "oidc.link", nil, map[string]string{"provider": p.Name,
				"identity": id.ID.String()})
			return nil
		}})
	if err != nil {
		return identity.SignInResult{}, err
	}
	return identity.SignInResult{Status: identity.SignedIn, Auth: &auth}, nil
}

// sameProviderElsewhere refuses (CONFLICT reason
// ACCOUNT_EXISTS_SIGN_IN_TO_LINK) a link by email to a user who holds an
// identity of provider with another subject.
func (s *SignIn) sameProviderElsewhere(ctx context.Context, userID uuid.UUID, provider, subject string) error {
	held, err := s.identities.OfUser(ctx, userID)
	if err != nil {
		return err
	}
	for _, h := range held {
		if h.Provider == provider && h.Subject != subject {
			return ports.Refusal(ports.CodeConflict, ReasonAccountExists,
				"an account already uses this email address with another account of this provider; sign in to it another way and link this one from your account")
		}
	}
	return nil
}

// linkedTo reports whether err refused a link because a parallel sign-in
// of the same identity (the person's second tab) linked it to userID
// meanwhile: then this sign-in goes on as one with a linked identity
// would, rather than claim the identity opens another account.
func (s *SignIn) linkedTo(ctx context.Context, provider, subject string, userID uuid.UUID, err error) bool {
	var pe *ports.Error
	if !errors.As(err, &pe) || pe.Reason != ReasonLinkedElsewhere {
		return false
	}
	id, ferr := s.identities.Find(ctx, provider, subject)
	return ferr == nil && id.UserID == userID
}

// link links id under its user's lock, within the identity limit.
func (s *SignIn) link(ctx context.Context, id Identity, action string) error {
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		return linkLocked(ctx, s.users, s.identities, s.cfg.MaxIdentitiesPerUser, id)
	})
	s.record(ctx, &id.UserID, topicAccount, action, err, map[string]string{"provider": id.Provider,
		"identity": id.ID.String()})
	return err
}

// linkLocked links id in the caller's transaction, under the user's row
// lock so the limit holds against parallel links. Errors: CONFLICT
// (reasons IDENTITY_LIMIT_REACHED, IDENTITY_LINKED_ELSEWHERE), LOCKED and
// ACCESS_RESTRICTED (the account is no longer active).
func linkLocked(ctx context.Context, users Users, identities Identities, max int, id Identity) error {
	if err := users.Lock(ctx, id.UserID); err != nil {
		return err
	}
	// The account was read before its lock was taken: it may have been
	// deleted (which removed its links), locked or banned meanwhile. A
	// link made now would outlive the deletion, an identity opening a
	// deleted account for ever, so it is decided on the account as it is
	// under the lock.
	u, err := users.GetByID(ctx, id.UserID)
	if err != nil {
		return err
	}
	if err := identity.CheckActive(u); err != nil {
		return err
	}
	held, err := identities.OfUser(ctx, id.UserID)
	if err != nil {
		return err
	}
	if len(held) >= max {
		return ports.Refusal(ports.CodeConflict, ReasonIdentityLimit,
			"this account has linked as many provider identities as it may (%d); unlink one first", max)
	}
	return identities.Link(ctx, id)
}
