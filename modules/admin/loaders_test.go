package admin_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/admin/admintest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// counting counts the batched reads behind the Directory's per-user
// fields.
type counting struct {
	admin.Users
	admin.Sessions
	admin.RecentActivities
	calls atomic.Int64
}

func (c *counting) count() int { return int(c.calls.Load()) }

func (c *counting) DevicesByUsers(ctx context.Context, ids []uuid.UUID) ([]identity.Device, error) {
	c.calls.Add(1)
	return c.Users.DevicesByUsers(ctx, ids)
}

func (c *counting) LiveSessionsByUsers(ctx context.Context, ids []uuid.UUID, now time.Time) ([]identity.Session, error) {
	c.calls.Add(1)
	return c.Sessions.LiveSessionsByUsers(ctx, ids, now)
}

func (c *counting) RecentByUsers(ctx context.Context, ids []uuid.UUID, limit int) ([]ports.Activity, error) {
	c.calls.Add(1)
	return c.RecentActivities.RecentByUsers(ctx, ids, limit)
}

// countingDirectory is e's Directory reading through a counting store.
func countingDirectory(e *env, rules admin.Rules) (*admin.Directory, *counting) {
	c := &counting{Users: e.users, Sessions: e.sessions, RecentActivities: admintest.RecentActivities{Log: e.activities}}
	return admin.NewDirectory(e.dir, c, c, c, e.clock, callers{}, rules), c
}

type staffFields struct {
	sessions []admin.SessionView
	recent   []ports.Activity
	recent2  []ports.Activity
}

func readStaffFields(t *testing.T, d *admin.Directory, ctx context.Context, id uuid.UUID) staffFields {
	t.Helper()
	var (
		f    staffFields
		errs [3]error
	)
	f.sessions, errs[0] = d.UserSessions(ctx, id)
	f.recent, errs[1] = d.RecentActivity(ctx, id, 0)
	f.recent2, errs[2] = d.RecentActivity(ctx, id, 2)
	for _, err := range errs {
		require.NoError(t, err)
	}
	return f
}

// The loaders read the sessions (and their devices) of a whole page at
// once, and its latest activity once per number of rows asked, and answer
// exactly what the reads one user at a time answer.
func TestDirectoryLoadersReadAPageOnceAndAnswerAsTheDirectReads(t *testing.T) {
	e := newEnv(t)
	d, c := countingDirectory(e, portsfake.DefaultRules())
	support := e.user(ports.RoleSupport)
	var page []uuid.UUID
	for i := range 6 {
		u := e.user(ports.RoleMember)
		for range i % 3 {
			e.session(u)
			e.clock.Advance(time.Second)
		}
		for j := range i {
			require.NoError(t, e.activities.Record(context.Background(), ports.Activity{UserID: &u.ID, Topic: "SESSION",
				Action: "a" + string(rune('0'+j)), Result: ports.ActivitySucceeded, CreatedAt: e.clock.Advance(time.Second)}))
		}
		page = append(page, u.ID)
	}

	direct := map[uuid.UUID]staffFields{}
	for _, id := range page {
		direct[id] = readStaffFields(t, d, e.ctx(support), id)
	}
	require.Len(t, direct[page[5]].recent, 5)
	require.Len(t, direct[page[5]].recent2, 2)
	require.Len(t, direct[page[2]].sessions, 2)
	before := c.count()

	ctx := d.WithLoaders(e.ctx(support))
	d.ExpectUsers(ctx, page)
	var wg sync.WaitGroup
	got := make([]staffFields, len(page))
	for i, id := range page {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = readStaffFields(t, d, ctx, id) }()
	}
	wg.Wait()
	for i, id := range page {
		require.Equal(t, direct[id], got[i], "user %d", i)
	}
	require.Equal(t, 4, c.count()-before,
		"sessions and their devices once for the page, the activity once per number of rows asked")
}

// The loaders change nothing of who reads what: a role the rows do not
// let read a field of others is refused it as before, and announcing a
// page as that role fetches nothing of that field.
func TestDirectoryLoadersKeepTheReadRules(t *testing.T) {
	e := newEnv(t)
	rules := portsfake.DefaultRules()
	// An ALLOW row lets ACCOUNTANT read activity, not sessions.
	rules.Set(ports.RoleAccountant, "User.recentActivity", "ALLOW")
	d, c := countingDirectory(e, rules)
	member := e.user(ports.RoleMember)
	accountant := e.user(ports.RoleAccountant)
	other := e.user(ports.RoleMember)
	e.session(member)
	e.session(other)

	ctx := d.WithLoaders(e.ctx(member))
	d.ExpectUsers(ctx, []uuid.UUID{member.ID, other.ID})
	_, err := d.UserSessions(ctx, member.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = d.RecentActivity(ctx, other.ID, 5)
	errtest.Code(t, err, ports.CodeForbidden)

	ctx = d.WithLoaders(e.ctx(accountant))
	d.ExpectUsers(ctx, []uuid.UUID{member.ID, other.ID})
	_, err = d.UserSessions(ctx, other.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	require.Zero(t, c.count(), "nothing read for refused callers")
	_, err = d.RecentActivity(ctx, other.ID, 5)
	require.NoError(t, err)
	require.Equal(t, 1, c.count())
}
