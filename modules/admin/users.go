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

// Staff roles by what they may do.
var (
	// staffRoles read users.
	staffRoles = []string{ports.RoleSupport, ports.RoleCompliance, ports.RoleAccountant, ports.RoleAdmin,
		ports.RoleSuperadmin}
	// activityReaders read labels in use and every user's activity.
	activityReaders = []string{ports.RoleSupport, ports.RoleCompliance, ports.RoleAdmin, ports.RoleSuperadmin}
	// admins change users and read the staff audit trail.
	admins = []string{ports.RoleAdmin, ports.RoleSuperadmin}
	// sessionRevokers end another user's sessions.
	sessionRevokers = []string{ports.RoleSupport, ports.RoleAdmin, ports.RoleSuperadmin}
)

// Bounds of lists and inputs.
const (
	maxPage        = 100
	defaultPage    = 50
	countLimit     = 10000
	defaultRecent  = 20
	maxActionChars = 64
)

// caller returns the signed-in caller holding one of roles. Errors:
// UNAUTHENTICATED, FORBIDDEN (and what the CallerSource returns).
func (s *Service) caller(ctx context.Context, roles ...string) (*ports.Caller, error) {
	c, err := s.Callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	if !ports.RoleIn(c.Role, roles...) {
		return nil, ports.Errorf(ports.CodeForbidden, "your role may not do this")
	}
	return c, nil
}

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
	Hits       []ports.UserHit
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
	kycStates = []string{ports.KYCNone, ports.KYCPending, ports.KYCApproved, ports.KYCRejected}
)

// SearchUsers returns one page of the users matching filter in order
// (default newest first); first is 1 to 100 (0 means 50). Staff only.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED (Fields named
// after the input: "filter.email", "orderBy", "first", "after", ...).
func (s *Service) SearchUsers(ctx context.Context, filter UserFilterInput, order ports.UserOrder, first int,
	after string) (UserPage, error) {
	if _, err := s.caller(ctx, staffRoles...); err != nil {
		return UserPage{}, err
	}
	f, ferr := normaliseFilter(filter)
	errs := []error{ferr}
	if order.Field == "" {
		order = ports.UserOrder{Field: ports.OrderCreatedAt, Desc: true}
	}
	if !ports.RoleIn(order.Field, ports.OrderCreatedAt, ports.OrderLastSignIn, ports.OrderName) {
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
	hits, err := s.Directory.Search(ctx, ports.UserSearch{Filter: f, Order: order, After: after, Limit: first + 1})
	if err != nil {
		return UserPage{}, err
	}
	page := UserPage{HasNext: len(hits) > first}
	if page.HasNext {
		hits = hits[:first]
	}
	page.Hits = hits
	if n := len(hits); n > 0 {
		page.EndCursor = hits[n-1].Cursor
	}
	page.Total, page.TotalExact, err = s.Directory.Count(ctx, f, countLimit)
	if err != nil {
		return UserPage{}, err
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
func normaliseFilter(in UserFilterInput) (ports.UserFilter, error) {
	var f ports.UserFilter
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
		return ports.UserFilter{}, ports.Invalid(bad)
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

// LabelUsage lists the label keys and values in use with their counts.
// Errors: UNAUTHENTICATED, FORBIDDEN.
func (s *Service) LabelUsage(ctx context.Context) ([]ports.LabelUsage, error) {
	if _, err := s.caller(ctx, activityReaders...); err != nil {
		return nil, err
	}
	return s.Directory.LabelUsage(ctx)
}

// ActivityFilterInput is a search over every user's activity; zero values
// are no condition.
type ActivityFilterInput struct {
	UserID *uuid.UUID
	Email  *string
	Topic  string // "" or ALL: any
	Action string
	Result string
	From   *time.Time
	To     *time.Time
}

// ActivityPage is one page of activities, newest first.
type ActivityPage struct {
	Items   []ports.Activity
	Cursors []string
	HasNext bool
}

// UserActivities searches every user's activity, newest first; first is 1
// to 100 (0 means 50). An email no user has gives an empty page. Errors:
// UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED.
func (s *Service) UserActivities(ctx context.Context, f ActivityFilterInput, first int, after string) (ActivityPage, error) {
	if _, err := s.caller(ctx, activityReaders...); err != nil {
		return ActivityPage{}, err
	}
	q := ports.ActivitySearch{UserID: f.UserID}
	var errs []error
	var err error
	var email string
	if f.Email != nil {
		email = strings.ToLower(strings.TrimSpace(*f.Email))
		if n := utf8.RuneCountInString(email); n < 1 || n > 254 {
			errs = append(errs, ports.InvalidField("filter.email", "must be 1 to 254 characters"))
		}
	}
	if f.Topic != "" {
		topics, ok := ports.TopicsOf(f.Topic)
		if !ok {
			errs = append(errs, ports.InvalidField("filter.topic", "is not a topic"))
		}
		q.Topics = topics
	}
	if f.Action != "" {
		q.Action, err = text("filter.action", f.Action, 1, maxActionChars)
		errs = append(errs, err)
	}
	if f.Result != "" {
		q.Result = ports.ActivityResult(f.Result)
		if !ports.RoleIn(f.Result, string(ports.ActivitySucceeded), string(ports.ActivityFailed),
			string(ports.ActivityDenied)) {
			errs = append(errs, ports.InvalidField("filter.result", "is not a result"))
		}
	}
	q.From, q.To = utcPtr(f.From), utcPtr(f.To)
	if q.From != nil && q.To != nil && !q.From.Before(*q.To) {
		errs = append(errs, ports.InvalidField("filter.to", "must be after from"))
	}
	first, err = pageSize(first)
	errs = append(errs, err)
	q.After, err = cursor(after)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return ActivityPage{}, err
	}
	if f.Email != nil {
		u, err := s.Users.GetByEmail(ctx, email)
		if errors.Is(err, ports.ErrNotFound) || (err == nil && q.UserID != nil && *q.UserID != u.ID) {
			return ActivityPage{Items: []ports.Activity{}}, nil
		}
		if err != nil {
			return ActivityPage{}, err
		}
		q.UserID = &u.ID
	}
	q.Limit = first + 1
	items, err := s.Audit.SearchActivities(ctx, q)
	if err != nil {
		return ActivityPage{}, err
	}
	return activityPage(items, first), nil
}

func activityPage(items []ports.Activity, first int) ActivityPage {
	page := ActivityPage{HasNext: len(items) > first}
	if page.HasNext {
		items = items[:first]
	}
	page.Items = items
	for _, a := range items {
		page.Cursors = append(page.Cursors, ports.EncodeCursor(a.CreatedAt, a.ID))
	}
	return page
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

func cursor(after string) (*ports.ActivityCursor, error) {
	if after == "" {
		return nil, nil
	}
	at, id, err := ports.DecodeCursor(after)
	if err != nil {
		return nil, err
	}
	return &ports.ActivityCursor{CreatedAt: at, ID: id}, nil
}

// AdminActivityFilterInput is a search of the staff audit trail.
type AdminActivityFilterInput struct {
	AdminID      *uuid.UUID
	TargetUserID *uuid.UUID
	Action       string
	From, To     *time.Time
}

// AdminActivityPage is one page of the staff audit trail, newest first.
type AdminActivityPage struct {
	Items   []ports.AdminActivity
	Cursors []string
	HasNext bool
	// Users are the staff members and target users the rows name, read
	// in one statement; a user who is gone is missing.
	Users map[uuid.UUID]ports.User
}

// AdminActivities searches the staff audit trail, newest first; first is
// 1 to 100 (0 means 50). ADMIN and SUPERADMIN only. Errors:
// UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED.
func (s *Service) AdminActivities(ctx context.Context, f AdminActivityFilterInput, first int,
	after string) (AdminActivityPage, error) {
	if _, err := s.caller(ctx, admins...); err != nil {
		return AdminActivityPage{}, err
	}
	q := ports.AdminActivityQuery{AdminID: f.AdminID, TargetUserID: f.TargetUserID, From: utcPtr(f.From),
		To: utcPtr(f.To)}
	var errs []error
	var err error
	if f.Action != "" {
		q.Action, err = text("filter.action", f.Action, 1, maxActionChars)
		errs = append(errs, err)
	}
	if q.From != nil && q.To != nil && !q.From.Before(*q.To) {
		errs = append(errs, ports.InvalidField("filter.to", "must be after from"))
	}
	first, err = pageSize(first)
	errs = append(errs, err)
	q.After, err = cursor(after)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return AdminActivityPage{}, err
	}
	q.Limit = first + 1
	items, err := s.Audit.ListAdmin(ctx, q)
	if err != nil {
		return AdminActivityPage{}, err
	}
	page := AdminActivityPage{HasNext: len(items) > first}
	if page.HasNext {
		items = items[:first]
	}
	page.Items = items
	ids := make([]uuid.UUID, 0, 2*len(items))
	for _, a := range items {
		page.Cursors = append(page.Cursors, ports.EncodeCursor(a.CreatedAt, a.ID))
		ids = append(ids, a.AdminID)
		if a.TargetUserID != nil {
			ids = append(ids, *a.TargetUserID)
		}
	}
	users, err := s.Users.GetByIDs(ctx, ids)
	if err != nil {
		return AdminActivityPage{}, err
	}
	page.Users = make(map[uuid.UUID]ports.User, len(users))
	for _, u := range users {
		page.Users[u.ID] = u
	}
	return page, nil
}

// SessionView is a live session of a user and the device it runs on.
type SessionView struct {
	Session ports.Session
	Device  ports.Device
}

// UserSessions lists a user's live sessions for staff who read users'
// security data (not ACCOUNTANT), most recently used first. Errors:
// UNAUTHENTICATED, FORBIDDEN.
func (s *Service) UserSessions(ctx context.Context, userID uuid.UUID) ([]SessionView, error) {
	if _, err := s.caller(ctx, activityReaders...); err != nil {
		return nil, err
	}
	sessions, err := s.Sessions.ListLive(ctx, userID, s.Clock.Now())
	if err != nil {
		return nil, err
	}
	if len(sessions) == 0 {
		return []SessionView{}, nil
	}
	devices, err := s.Users.ListDevices(ctx, userID)
	if err != nil {
		return nil, err
	}
	byID := make(map[uuid.UUID]ports.Device, len(devices))
	for _, d := range devices {
		byID[d.ID] = d
	}
	out := make([]SessionView, 0, len(sessions))
	for _, sess := range sessions {
		out = append(out, SessionView{Session: sess, Device: byID[sess.DeviceID]})
	}
	return out, nil
}

// RecentActivity lists a user's latest activities for staff, newest first;
// first is 1 to 100 (0 means 20). Errors: UNAUTHENTICATED, FORBIDDEN,
// VALIDATION_FAILED.
func (s *Service) RecentActivity(ctx context.Context, userID uuid.UUID, first int) ([]ports.Activity, error) {
	if _, err := s.caller(ctx, activityReaders...); err != nil {
		return nil, err
	}
	if first == 0 {
		first = defaultRecent
	}
	if first < 1 || first > maxPage {
		return nil, ports.InvalidField("first", fmt.Sprintf("must be between 1 and %d", maxPage))
	}
	items, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: userID, Limit: first})
	if err != nil {
		return nil, err
	}
	if items == nil {
		items = []ports.Activity{}
	}
	return items, nil
}

// staffChange is one staff mutation on target: who may call it, what it
// does under the target's row lock, and what it tells the user.
type staffChange struct {
	action string // the root field name, e.g. "setUserState"
	roles  []string
	target uuid.UUID
	reason string
	input  map[string]any
	// validate checks the input past the reason (may be nil).
	validate func() error
	// check refuses the change on this user (may be nil); it runs under
	// the lock after the common rules.
	check func(c *ports.Caller, u ports.User) error
	// apply makes the change inside the transaction.
	apply func(ctx context.Context, c *ports.Caller, u ports.User, now time.Time) error
	// topic and event are the row the user reads in their own activity.
	topic, event string
	details      map[string]string
}

// run applies a staff change: role, reason and input checks, then in one
// transaction the target's lock, the rules on the target (not oneself,
// not PENDING or DELETED, an ADMIN or SUPERADMIN only by a SUPERADMIN),
// the change, exactly one admin activity and the activities the staff
// member and the user read; MarkAudited after the commit. On failure
// nothing is written (the authorization rule writes the FAILED row).
func (s *Service) run(ctx context.Context, ch staffChange) (ports.User, error) {
	c, err := s.caller(ctx, ch.roles...)
	if err != nil {
		return ports.User{}, err
	}
	reason, rerr := textin.Reason("reason", ch.reason)
	errs := []error{rerr}
	if ch.validate != nil {
		errs = append(errs, ch.validate())
	}
	if err := ports.MergeInvalid(errs...); err != nil {
		return ports.User{}, err
	}
	if ch.target == c.UserID {
		return ports.User{}, ports.Errorf(ports.CodeForbidden, "you may not do this to yourself")
	}
	var out ports.User
	err = s.Tx.InTx(ctx, func(ctx context.Context) error {
		if err := s.Users.Lock(ctx, ch.target); err != nil {
			return err
		}
		u, err := s.Users.GetByID(ctx, ch.target)
		if err != nil {
			return err
		}
		if u.State == statePending || u.State == stateDeleted {
			return ports.Errorf(ports.CodeConflict, "the user is %s", strings.ToLower(u.State))
		}
		if ports.RoleIn(u.Role, ports.RoleAdmin, ports.RoleSuperadmin) && c.Role != ports.RoleSuperadmin {
			return ports.Errorf(ports.CodeForbidden, "only a SUPERADMIN may act on an %s", u.Role)
		}
		if ch.check != nil {
			if err := ch.check(c, u); err != nil {
				return err
			}
		}
		now := s.Clock.Now()
		if err := ch.apply(ctx, c, u, now); err != nil {
			return err
		}
		target := ch.target
		if err := s.Audit.RecordAdmin(ctx, ports.NewAdminActivity(ctx, c.UserID, &target, ch.action, reason,
			ch.input, nil, now)); err != nil {
			return err
		}
		mine, theirs := ports.StaffActivities(ctx, c, ch.target, ch.topic, ch.event, nil, ch.details, now)
		for _, a := range []ports.Activity{mine, theirs} {
			if err := s.Activities.Record(ctx, a); err != nil {
				return err
			}
		}
		out, err = s.Users.GetByID(ctx, ch.target)
		return err
	})
	if err != nil {
		return ports.User{}, err
	}
	ports.MarkAudited(ctx)
	return out, nil
}

// SetUserState sets a user's state to ACTIVE, LOCKED or BANNED; LOCKED and
// BANNED end every session in the same transaction (the user's access
// tokens stop working at once, as each request reads its session).
// ADMIN and SUPERADMIN only. Errors: UNAUTHENTICATED, FORBIDDEN,
// VALIDATION_FAILED, NOT_FOUND, CONFLICT.
func (s *Service) SetUserState(ctx context.Context, userID uuid.UUID, state, reason string) (ports.User, error) {
	return s.run(ctx, staffChange{action: "setUserState", roles: admins, target: userID, reason: reason,
		input: map[string]any{"userId": userID.String(), "state": state, "reason": reason},
		validate: func() error {
			if !ports.RoleIn(state, stateActive, stateLocked, stateBanned) {
				return ports.InvalidField("state", "must be ACTIVE, LOCKED or BANNED")
			}
			return nil
		},
		apply: func(ctx context.Context, _ *ports.Caller, u ports.User, now time.Time) error {
			if err := s.Users.SetState(ctx, u.ID, state, now); err != nil {
				return err
			}
			if state == stateActive {
				return nil
			}
			_, err := s.Sessions.RevokeAllForUser(ctx, u.ID, uuid.Nil, now, "state "+strings.ToLower(state))
			return err
		},
		topic: "ACCOUNT", event: "state.set", details: map[string]string{"state": state}})
}

// SetUserRole changes a user's role. Only a SUPERADMIN grants ADMIN or
// SUPERADMIN or changes an ADMIN's or SUPERADMIN's role; nobody changes
// their own; ANONYMOUS is no role. ADMIN and SUPERADMIN only. Errors:
// UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, NOT_FOUND, CONFLICT.
func (s *Service) SetUserRole(ctx context.Context, userID uuid.UUID, role, reason string) (ports.User, error) {
	return s.run(ctx, staffChange{action: "setUserRole", roles: admins, target: userID, reason: reason,
		input: map[string]any{"userId": userID.String(), "role": role, "reason": reason},
		validate: func() error {
			if !ports.RoleIn(role, allRoles...) {
				return ports.InvalidField("role", "is not a role a user may hold")
			}
			return nil
		},
		check: func(c *ports.Caller, _ ports.User) error {
			if ports.RoleIn(role, ports.RoleAdmin, ports.RoleSuperadmin) && c.Role != ports.RoleSuperadmin {
				return ports.Errorf(ports.CodeForbidden, "only a SUPERADMIN may grant %s", role)
			}
			return nil
		},
		apply: func(ctx context.Context, _ *ports.Caller, u ports.User, now time.Time) error {
			return s.Users.SetRole(ctx, u.ID, role, now)
		},
		topic: "ACCOUNT", event: "role.set", details: map[string]string{"role": role}})
}

// ResetUserMFA turns off a user's authenticator app and removes their
// recovery codes (they lost the device). ADMIN and SUPERADMIN only.
// Errors: UNAUTHENTICATED, FORBIDDEN, VALIDATION_FAILED, NOT_FOUND,
// CONFLICT.
func (s *Service) ResetUserMFA(ctx context.Context, userID uuid.UUID, reason string) (ports.User, error) {
	return s.run(ctx, staffChange{action: "resetUserMfa", roles: admins, target: userID, reason: reason,
		input: map[string]any{"userId": userID.String(), "reason": reason},
		apply: func(ctx context.Context, _ *ports.Caller, u ports.User, _ time.Time) error {
			return s.Credentials.DeleteTOTP(ctx, u.ID)
		},
		topic: "MFA", event: "totp.reset"})
}

// RevokeUserSessions ends every session of a user and returns how many it
// ended. SUPPORT, ADMIN and SUPERADMIN. Errors: UNAUTHENTICATED,
// FORBIDDEN, VALIDATION_FAILED, NOT_FOUND, CONFLICT.
func (s *Service) RevokeUserSessions(ctx context.Context, userID uuid.UUID, reason string) (int, ports.User, error) {
	n := 0
	details := map[string]string{}
	u, err := s.run(ctx, staffChange{action: "revokeUserSessions", roles: sessionRevokers, target: userID,
		reason: reason, input: map[string]any{"userId": userID.String(), "reason": reason},
		apply: func(ctx context.Context, _ *ports.Caller, u ports.User, now time.Time) error {
			var err error
			n, err = s.Sessions.RevokeAllForUser(ctx, u.ID, uuid.Nil, now, "revoked by staff")
			details["sessions"] = fmt.Sprint(n)
			return err
		},
		topic: "SESSION", event: "sessions.revoke_all", details: details})
	if err != nil {
		return 0, ports.User{}, err
	}
	return n, u, nil
}
