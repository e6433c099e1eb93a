package identity

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"slices"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/ports"
)

// StaffService is what operators do for staff: create staff accounts (the
// CLI and the dev seed). Staff read any user through the ReadService.
type StaffService struct {
	recorder
	events
	users     Users
	pins      PINs
	passwords Passwords
	hasher    ports.SecretHasher
	tx        ports.TxRunner
}

// NewStaffService returns the staff service; hooks hear of each account
// created.
func NewStaffService(users Users, pins PINs, passwords Passwords, hasher ports.SecretHasher, hooks []UserHook,
	tx ports.TxRunner, activities ports.ActivityLog, clock ports.Clock, log *slog.Logger) *StaffService {
	return &StaffService{recorder: recorder{activities: activities, clock: clock, log: log},
		events: events{hooks: hooks, users: users}, users: users, pins: pins, passwords: passwords, hasher: hasher,
		tx: tx}
}

// Roles a user may hold.
var Roles = []string{RoleMember, "SUPPORT", "COMPLIANCE", "ACCOUNTANT", "ADMIN", "SUPERADMIN", "PARTNER"}

// CreateUser makes an account with role and a random PIN, for operators
// (`gatehouse admin create`) and the dev admin that `make run` seeds. The
// PIN is returned once and stored only hashed; the user signs in with it
// and verifies the phone by SMS on first use of a device. created is false,
// with no PIN, when the phone already has an account.
// Errors: VALIDATION_FAILED.
func (s *StaffService) CreateUser(ctx context.Context, rawPhone, role string) (u User, pin string, created bool, err error) {
	phone, err := contact.NormalizePhone("phone", rawPhone)
	if err != nil {
		return User{}, "", false, err
	}
	if !slices.Contains(Roles, role) {
		return User{}, "", false, ports.InvalidField("role", "is not a known role")
	}
	if u, err := s.users.GetByPhone(ctx, phone); err == nil {
		return u, "", false, nil
	} else if !errors.Is(err, ports.ErrNotFound) {
		return User{}, "", false, err
	}
	if pin, err = randomPIN(phone); err != nil {
		return User{}, "", false, err
	}
	hash, err := s.hasher.Hash(ctx, pin)
	if err != nil {
		return User{}, "", false, err
	}
	code, err := newReferralCode()
	if err != nil {
		return User{}, "", false, err
	}
	now := s.clock.Now()
	u = User{ID: uuid.New(), Phone: phone, State: StateActive, Role: role, Level: 1,
		ReferralCode: code, HasPIN: true, CreatedAt: now, UpdatedAt: now}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Create(ctx, u); err != nil {
			return err
		}
		if err := s.pins.CreatePIN(ctx, u.ID, hash, now); err != nil {
			return err
		}
		var err error
		if u, err = s.emit(ctx, UserActivated, u); err != nil {
			return err
		}
		s.record(ctx, &u.ID, "SIGNUP", "user.created_by_operator", nil, map[string]string{"role": role})
		return nil
	})
	if err != nil {
		return User{}, "", false, err
	}
	return u, pin, true, nil
}

// randomPIN draws 6-digit PINs until one passes the PIN rules.
func randomPIN(phone string) (string, error) {
	for {
		n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
		if err != nil {
			return "", err
		}
		pin := fmt.Sprintf("%06d", n)
		if ValidatePIN("pin", pin, phone) == nil {
			return pin, nil
		}
	}
}

// CreateUserWithEmail makes an ACTIVE account with role whose email counts
// as verified and whose password is password, for operators bootstrapping
// staff (`gatehouse admin create --email`). An unconfirmed sign-up holding
// the address gives way, as it does to a sign-up; created is false when an
// account has the address. Errors: VALIDATION_FAILED.
func (s *StaffService) CreateUserWithEmail(ctx context.Context, rawEmail, role, password string) (u User, created bool, err error) {
	email, err := contact.NormalizeEmail("email", rawEmail)
	if err != nil {
		return User{}, false, err
	}
	if !slices.Contains(Roles, role) {
		return User{}, false, ports.InvalidField("role", "is not a known role")
	}
	if err := ValidatePassword("password", password, email); err != nil {
		return User{}, false, err
	}
	if u, err := s.users.GetByEmail(ctx, email); err == nil && u.State != StatePending {
		return u, false, nil
	} else if err != nil && !errors.Is(err, ports.ErrNotFound) {
		return User{}, false, err
	}
	hash, err := s.hasher.Hash(ctx, password)
	if err != nil {
		return User{}, false, err
	}
	code, err := newReferralCode()
	if err != nil {
		return User{}, false, err
	}
	now := s.clock.Now()
	u = User{ID: uuid.New(), Email: email, State: StateActive, Role: role, ReferralCode: code,
		HasPassword: true, CreatedAt: now, UpdatedAt: now}
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := insertPasswordUser(ctx, s.users, s.passwords, u, hash); err != nil {
			return err
		}
		var err error
		if u, err = s.emit(ctx, UserActivated, u); err != nil {
			return err
		}
		s.record(ctx, &u.ID, "ACCOUNT", "user.created_by_operator", nil, map[string]string{"role": role})
		return nil
	})
	if err != nil {
		return User{}, false, err
	}
	return u, true, nil
}
