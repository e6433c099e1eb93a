package accounts

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// isNotFound reports whether a store said there is no such row.
func isNotFound(err error) bool {
	return errors.Is(err, ports.ErrNotFound) || ports.ErrorCodeOf(err) == ports.CodeNotFound
}

// OpenAccount opens another account for a user, for the roles the
// openAccount rows allow (ADMIN and SUPERADMIN by default).
// The account's email is the user's unless in.Email is given.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (email,
// subAccountId, subAccountEmail, additionalInfo), NOT_FOUND (no such user,
// or a deleted one), CONFLICT (the user has MaxAccountsPerUser accounts).
func (s *Service) OpenAccount(ctx context.Context, in OpenAccountInput) (Account, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Account{}, err
	}
	if !s.rules.Allowed(c.Role, "openAccount") {
		return Account{}, ports.Errorf(ports.CodeForbidden, "your role may not open accounts")
	}
	email, errEmail := optionalEmail("email", in.Email)
	subID, errSubID := cleanText("subAccountId", in.SubAccountID, MaxSubAccountIDLength)
	subEmail, errSubEmail := optionalEmail("subAccountEmail", in.SubAccountEmail)
	info, errInfo := additionalInfo("additionalInfo", in.AdditionalInfo)
	if err := ports.MergeInvalid(errEmail, errSubID, errSubEmail, errInfo); err != nil {
		return Account{}, err
	}
	u, err := s.users.GetByID(ctx, in.UserID)
	if isNotFound(err) || (err == nil && u.State == identity.StateDeleted) {
		return Account{}, ports.Errorf(ports.CodeNotFound, "no such user")
	}
	if err != nil {
		return Account{}, err
	}
	if email == "" {
		email = u.Email
	}
	a := Account{ID: newID(), UserID: u.ID, Email: email, SubAccountID: subID,
		SubAccountEmail: subEmail, Active: true, AdditionalInfo: info, CreatedAt: s.now()}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		// The user's row lock serialises concurrent openings for the user,
		// so the count below cannot be raced past the limit.
		if err := s.users.Lock(ctx, u.ID); err != nil {
			return err
		}
		have, err := s.store.AccountsByUsers(ctx, []uuid.UUID{u.ID})
		if err != nil {
			return err
		}
		if len(have) >= s.cfg.MaxAccountsPerUser {
			return ports.Errorf(ports.CodeConflict, "the user already has %d accounts, the most allowed",
				s.cfg.MaxAccountsPerUser)
		}
		if err := s.store.CreateAccount(ctx, a); err != nil {
			return err
		}
		s.recordStaff(ctx, c, u.ID, "account.open", nil, map[string]string{"account": a.ID.String()})
		return nil
	})
	if err != nil {
		if ports.ErrorCodeOf(err) == ports.CodeConflict {
			s.recordStaff(ctx, c, u.ID, "account.open", err, nil)
		}
		return Account{}, err
	}
	s.forgetAccountsOf(ctx, u.ID)
	return a, nil
}

// newAccount is the account a user gets when sign-up completes.
func newAccount(u identity.User, now time.Time) Account {
	return Account{ID: newID(), UserID: u.ID, Email: u.Email, Active: true,
		AdditionalInfo: json.RawMessage("{}"), CreatedAt: now}
}
