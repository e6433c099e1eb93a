package admin_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/admin/admintest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

type callerKey struct{}

// callers reads the test's caller from the context.
type callers struct{}

func (callers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(callerKey{}).(*ports.Caller)
	return c, nil
}

// memAudit is a small audit trail (ports.AuditTrail and admin.AuditSearch)
// for these tests.
type memAudit struct {
	mu     sync.Mutex
	admin  []ports.AdminActivity
	search []admin.ActivitySearch
	rows   []ports.Activity
	fail   error
}

func (m *memAudit) RecordAdmin(ctx context.Context, a ports.AdminActivity) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.admin = append(m.admin, a)
	return nil
}

func (m *memAudit) ListAdmin(ctx context.Context, q admin.AdminActivityQuery) ([]ports.AdminActivity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ports.AdminActivity
	for i := len(m.admin) - 1; i >= 0; i-- {
		a := m.admin[i]
		if q.After != nil && !(a.CreatedAt.Before(q.After.CreatedAt) ||
			(a.CreatedAt.Equal(q.After.CreatedAt) && a.ID.String() < q.After.ID.String())) {
			continue
		}
		if (q.AdminID == nil || *q.AdminID == a.AdminID) && (q.Action == "" || q.Action == a.Action) {
			out = append(out, a)
		}
		if len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

func (m *memAudit) SearchActivities(ctx context.Context, q admin.ActivitySearch) ([]ports.Activity, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.search = append(m.search, q)
	var out []ports.Activity
	for _, a := range m.rows {
		if q.UserID == nil || (a.UserID != nil && *a.UserID == *q.UserID) {
			out = append(out, a)
		}
		if len(out) == q.Limit {
			break
		}
	}
	return out, nil
}

func (m *memAudit) rowsOf(action string) []ports.AdminActivity {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ports.AdminActivity
	for _, a := range m.admin {
		if a.Action == action {
			out = append(out, a)
		}
	}
	return out
}

type env struct {
	t          *testing.T
	clock      *clock.Manual
	users      *identitytest.UserStore
	sessions   *identitytest.SessionStore
	creds      *identitytest.CredentialStore
	dir        *admintest.UserDirectory
	audit      *memAudit
	activities *portsfake.ActivityLog
	staff      *admin.StaffActions
	directory  *admin.Directory
	reads      *admin.AuditReads
	forgotten  *admintest.SessionCache
}

func newEnv(t *testing.T) *env {
	t.Helper()
	creds := identitytest.NewCredentialStore()
	sessions := identitytest.NewSessionStore()
	users := identitytest.NewUserStore(creds).WithSessions(sessions)
	e := &env{t: t, clock: clock.NewManual(t0), users: users, sessions: sessions, creds: creds,
		dir: admintest.NewUserDirectory(users), audit: &memAudit{}, activities: portsfake.NewActivityLog(),
		forgotten: &admintest.SessionCache{}}
	rules := portsfake.DefaultRules()
	e.staff = admin.NewStaffActions(users, sessions, creds, e.audit, e.activities, portsfake.NewTxRunner(), e.clock,
		callers{}, rules, e.forgotten)
	e.directory = admin.NewDirectory(e.dir, users, sessions, admintest.RecentActivities{Log: e.activities}, e.clock,
		callers{}, rules)
	e.reads = admin.NewAuditReads(e.audit, users, callers{}, rules)
	return e
}

func (e *env) user(role string, mod ...func(*identity.User)) identity.User {
	e.t.Helper()
	u := identity.User{ID: uuid.New(), State: "ACTIVE", Role: role, ReferralCode: uuid.NewString()[:12],
		CreatedAt: e.clock.Advance(time.Second), UpdatedAt: e.clock.Now()}
	for _, m := range mod {
		m(&u)
	}
	require.NoError(e.t, e.users.Create(context.Background(), u))
	return u
}

func (e *env) as(u identity.User) (context.Context, *ports.AuditSlot) {
	ctx := context.WithValue(context.Background(), callerKey{}, &ports.Caller{UserID: u.ID, Role: u.Role})
	return ports.WithAuditSlot(ctx)
}

func (e *env) ctx(u identity.User) context.Context {
	ctx, _ := e.as(u)
	return ctx
}

func (e *env) session(u identity.User) identity.Session {
	e.t.Helper()
	d, err := e.users.UpsertDevice(context.Background(), identity.Device{ID: uuid.New(), UserID: u.ID,
		DeviceKey: uuid.NewString(), Name: "phone", Trusted: true, CreatedAt: e.clock.Now(), LastSeenAt: e.clock.Now()})
	require.NoError(e.t, err)
	s := identity.Session{ID: uuid.New(), UserID: u.ID, DeviceID: d.ID, CreatedAt: e.clock.Now(),
		LastUsedAt: e.clock.Now(), ExpiresAt: e.clock.Now().Add(time.Hour)}
	require.NoError(e.t, e.sessions.Create(context.Background(), s, []byte(uuid.NewString()), s.ExpiresAt))
	return s
}

func (e *env) get(id uuid.UUID) identity.User {
	e.t.Helper()
	u, err := e.users.GetByID(context.Background(), id)
	require.NoError(e.t, err)
	return u
}

func ptr[T any](v T) *T { return &v }

func TestSearchUsersNormalisesEveryField(t *testing.T) {
	e := newEnv(t)
	staff := e.user(ports.RoleSupport)
	_, err := e.directory.SearchUsers(e.ctx(staff), admin.UserFilterInput{Email: ptr("  Ada@Example.COM "),
		Phone: ptr("(44) 20-7946 0958"), Name: ptr(" lovelace "), Country: ptr("gb"),
		LevelMin: ptr(1), LevelMax: ptr(3), Role: ptr("MEMBER"), State: ptr("ACTIVE")},
		admin.UserOrder{}, 0, "", true)
	require.NoError(t, err)
	qs := e.dir.Searches()
	require.Len(t, qs, 1)
	f := qs[0].Filter
	require.Equal(t, "ada@example.com", f.EmailPrefix)
	require.Equal(t, "+442079460958", f.PhonePrefix)
	require.Equal(t, "lovelace", f.Name)
	require.Equal(t, "GB", f.Country)
	require.Equal(t, 1, *f.LevelMin)
	require.Equal(t, 3, *f.LevelMax)
	require.Equal(t, admin.UserOrder{Field: admin.OrderCreatedAt, Desc: true}, qs[0].Order)
	require.Equal(t, 51, qs[0].Limit, "one more than the default page to know hasNext")
}

func TestSearchUsersRefusesBadFields(t *testing.T) {
	e := newEnv(t)
	staff := e.user(ports.RoleAdmin)
	from := t0
	_, err := e.directory.SearchUsers(e.ctx(staff), admin.UserFilterInput{ID: ptr("nope"), Email: ptr("  "),
		Phone: ptr("+1"), Name: ptr("ab"), Country: ptr("GBR"), LevelMin: ptr(5), LevelMax: ptr(2),
		Label: &admin.LabelMatchInput{Key: "Bad Key"}, CreatedFrom: &from, CreatedTo: &from, Role: ptr("ANONYMOUS")},
		admin.UserOrder{Field: "AGE"}, 101, "", true)
	got := errtest.Fields(t, err)
	for _, f := range []string{"filter.id", "filter.email", "filter.phone", "filter.name", "filter.country",
		"filter.levelMax", "filter.label.key", "filter.createdTo", "filter.role", "orderBy", "first"} {
		require.Contains(t, got, f)
	}
	_, err = e.directory.SearchUsers(e.ctx(staff), admin.UserFilterInput{LevelMin: ptr(-1), Phone: ptr("12345678901234567")},
		admin.UserOrder{}, 0, "", true)
	got = errtest.Fields(t, err)
	require.Contains(t, got, "filter.levelMin")
	require.Contains(t, got, "filter.phone")
	require.Empty(t, e.dir.Searches(), "nothing searched on bad input")
}

func TestSearchUsersStaffOnly(t *testing.T) {
	e := newEnv(t)
	member := e.user(ports.RoleMember)
	_, err := e.directory.SearchUsers(e.ctx(member), admin.UserFilterInput{}, admin.UserOrder{}, 10, "", true)
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.directory.SearchUsers(context.Background(), admin.UserFilterInput{}, admin.UserOrder{}, 10, "", true)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	acct := e.user(ports.RoleAccountant)
	_, err = e.directory.SearchUsers(e.ctx(acct), admin.UserFilterInput{}, admin.UserOrder{}, 10, "", true)
	require.NoError(t, err)
}

func TestSearchUsersPagesAndCounts(t *testing.T) {
	e := newEnv(t)
	staff := e.user(ports.RoleSupport, func(u *identity.User) { u.Name = "Staff" })
	var want []uuid.UUID
	for range 5 {
		want = append(want, e.user(ports.RoleMember, func(u *identity.User) { u.Name = "Ada" }).ID)
	}
	slices.Reverse(want) // newest first
	var got []uuid.UUID
	after := ""
	for page := 0; ; page++ {
		p, err := e.directory.SearchUsers(e.ctx(staff), admin.UserFilterInput{Name: ptr("ada")}, admin.UserOrder{}, 2, after, true)
		require.NoError(t, err)
		require.Equal(t, 5, p.Total)
		require.True(t, p.TotalExact)
		for _, h := range p.Hits {
			got = append(got, h.User.ID)
		}
		if !p.HasNext {
			require.Equal(t, 2, page)
			break
		}
		require.Len(t, p.Hits, 2)
		after = p.EndCursor
	}
	require.Equal(t, want, got)
	// Not asked, the total is not counted: the page alone.
	p, err := e.directory.SearchUsers(e.ctx(staff), admin.UserFilterInput{Name: ptr("ada")}, admin.UserOrder{}, 2, "", false)
	require.NoError(t, err)
	require.Len(t, p.Hits, 2)
	require.True(t, p.HasNext)
	require.Zero(t, p.Total)
	require.False(t, p.TotalExact)
}

func TestSetUserStateBansAndRevokesSessions(t *testing.T) {
	e := newEnv(t)
	adm := e.user(ports.RoleAdmin)
	target := e.user(ports.RoleMember)
	e.session(target)
	e.session(target)
	ctx, slot := e.as(adm)
	u, err := e.staff.SetUserState(ctx, target.ID, "BANNED", " fraud ring ")
	require.NoError(t, err)
	require.Equal(t, "BANNED", u.State)
	require.Equal(t, "BANNED", e.get(target.ID).State)
	live, err := e.sessions.ListLive(context.Background(), target.ID, e.clock.Now())
	require.NoError(t, err)
	require.Empty(t, live)
	rows := e.audit.rowsOf("setUserState")
	require.Len(t, rows, 1)
	require.Equal(t, "fraud ring", rows[0].Reason)
	require.Equal(t, adm.ID, rows[0].AdminID)
	require.Equal(t, target.ID, *rows[0].TargetUserID)
	require.Equal(t, ports.ActivitySucceeded, rows[0].Result)
	require.Equal(t, "BANNED", rows[0].Input["state"])
	require.True(t, slot.Written())
	require.Equal(t, []uuid.UUID{target.ID}, e.forgotten.Forgotten(), "this instance's cache keeps the banned user")
	// The user reads who did it by role only.
	their, err := e.activities.List(context.Background(), ports.ActivityQuery{UserID: target.ID, Limit: 10})
	require.NoError(t, err)
	require.Len(t, their, 1)
	require.Equal(t, "ADMIN", their[0].Details["by"])
	require.Empty(t, their[0].IP)

	// Back to ACTIVE keeps no sessions to revoke but works.
	_, err = e.staff.SetUserState(e.ctx(adm), target.ID, "ACTIVE", "appeal granted")
	require.NoError(t, err)
	require.Equal(t, "ACTIVE", e.get(target.ID).State)
}

func TestSetUserStateRules(t *testing.T) {
	e := newEnv(t)
	adm := e.user(ports.RoleAdmin)
	super := e.user(ports.RoleSuperadmin)
	other := e.user(ports.RoleAdmin)
	member := e.user(ports.RoleMember)
	pending := e.user(ports.RoleMember, func(u *identity.User) { u.State = "PENDING" })
	support := e.user(ports.RoleSupport)
	cases := []struct {
		name   string
		as     identity.User
		target uuid.UUID
		state  string
		reason string
		want   ports.ErrorCode
	}{
		{"self", adm, adm.ID, "LOCKED", "r", ports.CodeForbidden},
		{"admin on superadmin", adm, super.ID, "BANNED", "r", ports.CodeForbidden},
		{"admin on admin", adm, other.ID, "LOCKED", "r", ports.CodeForbidden},
		{"support", support, member.ID, "LOCKED", "r", ports.CodeForbidden},
		{"pending", adm, pending.ID, "BANNED", "r", ports.CodeConflict},
		{"no reason", adm, member.ID, "BANNED", "  ", ports.CodeValidationFailed},
		{"long reason", adm, member.ID, "BANNED", string(make([]byte, 501)), ports.CodeValidationFailed},
		{"control chars", adm, member.ID, "BANNED", "a\x00b", ports.CodeValidationFailed},
		{"deleted state", adm, member.ID, "DELETED", "r", ports.CodeValidationFailed},
		{"unknown user", adm, uuid.New(), "LOCKED", "r", ports.CodeNotFound},
	}
	for _, c := range cases {
		ctx, slot := e.as(c.as)
		_, err := e.staff.SetUserState(ctx, c.target, c.state, c.reason)
		errtest.Code(t, err, c.want, c.name)
		require.False(t, slot.Written(), c.name)
	}
	require.Empty(t, e.audit.rowsOf("setUserState"), "failures leave the row to the authorization rule")
	require.Empty(t, e.forgotten.Forgotten(), "a refused change made the cache forget")
	require.Equal(t, "ACTIVE", e.get(super.ID).State)
	_, err := e.staff.SetUserState(e.ctx(super), other.ID, "LOCKED", "superadmin may")
	require.NoError(t, err)
	require.Equal(t, "LOCKED", e.get(other.ID).State)
}

func TestSetUserRoleEscalation(t *testing.T) {
	e := newEnv(t)
	adm := e.user(ports.RoleAdmin)
	super := e.user(ports.RoleSuperadmin)
	member := e.user(ports.RoleMember)
	_, err := e.staff.SetUserRole(e.ctx(adm), member.ID, "ADMIN", "promote")
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.staff.SetUserRole(e.ctx(adm), member.ID, "SUPERADMIN", "promote")
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.staff.SetUserRole(e.ctx(adm), adm.ID, "MEMBER", "self")
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.staff.SetUserRole(e.ctx(super), super.ID, "MEMBER", "self")
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.staff.SetUserRole(e.ctx(adm), super.ID, "MEMBER", "demote")
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.staff.SetUserRole(e.ctx(adm), member.ID, "ANONYMOUS", "x")
	errtest.Code(t, err, ports.CodeValidationFailed)
	require.Equal(t, "MEMBER", e.get(member.ID).Role)
	require.Empty(t, e.audit.rowsOf("setUserRole"))

	u, err := e.staff.SetUserRole(e.ctx(adm), member.ID, "SUPPORT", "joins support")
	require.NoError(t, err)
	require.Equal(t, "SUPPORT", u.Role)
	u, err = e.staff.SetUserRole(e.ctx(super), member.ID, "ADMIN", "promoted")
	require.NoError(t, err)
	require.Equal(t, "ADMIN", u.Role)
	_, err = e.staff.SetUserRole(e.ctx(adm), member.ID, "MEMBER", "now an adm: only a superadmin")
	errtest.Code(t, err, ports.CodeForbidden)
	require.Len(t, e.audit.rowsOf("setUserRole"), 2)
}

func TestResetUserMFARemovesTOTPAndRecoveryCodes(t *testing.T) {
	e := newEnv(t)
	adm := e.user(ports.RoleAdmin)
	target := e.user(ports.RoleMember)
	bg := context.Background()
	require.NoError(t, e.creds.PutPendingTOTP(bg, target.ID, []byte("sealed"), t0))
	require.NoError(t, e.creds.ConfirmTOTP(bg, target.ID, 1, [][]byte{[]byte("a"), []byte("b")}, t0))
	require.True(t, e.get(target.ID).TOTPEnabled)
	ctx, slot := e.as(adm)
	u, err := e.staff.ResetUserMFA(ctx, target.ID, "lost phone")
	require.NoError(t, err)
	require.False(t, u.TOTPEnabled)
	n, err := e.creds.RecoveryCodesLeft(bg, target.ID)
	require.NoError(t, err)
	require.Zero(t, n)
	require.True(t, slot.Written())
	require.Len(t, e.audit.rowsOf("resetUserMfa"), 1)
}

func TestRevokeUserSessions(t *testing.T) {
	e := newEnv(t)
	support := e.user(ports.RoleSupport)
	target := e.user(ports.RoleMember)
	adm := e.user(ports.RoleAdmin)
	e.session(target)
	e.session(target)
	n, u, err := e.staff.RevokeUserSessions(e.ctx(support), target.ID, "stolen phone")
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, target.ID, u.ID)
	rows := e.audit.rowsOf("revokeUserSessions")
	require.Len(t, rows, 1)
	require.Equal(t, "stolen phone", rows[0].Reason)
	_, _, err = e.staff.RevokeUserSessions(e.ctx(support), adm.ID, "x")
	errtest.Code(t, err, ports.CodeForbidden)
	_, _, err = e.staff.RevokeUserSessions(e.ctx(support), support.ID, "x")
	errtest.Code(t, err, ports.CodeForbidden)
	compliance := e.user(ports.RoleCompliance)
	_, _, err = e.staff.RevokeUserSessions(e.ctx(compliance), target.ID, "x")
	errtest.Code(t, err, ports.CodeForbidden)
}

func TestAuditFailureFailsTheChange(t *testing.T) {
	e := newEnv(t)
	adm := e.user(ports.RoleAdmin)
	target := e.user(ports.RoleMember)
	e.audit.fail = ports.Errorf(ports.CodeInternal, "down")
	ctx, slot := e.as(adm)
	_, err := e.staff.SetUserRole(ctx, target.ID, "SUPPORT", "r")
	errtest.Code(t, err, ports.CodeInternal)
	require.False(t, slot.Written())
}

func TestUserActivitiesByEmail(t *testing.T) {
	e := newEnv(t)
	staff := e.user(ports.RoleSupport)
	target := e.user(ports.RoleMember, func(u *identity.User) { u.Email = "ada@example.com" })
	for i := range 3 {
		id := target.ID
		e.audit.rows = append(e.audit.rows, ports.Activity{ID: uuid.New(), UserID: &id, Topic: "SESSION",
			Action: "sign_in.pin", Result: ports.ActivitySucceeded, CreatedAt: t0.Add(-time.Duration(i) * time.Minute)})
	}
	p, err := e.reads.UserActivities(e.ctx(staff), admin.ActivityFilterInput{Email: ptr("ADA@example.com")}, 2, "")
	require.NoError(t, err)
	require.Len(t, p.Items, 2)
	require.True(t, p.HasNext)
	require.Equal(t, target.ID, *e.audit.search[0].UserID)
	require.Equal(t, 3, e.audit.search[0].Limit)
	at, id, err := ports.DecodeCursor(p.Cursors[1])
	require.NoError(t, err)
	require.Equal(t, p.Items[1].ID, id)
	require.True(t, at.Equal(p.Items[1].CreatedAt))

	p, err = e.reads.UserActivities(e.ctx(staff), admin.ActivityFilterInput{Email: ptr("nobody@example.com")}, 2, "")
	require.NoError(t, err)
	require.Empty(t, p.Items)
	require.Len(t, e.audit.search, 1, "an unknown email searches nothing")

	_, err = e.reads.UserActivities(e.ctx(staff), admin.ActivityFilterInput{}, 2, "garbage!")
	require.Contains(t, errtest.Fields(t, err), "after")
	_, err = e.reads.UserActivities(e.ctx(staff), admin.ActivityFilterInput{Email: ptr("a\x00@example.com")}, 2, "")
	require.Contains(t, errtest.Fields(t, err), "filter.email", "a NUL in the email reached the store")
	acct := e.user(ports.RoleAccountant)
	_, err = e.reads.UserActivities(e.ctx(acct), admin.ActivityFilterInput{}, 2, "")
	errtest.Code(t, err, ports.CodeForbidden)
}

func TestAdminActivitiesAdminsOnly(t *testing.T) {
	e := newEnv(t)
	adm := e.user(ports.RoleAdmin)
	support := e.user(ports.RoleSupport)
	target := e.user(ports.RoleMember)
	_, err := e.reads.AdminActivities(e.ctx(support), admin.AdminActivityFilterInput{}, 10, "")
	errtest.Code(t, err, ports.CodeForbidden)
	for _, r := range []string{"SUPPORT", "MEMBER", "SUPPORT"} {
		e.clock.Advance(time.Second)
		_, err := e.staff.SetUserRole(e.ctx(adm), target.ID, r, "r")
		require.NoError(t, err)
	}
	p, err := e.reads.AdminActivities(e.ctx(adm), admin.AdminActivityFilterInput{Action: "setUserRole"}, 2, "")
	require.NoError(t, err)
	require.Len(t, p.Items, 2)
	require.True(t, p.HasNext)
	require.Equal(t, "SUPPORT", p.Items[0].Input["role"])
	p2, err := e.reads.AdminActivities(e.ctx(adm), admin.AdminActivityFilterInput{Action: "setUserRole"}, 2, p.Cursors[1])
	require.NoError(t, err)
	require.Len(t, p2.Items, 1)
	require.False(t, p2.HasNext)
}

func TestUserSessionsAndRecentActivityForStaff(t *testing.T) {
	e := newEnv(t)
	support := e.user(ports.RoleSupport)
	member := e.user(ports.RoleMember)
	target := e.user(ports.RoleMember)
	s := e.session(target)
	views, err := e.directory.UserSessions(e.ctx(support), target.ID)
	require.NoError(t, err)
	require.Len(t, views, 1)
	require.Equal(t, s.ID, views[0].Session.ID)
	require.Equal(t, "phone", views[0].Device.Name)
	_, err = e.directory.UserSessions(e.ctx(member), target.ID)
	errtest.Code(t, err, ports.CodeForbidden)

	_, _, err = e.staff.RevokeUserSessions(e.ctx(support), target.ID, "r")
	require.NoError(t, err)
	acts, err := e.directory.RecentActivity(e.ctx(support), target.ID, 0)
	require.NoError(t, err)
	require.Len(t, acts, 1)
	require.Equal(t, "sessions.revoke_all", acts[0].Action)
	_, err = e.directory.RecentActivity(e.ctx(support), target.ID, 101)
	require.Contains(t, errtest.Fields(t, err), "first")
	_, err = e.directory.RecentActivity(e.ctx(member), target.ID, 5)
	errtest.Code(t, err, ports.CodeForbidden)
}

func TestLabelUsage(t *testing.T) {
	e := newEnv(t)
	e.dir.Usage = []admin.LabelUsage{{Key: "vip", Value: "gold", Scope: "PRIVATE", Users: 3}}
	got, err := e.directory.LabelUsage(e.ctx(e.user(ports.RoleCompliance)))
	require.NoError(t, err)
	require.Equal(t, e.dir.Usage, got)
	_, err = e.directory.LabelUsage(e.ctx(e.user(ports.RoleMember)))
	errtest.Code(t, err, ports.CodeForbidden)
}
