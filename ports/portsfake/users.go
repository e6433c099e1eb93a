package portsfake

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.UserStore = (*UserStore)(nil)

// UserStore implements ports.UserStore.
type UserStore struct {
	creds *CredentialStore

	mu      sync.Mutex
	users   map[uuid.UUID]ports.User
	devices map[uuid.UUID]ports.Device
	terms   []ports.TermsAcceptance
}

// NewUserStore returns an empty store. With creds, HasPIN is derived from
// whether creds holds a PIN for the user, as the database derives it, and
// the HasPIN given to Create is ignored; with nil, HasPIN is kept as given.
func NewUserStore(creds *CredentialStore) *UserStore {
	return &UserStore{creds: creds, users: map[uuid.UUID]ports.User{}, devices: map[uuid.UUID]ports.Device{}}
}

func conflict(field, problem string) error {
	e := &ports.Error{Code: ports.CodeConflict, Message: "already exists", Cause: ports.ErrConflict}
	if field != "" {
		e.Fields = map[string]string{field: problem}
	}
	return e
}

// Create inserts u. Like the table's unique columns: a taken phone (empty
// means none) or referral code is a CONFLICT naming the field.
func (s *UserStore) Create(ctx context.Context, u ports.User) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.users[u.ID]; ok {
		return conflict("", "")
	}
	for _, o := range s.users {
		if u.Phone != "" && o.Phone == u.Phone {
			return conflict("phone", "is already registered")
		}
		if o.ReferralCode == u.ReferralCode {
			return conflict("referralCode", "is already taken")
		}
	}
	s.users[u.ID] = u
	return nil
}

func (s *UserStore) withPIN(u ports.User) ports.User {
	if s.creds != nil {
		u.HasPIN = s.creds.hasPIN(u.ID)
	}
	return u
}

func (s *UserStore) GetByID(ctx context.Context, id uuid.UUID) (ports.User, error) {
	s.mu.Lock()
	u, ok := s.users[id]
	s.mu.Unlock()
	if !ok {
		return ports.User{}, ports.ErrNotFound
	}
	return s.withPIN(u), nil
}

func (s *UserStore) GetByPhone(ctx context.Context, phone string) (ports.User, error) {
	s.mu.Lock()
	var (
		found ports.User
		ok    bool
	)
	for _, u := range s.users {
		if phone != "" && u.Phone == phone {
			found, ok = u, true
			break
		}
	}
	s.mu.Unlock()
	if !ok {
		return ports.User{}, ports.ErrNotFound
	}
	return s.withPIN(found), nil
}

// SetState changes a user's state (tests use it to lock or ban).
func (s *UserStore) SetState(id uuid.UUID, state string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.users[id]
	if !ok {
		return ports.ErrNotFound
	}
	u.State = state
	s.users[id] = u
	return nil
}

// UpsertDevice inserts d, or updates the device with the same user and
// key: name when d's is not empty, trusted only upgraded to true, last
// seen always.
func (s *UserStore) UpsertDevice(ctx context.Context, d ports.Device) (ports.Device, error) {
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
			return o, nil
		}
	}
	if d.ID == uuid.Nil {
		d.ID = uuid.New()
	}
	if _, ok := s.devices[d.ID]; ok {
		return ports.Device{}, conflict("", "")
	}
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

func (s *UserStore) GetDevice(ctx context.Context, userID uuid.UUID, deviceKey string) (ports.Device, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, d := range s.devices {
		if d.UserID == userID && d.DeviceKey == deviceKey {
			return d, nil
		}
	}
	return ports.Device{}, ports.ErrNotFound
}

// ListDevices returns the user's devices, last seen first, at most 100.
func (s *UserStore) ListDevices(ctx context.Context, userID uuid.UUID) ([]ports.Device, error) {
	s.mu.Lock()
	var out []ports.Device
	for _, d := range s.devices {
		if d.UserID == userID {
			out = append(out, d)
		}
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b ports.Device) int {
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
func (s *UserStore) RecordTermsAcceptance(ctx context.Context, a ports.TermsAcceptance) error {
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
func (s *UserStore) TermsAcceptances(userID uuid.UUID) []ports.TermsAcceptance {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ports.TermsAcceptance
	for _, a := range s.terms {
		if a.UserID == userID {
			out = append(out, a)
		}
	}
	return out
}
