package kyc

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/internal/jsonobj"
	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// ProfileInput is a whole profile as its owner or staff writes it.
type ProfileInput struct {
	FirstName   string
	LastName    string
	DateOfBirth string // YYYY-MM-DD
	Address     string
	Postcode    string
	City        string
	Country     string // ISO 3166-1 alpha-2
	// Metadata nil keeps the stored metadata ("{}" for a new profile).
	Metadata map[string]any
}

// PersonalData is what users say about themselves: their profile, which
// they confirm for review and staff may correct, and their extra data
// records (records.go).
type PersonalData struct {
	gate
	trail
	staffAudit
	profiles Profiles
	users    Users
	labeler  labeler
	queue    queue
	tx       ports.TxRunner
	clock    ports.Clock
}

// NewPersonalData returns the profile and data record use cases; callers
// and rules decide who may read and change whose (see gate).
func NewPersonalData(profiles Profiles, documents Documents, submissions Submissions, labels Labels, users Users,
	callers ports.CallerSource, rules Rules, tx ports.TxRunner, clock ports.Clock, activities ports.ActivityLog,
	audit ports.AuditTrail, log *slog.Logger) *PersonalData {
	return &PersonalData{gate: gate{callers: callers, rules: rules},
		trail:      trail{activities: activities, clock: clock, log: log},
		staffAudit: staffAudit{audit: audit, clock: clock}, profiles: profiles, users: users,
		labeler: labeler{store: labels, users: users, clock: clock},
		queue: queue{profiles: profiles, documents: documents, submissions: submissions, activities: activities,
			clock: clock},
		tx: tx, clock: clock}
}

// Bounds of profile and document input.
const (
	maxMetadataBytes = 4 << 10
	minAge           = 18
	dateLayout       = "2006-01-02"
)

// MyProfile returns the caller's profile, nil before one is saved.
// Errors: UNAUTHENTICATED.
func (s *PersonalData) MyProfile(ctx context.Context) (*Profile, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return nil, err
	}
	return storedProfile(ctx, s.profiles, c.UserID)
}

// ProfileOf returns a user's profile (nil when none) to the user or to
// staff who read KYC data. Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *PersonalData) ProfileOf(ctx context.Context, userID uuid.UUID) (*Profile, error) {
	if _, err := s.readerOf(ctx, opReadProfile, userID); err != nil {
		return nil, err
	}
	return readProfile(ctx, s.profiles, userID)
}

// storedProfile returns the user's profile from the store, nil when none.
func storedProfile(ctx context.Context, profiles Profiles, userID uuid.UUID) (*Profile, error) {
	p, err := profiles.GetProfile(ctx, userID)
	if isCode(err, ports.CodeNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// UpsertMyProfile saves the caller's profile; with confirm it is confirmed,
// which sets the PRIVATE label profile=verified and, once the other parts
// are there, submits it for review. A confirmed profile is its owner's no
// more to change. Errors: UNAUTHENTICATED, VALIDATION_FAILED, CONFLICT
// (already confirmed).
func (s *PersonalData) UpsertMyProfile(ctx context.Context, in ProfileInput, confirm bool) (Profile, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Profile{}, err
	}
	now := s.clock.Now()
	p, err := validProfile(in, now)
	if err != nil {
		return Profile{}, err
	}
	p.UserID = c.UserID
	var out Profile
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.users.Lock(ctx, c.UserID); err != nil {
			return err
		}
		old, err := storedProfile(ctx, s.profiles, c.UserID)
		if err != nil {
			return err
		}
		if p.Metadata == nil {
			p.Metadata = keptMetadata(old)
		}
		keepTimes(&p, old)
		if confirm {
			p.ConfirmedAt = &now
		}
		out, err = s.profiles.UpsertProfile(ctx, p, true)
		if isCode(err, ports.CodeConflict) {
			return ports.Errorf(ports.CodeConflict, "your profile is confirmed; only staff can change it now")
		}
		if err != nil || !confirm {
			return err
		}
		_, err = s.labeler.apply(ctx, systemLabel(c.UserID, LabelProfile, "Profile completed and confirmed by its owner"))
		if err != nil {
			return err
		}
		return s.queue.resubmit(ctx, c.UserID)
	})
	details := map[string]string{"confirmed": fmt.Sprint(confirm)}
	if err != nil {
		s.record(ctx, &c.UserID, "profile.save", err, details)
		return Profile{}, err
	}
	s.record(ctx, &c.UserID, "profile.save", nil, details)
	return out, nil
}

// UpdateUserProfile lets staff (the updateUserProfile rows: COMPLIANCE,
// ADMIN, SUPERADMIN by default) write
// another user's profile, confirmed or not; the profile label follows.
// Staff never change their own. Errors: UNAUTHENTICATED, FORBIDDEN,
// NOT_FOUND (no such user), VALIDATION_FAILED.
func (s *PersonalData) UpdateUserProfile(ctx context.Context, userID uuid.UUID, in ProfileInput, confirmed bool) (Profile, error) {
	c, err := s.caller(ctx)
	if err != nil {
		return Profile{}, err
	}
	if !s.rules.Allowed(c.Role, "updateUserProfile") {
		return Profile{}, ports.Errorf(ports.CodeForbidden, "your role may not change profiles")
	}
	details := map[string]string{"confirmed": fmt.Sprint(confirmed)}
	if userID == c.UserID {
		err := ports.Errorf(ports.CodeForbidden, "you may not change your own KYC data")
		s.recordStaff(ctx, c, userID, "profile.staff_update", err, details)
		return Profile{}, err
	}
	now := s.clock.Now()
	p, err := validProfile(in, now)
	if err != nil {
		return Profile{}, err
	}
	p.UserID = userID
	if _, err := s.users.GetByID(ctx, userID); err != nil {
		if isCode(err, ports.CodeNotFound) {
			return Profile{}, ports.Errorf(ports.CodeNotFound, "no such user")
		}
		return Profile{}, err
	}
	var out Profile
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		if err := staffTarget(ctx, s.users, c, userID); err != nil {
			return err
		}
		old, err := storedProfile(ctx, s.profiles, userID)
		if err != nil {
			return err
		}
		if p.Metadata == nil {
			p.Metadata = keptMetadata(old)
		}
		keepTimes(&p, old)
		if confirmed {
			p.ConfirmedAt = &now
			if old != nil && old.ConfirmedAt != nil {
				p.ConfirmedAt = old.ConfirmedAt
			}
		}
		out, err = s.profiles.UpsertProfile(ctx, p, false)
		if err != nil {
			return err
		}
		if !confirmed {
			_, err = s.labeler.remove(ctx, userID, LabelProfile)
			return err
		}
		if _, err = s.labeler.apply(ctx, systemLabel(userID, LabelProfile, "Profile confirmed by staff")); err != nil {
			return err
		}
		// The submission's activity is the user's: no staff IP in it.
		return s.queue.resubmit(ports.WithRequestMeta(ctx, ports.RequestMeta{}), userID)
	})
	s.recordStaff(ctx, c, userID, "profile.staff_update", err, details)
	if err != nil {
		return Profile{}, err
	}
	return out, nil
}

// keepTimes keeps the old profile's CreatedAt, and its UpdatedAt when the
// content (everything but the confirmation) is unchanged: UpdatedAt says
// when the content last changed, which the review compares with its
// submissions (see resubmit).
func keepTimes(p *Profile, old *Profile) {
	if old == nil {
		return
	}
	if !old.CreatedAt.IsZero() && old.CreatedAt.Year() > 1 {
		p.CreatedAt = old.CreatedAt
	}
	if sameContent(*p, *old) && old.UpdatedAt.Year() > 1 {
		p.UpdatedAt = old.UpdatedAt
	}
}

// sameContent compares two profiles' fields and metadata (as JSON values,
// since the store may reformat them).
func sameContent(a, b Profile) bool {
	if a.FirstName != b.FirstName || a.LastName != b.LastName || a.DateOfBirth != b.DateOfBirth ||
		a.Address != b.Address || a.Postcode != b.Postcode || a.City != b.City || a.Country != b.Country {
		return false
	}
	var ma, mb any
	if json.Unmarshal(a.Metadata, &ma) != nil || json.Unmarshal(b.Metadata, &mb) != nil {
		return false
	}
	return reflect.DeepEqual(ma, mb)
}

func keptMetadata(old *Profile) json.RawMessage {
	if old == nil || len(old.Metadata) == 0 {
		return json.RawMessage("{}")
	}
	return old.Metadata
}

// validProfile checks every field and reports all problems at once.
func validProfile(in ProfileInput, now time.Time) (Profile, error) {
	p := Profile{CreatedAt: now, UpdatedAt: now}
	var errs []error
	var err error
	if p.FirstName, err = textin.Name("firstName", in.FirstName, 1, 100); err != nil {
		errs = append(errs, err)
	}
	if p.LastName, err = textin.Name("lastName", in.LastName, 1, 100); err != nil {
		errs = append(errs, err)
	}
	if p.DateOfBirth, err = birthDate("dateOfBirth", in.DateOfBirth, now); err != nil {
		errs = append(errs, err)
	}
	if p.Address, err = text("address", in.Address, 0, 200); err != nil {
		errs = append(errs, err)
	}
	if p.Postcode, err = text("postcode", in.Postcode, 0, 20); err != nil {
		errs = append(errs, err)
	}
	if p.City, err = text("city", in.City, 0, 100); err != nil {
		errs = append(errs, err)
	}
	if strings.TrimSpace(in.Country) == "" {
		errs = append(errs, ports.InvalidField("country", "is required"))
	} else if p.Country, err = contact.ValidateCountry("country", in.Country); err != nil {
		errs = append(errs, err)
	}
	if in.Metadata != nil {
		if p.Metadata, err = jsonobj.Encode("metadata", in.Metadata, maxMetadataBytes); err != nil {
			errs = append(errs, err)
		}
	}
	return p, ports.MergeInvalid(errs...)
}

// birthDate accepts a real YYYY-MM-DD date from 1900 on of someone at
// least 18 years old at now.
func birthDate(field, raw string, now time.Time) (string, error) {
	raw = strings.TrimSpace(raw)
	d, err := time.Parse(dateLayout, raw)
	if err != nil || len(raw) != len(dateLayout) {
		return "", ports.InvalidField(field, "must be a real date written YYYY-MM-DD")
	}
	if d.Year() < 1900 {
		return "", ports.InvalidField(field, "must not be before 1900")
	}
	today := now.UTC().Truncate(24 * time.Hour)
	if d.AddDate(minAge, 0, 0).After(today) {
		return "", ports.InvalidField(field, fmt.Sprintf("must be of someone at least %d years old", minAge))
	}
	return raw, nil
}

// text is the one rule for free text (textin.Text).
var text = textin.Text
