package identitytest

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

var (
	_ identity.Users       = (*UserStore)(nil)
	_ identity.UserChanges = (*UserStore)(nil)
	_ identity.Devices     = (*UserStore)(nil)
	_ UserExtras           = (*UserStore)(nil)
)

// UserStore implements identity's Users, UserChanges and Devices, and the
// UserExtras of kyc, accounts and admin, like adapters/postgres's
// UserStore.
type UserStore struct {
	creds    *CredentialStore
	sessions *SessionStore

	mu      sync.Mutex
	users   map[uuid.UUID]identity.User
	devices map[uuid.UUID]identity.Device
	terms   []identity.TermsAcceptance
}

// NewUserStore returns an empty store. With creds, HasPIN, HasPassword and
// TOTPEnabled are derived from what creds holds for the user, as the
// database derives them, and the values given to Create are ignored; with
// nil, they are kept as given. Removing a user (DeletePending) also
// removes their credentials from creds, as the database cascades.
func NewUserStore(creds *CredentialStore) *UserStore {
	return &UserStore{creds: creds, users: map[uuid.UUID]identity.User{}, devices: map[uuid.UUID]identity.Device{}}
}

// WithSessions links a session store: removing a device (Scrub,
// DeletePending) then also removes its sessions and refresh tokens, as the
// database's cascade does. It returns s.
func (s *UserStore) WithSessions(sessions *SessionStore) *UserStore {
	s.mu.Lock()
	s.sessions = sessions
	s.mu.Unlock()
	return s
}

func conflict(field, problem string) error {
	e := &ports.Error{Code: ports.CodeConflict, Message: "already exists", Cause: ports.ErrConflict}
	if field != "" {
		e.Fields = map[string]string{field: problem}
	}
	return e
}

// errUpperEmail mirrors the table's CHECK (email = lower(email)).
var errUpperEmail = errors.New("portsfake: email must be lower-cased")

// Create inserts u. Like the table's unique columns: a taken phone, email
// (empty means none) or referral code is a CONFLICT naming the field.
func (s *UserStore) Create(ctx context.Context, u identity.User) error {
	if u.Email != strings.ToLower(u.Email) {
		return errUpperEmail
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[u.ID]; ok {
		return conflict("", "")
	}
	for _, o := range s.users {
		if u.Phone != "" && o.Phone == u.Phone {
			return conflict("phone", "is already registered")
		}
		if u.Email != "" && o.Email == u.Email {
			return conflict("email", "is already registered")
		}
		if o.ReferralCode == u.ReferralCode {
			return conflict("referralCode", "is already taken")
		}
	}
	u.ReferredBy, u.DeletedAt = portstest.Clone(u.ReferredBy), portstest.Clone(u.DeletedAt)
	s.users[u.ID] = u
	return nil
}

// All returns every user, in no order, as GetByID returns them (for
// fakes of other modules' reads over the same users, such as admintest's
// UserDirectory).
func (s *UserStore) All() []identity.User {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]identity.User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, s.withCreds(u))
	}
	return out
}

// withCreds fills the flags the database derives from the credential
// tables, and copies the pointers so callers cannot change the store.
func (s *UserStore) withCreds(u identity.User) identity.User {
	if s.creds != nil {
		u.HasPIN, u.HasPassword, u.TOTPEnabled = s.creds.flags(u.ID)
	}
	u.ReferredBy, u.DeletedAt = portstest.Clone(u.ReferredBy), portstest.Clone(u.DeletedAt)
	return u
}

func (s *UserStore) GetByID(ctx context.Context, id uuid.UUID) (identity.User, error) {
	s.mu.Lock()
	u, ok := s.users[id]
	s.mu.Unlock()
	if !ok {
		return identity.User{}, ports.ErrNotFound
	}
	return s.withCreds(u), nil
}

// GetByIDs returns the users that exist among ids.
func (s *UserStore) GetByIDs(ctx context.Context, ids []uuid.UUID) ([]identity.User, error) {
	var out []identity.User
	for _, id := range ids {
		if u, err := s.GetByID(ctx, id); err == nil {
			out = append(out, u)
		}
	}
	return out, nil
}

// GetByPhone matches the proven phone only, never PendingPhone.
func (s *UserStore) GetByPhone(ctx context.Context, phone string) (identity.User, error) {
	return s.find(func(u identity.User) bool { return phone != "" && u.Phone == phone })
}

func (s *UserStore) GetByEmail(ctx context.Context, email string) (identity.User, error) {
	return s.find(func(u identity.User) bool { return email != "" && u.Email == email })
}

func (s *UserStore) GetByReferralCode(ctx context.Context, code string) (identity.User, error) {
	return s.find(func(u identity.User) bool { return u.ReferralCode == code })
}

// find returns the user match accepts (the columns it looks at are unique).
func (s *UserStore) find(match func(identity.User) bool) (identity.User, error) {
	s.mu.Lock()
	var (
		found identity.User
		ok    bool
	)
	for _, u := range s.users {
		if match(u) {
			found, ok = u, true
			break
		}
	}
	s.mu.Unlock()
	if !ok {
		return identity.User{}, ports.ErrNotFound
	}
	return s.withCreds(found), nil
}

// DeletePending removes a PENDING user holding email with what the
// database would cascade to: credentials, devices (and, when linked,
// sessions), terms acceptances; other users' ReferredBy to it become nil.
func (s *UserStore) DeletePending(ctx context.Context, email string) (bool, error) {
	s.mu.Lock()
	var (
		id    uuid.UUID
		found bool
	)
	for _, u := range s.users {
		if email != "" && u.Email == email && u.State == "PENDING" {
			id, found = u.ID, true
			break
		}
	}
	if !found {
		s.mu.Unlock()
		return false, nil
	}
	delete(s.users, id)
	for oid, o := range s.users {
		if o.ReferredBy != nil && *o.ReferredBy == id {
			o.ReferredBy = nil
			s.users[oid] = o
		}
	}
	s.terms = slices.DeleteFunc(s.terms, func(a identity.TermsAcceptance) bool { return a.UserID == id })
	devices := s.dropDevices(id)
	sessions := s.sessions
	s.mu.Unlock()
	s.creds.dropUser(id, devices)
	sessions.dropDevices(devices)
	return true, nil
}

// dropDevices deletes the user's devices and returns their ids; s.mu must
// be held.
func (s *UserStore) dropDevices(userID uuid.UUID) []uuid.UUID {
	var ids []uuid.UUID
	for id, d := range s.devices {
		if d.UserID == userID {
			ids = append(ids, id)
			delete(s.devices, id)
		}
	}
	return ids
}

// modify applies fn to the stored user id (ErrNotFound when none) and
// returns the result; fn's error leaves the user unchanged.
func (s *UserStore) modify(id uuid.UUID, fn func(u *identity.User) error) (identity.User, error) {
	s.mu.Lock()
	u, ok := s.users[id]
	if !ok {
		s.mu.Unlock()
		return identity.User{}, ports.ErrNotFound
	}
	if err := fn(&u); err != nil {
		s.mu.Unlock()
		return identity.User{}, err
	}
	s.users[id] = u
	s.mu.Unlock()
	return s.withCreds(u), nil
}

// SetState changes a user's state (ErrNotFound when no such user).
func (s *UserStore) SetState(ctx context.Context, id uuid.UUID, state string, at time.Time) error {
	_, err := s.modify(id, func(u *identity.User) error {
		u.State, u.UpdatedAt = state, at
		return nil
	})
	return err
}

// SetRole changes a user's role (ErrNotFound when no such user).
func (s *UserStore) SetRole(ctx context.Context, id uuid.UUID, role string, at time.Time) error {
	_, err := s.modify(id, func(u *identity.User) error {
		u.Role, u.UpdatedAt = role, at
		return nil
	})
	return err
}

func (s *UserStore) SetLevel(ctx context.Context, id uuid.UUID, level int, at time.Time) error {
	_, err := s.modify(id, func(u *identity.User) error {
		u.Level, u.UpdatedAt = level, at
		return nil
	})
	return err
}

// Lock only checks that the user exists: the fake runs one call at a time.
func (s *UserStore) Lock(ctx context.Context, id uuid.UUID) error {
	_, err := s.modify(id, func(*identity.User) error { return nil })
	return err
}

func (s *UserStore) UpdateProfile(ctx context.Context, id uuid.UUID, p identity.ProfileUpdate, at time.Time) (identity.User, error) {
	return s.modify(id, func(u *identity.User) error {
		u.Name, u.ImageURL, u.CountryCode, u.Locale, u.UpdatedAt = p.Name, p.ImageURL, p.CountryCode, p.Locale, at
		return nil
	})
}

// SetPhone sets the proven phone and clears PendingPhone; a phone another
// user has is a CONFLICT on "phone".
func (s *UserStore) SetPhone(ctx context.Context, id uuid.UUID, phone string, at time.Time) error {
	_, err := s.modify(id, func(u *identity.User) error {
		for oid, o := range s.users {
			if oid != id && phone != "" && o.Phone == phone {
				return conflict("phone", "is already registered")
			}
		}
		u.Phone, u.PendingPhone, u.UpdatedAt = phone, "", at
		return nil
	})
	return err
}

// SetEmail sets the email; one another user has is a CONFLICT on "email".
func (s *UserStore) SetEmail(ctx context.Context, id uuid.UUID, email string, at time.Time) error {
	if email != strings.ToLower(email) {
		return errUpperEmail
	}
	_, err := s.modify(id, func(u *identity.User) error {
		for oid, o := range s.users {
			if oid != id && email != "" && o.Email == email {
				return conflict("email", "is already registered")
			}
		}
		u.Email, u.UpdatedAt = email, at
		return nil
	})
	return err
}

// Scrub blanks the personal fields, marks the user DELETED and removes
// their devices (with their wrong-PIN counts and, when linked, sessions).
// Terms acceptances stay, as do activities (another store).
func (s *UserStore) Scrub(ctx context.Context, id uuid.UUID, at time.Time) error {
	s.mu.Lock()
	u, ok := s.users[id]
	if !ok {
		s.mu.Unlock()
		return ports.ErrNotFound
	}
	u.Phone, u.PendingPhone, u.Email, u.FirebaseUID = "", "", "", ""
	u.Name, u.ImageURL, u.CountryCode, u.Locale = "", "", "", ""
	deleted := at
	u.State, u.DeletedAt, u.UpdatedAt = "DELETED", &deleted, at
	s.users[id] = u
	devices := s.dropDevices(id)
	sessions := s.sessions
	s.mu.Unlock()
	for _, d := range devices {
		s.creds.clearDeviceLock(id, d)
	}
	sessions.dropDevices(devices)
	return nil
}

// SetPush stores p on the user's device (ErrNotFound when it is not theirs).
func (s *UserStore) SetPush(ctx context.Context, userID, deviceID uuid.UUID, p identity.PushRegistration) (identity.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.devices[deviceID]
	if !ok || d.UserID != userID {
		return identity.Device{}, ports.ErrNotFound
	}
	d.Push = &p
	s.devices[deviceID] = d
	return cloneDevice(d), nil
}

// ClearPush drops a device's push registration; an unknown device is no
// error.
func (s *UserStore) ClearPush(ctx context.Context, deviceID uuid.UUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d, ok := s.devices[deviceID]; ok {
		d.Push = nil
		s.devices[deviceID] = d
	}
	return nil
}

func cloneDevice(d identity.Device) identity.Device {
	if d.Push != nil {
		p := *d.Push
		d.Push = &p
	}
	return d
}

// UpsertDevice inserts d, or updates the device with the same user and
// key: name when d's is not empty, trusted only upgraded to true, last
// seen always. d.Push is ignored (see SetPush).
func (s *UserStore) UpsertDevice(ctx context.Context, d identity.Device) (identity.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id, o := range s.devices {
		if o.UserID == d.UserID && o.DeviceKey == d.DeviceKey {
			if d.Name != "" {
				o.Name = d.Name
			}
			o.Trusted = o.Trusted || d.Trusted
			if d.SecretHash != nil {
				o.SecretHash = d.SecretHash
				s.creds.clearDeviceLock(o.UserID, o.ID)
			}
			o.LastSeenAt = d.LastSeenAt
			s.devices[id] = o
			return cloneDevice(o), nil
		}
	}
	if d.ID == uuid.Nil {
		d.ID = uuid.New()
	}
	if _, ok := s.devices[d.ID]; ok {
		return identity.Device{}, conflict("", "")
	}
	d.Push = nil
	s.devices[d.ID] = d
	return d, nil
}

func (s *UserStore) UntrustDevices(ctx context.Context, userID, keep uuid.UUID) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for id, d := range s.devices {
		if d.UserID != userID || id == keep || (!d.Trusted && d.SecretHash == nil) {
			continue
		}
		d.Trusted, d.SecretHash = false, nil
		s.devices[id] = d
		s.creds.clearDeviceLock(userID, id)
		n++
	}
	return n, nil
}

func (s *UserStore) GetDevice(ctx context.Context, userID uuid.UUID, deviceKey string) (identity.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.devices {
		if d.UserID == userID && d.DeviceKey == deviceKey {
			return cloneDevice(d), nil
		}
	}
	return identity.Device{}, ports.ErrNotFound
}

// ListDevices returns the user's devices, last seen first, at most 100.
func (s *UserStore) ListDevices(ctx context.Context, userID uuid.UUID) ([]identity.Device, error) {
	s.mu.Lock()
	var out []identity.Device
	for _, d := range s.devices {
		if d.UserID == userID {
			out = append(out, cloneDevice(d))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b identity.Device) int {
		if c := b.LastSeenAt.Compare(a.LastSeenAt); c != 0 {
			return c
		}
		return cmp.Compare(a.ID.String(), b.ID.String())
	})
	if len(out) > 100 {
		out = out[:100]
	}
	return out, nil
}

// RecordTermsAcceptance keeps the first acceptance of a (user, kind,
// version) and ignores repeats.
func (s *UserStore) RecordTermsAcceptance(ctx context.Context, a identity.TermsAcceptance) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[a.UserID]; !ok {
		return errors.New("portsfake: terms acceptance for an unknown user")
	}
	for _, o := range s.terms {
		if o.UserID == a.UserID && o.Kind == a.Kind && o.Version == a.Version {
			return nil
		}
	}
	s.terms = append(s.terms, a)
	return nil
}

// TermsAcceptances returns the user's acceptances, oldest first.
func (s *UserStore) TermsAcceptances(userID uuid.UUID) []identity.TermsAcceptance {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []identity.TermsAcceptance
	for _, a := range s.terms {
		if a.UserID == userID {
			out = append(out, a)
		}
	}
	return out
}
