package admin

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// User states (the identity module owns them; staff set the last three).
const (
	statePending = "PENDING"
	stateActive  = "ACTIVE"
	stateLocked  = "LOCKED"
	stateBanned  = "BANNED"
	stateDeleted = "DELETED"
)

// Bounds of lists and inputs.
const (
	maxPage        = 100
	defaultPage    = 50
	countLimit     = 10000
	defaultRecent  = 20
	maxActionChars = 64
)

// LabelMatchInput asks for users carrying a label key (and value).
type LabelMatchInput struct {
	Key   string
	Value *string
}

// UserFilterInput is a user search's conditions as a client sent them;
// nil is no condition.
type UserFilterInput struct {
	ID               *string
	Email            *string
	Phone            *string
	Name             *string
	Role             *string
	State            *string
	LevelMin         *int
	LevelMax         *int
	Country          *string
	KYCStatus        *string
	Label            *LabelMatchInput
	CreatedFrom      *time.Time
	CreatedTo        *time.Time
	DocumentsPending *bool
}

// UserPage is one page of a user search.
type UserPage struct {
	Hits       []UserHit
	HasNext    bool
	EndCursor  string
	Total      int
	TotalExact bool
}

var (
	labelKeyRE = regexp.MustCompile(`^[a-z][a-z0-9_.-]{0,63}$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9]{2,16}$`)
	allRoles   = []string{ports.RoleMember, ports.RoleSupport, ports.RoleCompliance, ports.RoleAccountant,
		ports.RoleAdmin, ports.RoleSuperadmin, ports.RolePartner}
	allStates = []string{statePending, stateActive, stateLocked, stateBanned, stateDeleted}
	kycStates = []string{string(kyc.StatusNone), string(kyc.StatusPending), string(kyc.StatusApproved), string(kyc.StatusRejected)}
)

// Directory is what staff read of users: the search, the labels in use,
// and a user's live sessions and latest activity.
type Directory struct {
	gate
	directory  UserDirectory
	users      Users
	sessions   Sessions
	activities RecentActivities
	clock      ports.Clock
}

// NewDirectory returns the staff's reads of users; callers and rules
// decide who may read what (see gate).
func NewDirectory(directory UserDirectory, users Users, sessions Sessions, activities RecentActivities,
	clock ports.Clock, callers ports.CallerSource, rules Rules) *Directory {
	return &Directory{gate: gate{callers: callers, rules: rules}, directory: directory, users: users,
		sessions: sessions, activities: activities, clock: clock}
}

// SearchUsers returns one page of the users matching filter in order
// (default newest first); first is 1 to 100 (0 means 50). The page's
// Total and TotalExact are counted only when total is true: counting costs
// the database work of a second query, for a number many lists never
// show. Staff only.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (Fields named
// after the input: "filter.email", "orderBy", "first", "after", ...).
func (s *Directory) SearchUsers(ctx context.Context, filter UserFilterInput, order UserOrder, first int,
	after string, total bool) (UserPage, error) {
	if _, err := s.caller(ctx, "users"); err != nil {
		return UserPage{}, err
	}
	f, ferr := normaliseFilter(filter)
	errs := []error{ferr}
	if order.Field == "" {
		order = UserOrder{Field: OrderCreatedAt, Desc: true}
	}
	if !ports.RoleIn(order.Field, OrderCreatedAt, OrderLastSignIn, OrderName) {
		errs = append(errs, ports.InvalidField("orderBy", "is not an order"))
	}
	first, err := pageSize(first)
	errs = append(errs, err)
	if len(after) > 1000 {
		errs = append(errs, ports.InvalidField("after", "is not a cursor from this list"))
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return UserPage{}, err
	}
	q := UserSearch{Filter: f, Order: order, After: after, Limit: first + 1}
	var hits []UserHit
	page := UserPage{}
	if total {
		hits, page.Total, page.TotalExact, err = s.directory.SearchCounted(ctx, q, countLimit)
	} else {
		hits, err = s.directory.Search(ctx, q)
	}
	if err != nil {
		return UserPage{}, err
	}
	page.Hits, page.HasNext = ports.TrimPage(hits, first)
	if n := len(page.Hits); n > 0 {
		page.EndCursor = page.Hits[n-1].Cursor
	}
	return page, nil
}

// pageSize checks first (0 means the default).
func pageSize(first int) (int, error) {
	if first == 0 {
		return defaultPage, nil
	}
	if first < 1 || first > maxPage {
		return 0, ports.InvalidField("first", fmt.Sprintf("must be between 1 and %d", maxPage))
	}
	return first, nil
}

// normaliseFilter checks every condition and returns them all normalised,
// or one VALIDATION_FAILED naming every bad field.
func normaliseFilter(in UserFilterInput) (UserFilter, error) {
	var f UserFilter
	bad := map[string]string{}
	if in.ID != nil {
		id, err := uuid.Parse(strings.TrimSpace(*in.ID))
		if err != nil {
			bad["filter.id"] = "is not a valid id"
		} else {
			f.ID = &id
		}
	}
	if in.Email != nil {
		e := strings.ToLower(strings.TrimSpace(*in.Email))
		if n := utf8.RuneCountInString(e); n < 1 || n > 254 || !utf8.ValidString(e) ||
			strings.IndexFunc(e, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			bad["filter.email"] = "must be 1 to 254 characters without spaces"
		} else {
			f.EmailPrefix = e
		}
	}
	if in.Phone != nil {
		p := strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '(' || r == ')' || r == '\t' {
				return -1
			}
			return r
		}, *in.Phone)
		if !phoneRE.MatchString(p) {
			bad["filter.phone"] = "must be 2 to 16 digits, optionally after +"
		} else {
			f.PhonePrefix = "+" + strings.TrimPrefix(p, "+")
		}
	}
	if in.Name != nil {
		// Three characters at least: a shorter text has no trigram, and the
		// search would read every user.
		n, err := text("filter.name", *in.Name, 3, 100)
		if err != nil {
			bad["filter.name"] = fieldProblem(err)
		}
		f.Name = n
	}
	if in.Role != nil {
		if !ports.RoleIn(*in.Role, allRoles...) {
			bad["filter.role"] = "is not a role"
		}
		f.Role = *in.Role
	}
	if in.State != nil {
		if !ports.RoleIn(*in.State, allStates...) {
			bad["filter.state"] = "is not a state"
		}
		f.State = *in.State
	}
	levelOK := true
	for name, v := range map[string]*int{"filter.levelMin": in.LevelMin, "filter.levelMax": in.LevelMax} {
		if v != nil && (*v < 0 || *v > 100) {
			bad[name] = "must be between 0 and 100"
			levelOK = false
		}
	}
	if levelOK && in.LevelMin != nil && in.LevelMax != nil && *in.LevelMin > *in.LevelMax {
		bad["filter.levelMax"] = "must not be below levelMin"
	}
	f.LevelMin, f.LevelMax = cloneInt(in.LevelMin), cloneInt(in.LevelMax)
	if in.Country != nil {
		c := strings.ToUpper(strings.TrimSpace(*in.Country))
		if !countryRE.MatchString(c) {
			bad["filter.country"] = "must be a two-letter ISO 3166-1 code"
		}
		f.Country = c
	}
	if in.KYCStatus != nil {
		if !ports.RoleIn(*in.KYCStatus, kycStates...) {
			bad["filter.kycStatus"] = "is not a KYC status"
		}
		f.KYCStatus = *in.KYCStatus
	}
	if in.Label != nil {
		k := strings.TrimSpace(in.Label.Key)
		if !labelKeyRE.MatchString(k) {
			bad["filter.label.key"] = "must be 1 to 64 of a-z 0-9 _ . - starting with a lower-case letter"
		}
		f.LabelKey = k
		if in.Label.Value != nil {
			v, err := text("filter.label.value", *in.Label.Value, 1, 255)
			if err != nil {
				bad["filter.label.value"] = fieldProblem(err)
			}
			f.LabelValue = v
		}
	}
	if in.CreatedFrom != nil {
		t := in.CreatedFrom.UTC()
		f.CreatedFrom = &t
	}
	if in.CreatedTo != nil {
		t := in.CreatedTo.UTC()
		f.CreatedTo = &t
	}
	if f.CreatedFrom != nil && f.CreatedTo != nil && !f.CreatedFrom.Before(*f.CreatedTo) {
		bad["filter.createdTo"] = "must be after createdFrom"
	}
	if in.DocumentsPending != nil {
		v := *in.DocumentsPending
		f.DocumentsPending = &v
	}
	if len(bad) > 0 {
		return UserFilter{}, ports.Invalid(bad)
	}
	return f, nil
}

func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// fieldProblem is the one problem of a one-field VALIDATION_FAILED.
func fieldProblem(err error) string {
	var e *ports.Error
	if errors.As(err, &e) {
		for _, p := range e.Fields {
			return p
		}
	}
	return "is invalid"
}

// text is the one rule for free text (textin.Text).
var text = textin.Text
