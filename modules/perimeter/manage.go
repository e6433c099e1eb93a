package perimeter

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// Config bounds the perimeter.
type Config struct {
	// MaxRestrictions bounds how many restrictions may exist.
	MaxRestrictions int
	// MaxWhitelinkTTL bounds a whitelink's lifetime (a link cannot be
	// revoked before it expires).
	MaxWhitelinkTTL time.Duration
	// GeoIPDB names the MaxMind-format database file ("" : none).
	GeoIPDB string
}

// DefaultConfig is the issue's limits.
func DefaultConfig() Config {
	return Config{MaxRestrictions: 1000, MaxWhitelinkTTL: 7 * 24 * time.Hour}
}

// MinWhitelinkTTL is the shortest whitelink.
const MinWhitelinkTTL = time.Minute

// Service manages the restrictions and issues whitelinks. Who may call it
// is the permission rows' decision (ADMIN and SUPERADMIN by default).
type Service struct {
	cfg   Config
	store Store
	tx    ports.TxRunner
	links *Whitelinks
	clock ports.Clock
	// gate, when set, refuses the changes that would shut their author
	// out (see GuardLockout).
	gate *Gate
}

// GuardLockout makes the service refuse a create, update or delete that would
// have g refuse the address of the staff member making it, when g
// serves them now: the rule would also refuse the call that undoes it,
// and only SQL would get them back. A caller presenting a valid
// whitelink may (they keep a way back in, and make the next link with
// it), and so may one the rules refuse already.
func (s *Service) GuardLockout(g *Gate) { s.gate = g }

// lockout checks r, new or changed, against the other restrictions
// (read in the caller's transaction). Errors: CONFLICT (reason
// SELF_LOCKOUT).
func (s *Service) lockout(ctx context.Context, r Restriction) error {
	return s.lockoutWith(ctx, r.ID, &r)
}

// lockoutWith checks the restrictions with the one of id replaced by r
// (nil: removed).
func (s *Service) lockoutWith(ctx context.Context, id uuid.UUID, r *Restriction) error {
	if s.gate == nil {
		return nil
	}
	before, err := s.store.All(ctx)
	if err != nil {
		return err
	}
	after := slices.DeleteFunc(slices.Clone(before), func(o Restriction) bool { return o.ID == id })
	if r != nil {
		after = append(after, *r)
	}
	if s.gate.shutsOut(ctx, after) && !s.gate.shutsOut(ctx, before) {
		return ports.Refusal(ports.CodeConflict, ReasonSelfLockout,
			"this would refuse your own address, and with it the way to undo it; allow your address first")
	}
	return nil
}

// NewService returns the restrictions' service.
func NewService(cfg Config, store Store, tx ports.TxRunner, links *Whitelinks, clock ports.Clock) *Service {
	return &Service{cfg: cfg, store: store, tx: tx, links: links, clock: clock}
}

// Input is a new restriction.
type Input struct {
	Scope    Scope
	Value    string
	Category Category
	State    State
	Code     int
	// Reason is why (optional, at most 500 characters); the audit trail
	// of the call keeps it.
	Reason string
}

// Change is a change of a restriction (nil: unchanged).
type Change struct {
	ID       uuid.UUID
	Scope    *Scope
	Value    *string
	Category *Category
	State    *State
	Code     *int
	Reason   string // as Input.Reason
}

// checkReason checks an optional reason (kept by the audit trail of the
// call, not here).
func checkReason(reason string) error {
	if reason == "" {
		return nil
	}
	_, err := textin.Reason("reason", reason)
	return err
}

// check validates every field of r at once and canonicalises its value.
func check(r *Restriction) error {
	var errs []error
	v, err := CanonicalValue(r.Scope, r.Value)
	if err != nil {
		errs = append(errs, err)
	}
	r.Value = v
	if !validCategory(r.Category) {
		errs = append(errs, ports.InvalidField("category", "must be WHITELIST, BLACKLIST, MAINTENANCE or BLOCKLOGIN"))
	}
	if !validState(r.State) {
		errs = append(errs, ports.InvalidField("state", "must be ENABLED or DISABLED"))
	}
	if r.Code < 1 || r.Code > MaxCode {
		errs = append(errs, ports.InvalidField("code", fmt.Sprintf("must be from 1 to %d", MaxCode)))
	}
	return ports.MergeInvalid(errs...)
}

// Create adds a restriction; every instance applies it within a second.
// Errors: VALIDATION_FAILED, CONFLICT (the same scope, value and category
// exist), CONFLICT (reason RESTRICTION_LIMIT_REACHED).
func (s *Service) Create(ctx context.Context, in Input) (Restriction, error) {
	now := s.clock.Now().UTC()
	r := Restriction{ID: uuid.New(), Scope: in.Scope, Value: in.Value, Category: in.Category, State: in.State,
		Code: in.Code, CreatedAt: now, UpdatedAt: now}
	if r.State == "" {
		r.State = StateEnabled
	}
	if err := ports.MergeInvalid(check(&r), checkReason(in.Reason)); err != nil {
		return Restriction{}, err
	}
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.Lock(ctx); err != nil {
			return err
		}
		n, err := s.store.Count(ctx)
		if err != nil {
			return err
		}
		if n >= s.cfg.MaxRestrictions {
			return ports.Refusal(ports.CodeConflict, ReasonLimitReached,
				"at most %d restrictions may exist; delete one first", s.cfg.MaxRestrictions)
		}
		if err := s.lockout(ctx, r); err != nil {
			return err
		}
		return s.store.Create(ctx, r)
	})
	if err != nil {
		return Restriction{}, err
	}
	return r, nil
}

// Update changes a restriction. Errors: VALIDATION_FAILED, NOT_FOUND,
// CONFLICT.
func (s *Service) Update(ctx context.Context, ch Change) (Restriction, error) {
	if err := checkReason(ch.Reason); err != nil {
		return Restriction{}, err
	}
	var out Restriction
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		r, err := s.store.Get(ctx, ch.ID)
		if err != nil {
			return err
		}
		if ch.Scope != nil {
			r.Scope = *ch.Scope
		}
		if ch.Value != nil {
			r.Value = *ch.Value
		}
		if ch.Category != nil {
			r.Category = *ch.Category
		}
		if ch.State != nil {
			r.State = *ch.State
		}
		if ch.Code != nil {
			r.Code = *ch.Code
		}
		if err := check(&r); err != nil {
			return err
		}
		if err := s.lockout(ctx, r); err != nil {
			return err
		}
		r.UpdatedAt = s.clock.Now().UTC()
		if err := s.store.Update(ctx, r); err != nil {
			return err
		}
		out = r
		return nil
	})
	return out, err
}

// Delete removes a restriction; false when there was none. reason is as
// Input.Reason. Errors: VALIDATION_FAILED (reason), CONFLICT (reason
// SELF_LOCKOUT, see GuardLockout).
func (s *Service) Delete(ctx context.Context, id uuid.UUID, reason string) (bool, error) {
	if err := checkReason(reason); err != nil {
		return false, err
	}
	if s.gate == nil {
		return s.store.Delete(ctx, id)
	}
	var ok bool
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.Lock(ctx); err != nil {
			return err
		}
		if err := s.lockoutWith(ctx, id, nil); err != nil {
			return err
		}
		var err error
		ok, err = s.store.Delete(ctx, id)
		return err
	})
	return ok, err
}

// Get returns one restriction; NOT_FOUND.
func (s *Service) Get(ctx context.Context, id uuid.UUID) (Restriction, error) {
	return s.store.Get(ctx, id)
}

// MaxPage is the largest page of restrictions.
const MaxPage = 200

// Page is one page of restrictions.
type Page struct {
	Items   []Restriction
	HasNext bool
}

// List returns a page of restrictions matching f, oldest first, after the
// cursor (empty: from the start). Errors: VALIDATION_FAILED (first, after).
func (s *Service) List(ctx context.Context, f Filter, first int, after string) (Page, error) {
	if first < 0 || first > MaxPage {
		return Page{}, ports.InvalidField("first", fmt.Sprintf("must be from 0 to %d", MaxPage))
	}
	var at time.Time
	var id uuid.UUID
	if after != "" {
		var err error
		if at, id, err = ports.DecodeCursor(after); err != nil {
			return Page{}, err
		}
	}
	rs, err := s.store.Page(ctx, f, at, id, first+1)
	if err != nil {
		return Page{}, err
	}
	items, more := ports.TrimPage(rs, first)
	return Page{Items: items, HasNext: more}, nil
}

// Cursor is a restriction's cursor in List.
func Cursor(r Restriction) string { return ports.EncodeCursor(r.CreatedAt, r.ID) }

// CreateWhitelink issues a whitelink valid for expiresIn seconds (a minute
// to MaxWhitelinkTTL; seconds, not a Duration, so that no client number
// can overflow into the range); reason is as Input.Reason. Errors:
// VALIDATION_FAILED on "expiresIn", "reason".
func (s *Service) CreateWhitelink(_ context.Context, expiresIn int, reason string) (Whitelink, error) {
	var bad error
	lo, hi := int(MinWhitelinkTTL/time.Second), int(s.cfg.MaxWhitelinkTTL/time.Second)
	if expiresIn < lo || expiresIn > hi {
		bad = ports.InvalidField("expiresIn", fmt.Sprintf("must be from %d to %d seconds", lo, hi))
	}
	if err := ports.MergeInvalid(bad, checkReason(reason)); err != nil {
		return Whitelink{}, err
	}
	return s.links.issue(s.clock.Now().Add(time.Duration(expiresIn) * time.Second)), nil
}
