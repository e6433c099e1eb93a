package identity_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

type readerKey struct{}

// readers reads the test's caller from the context.
type readers struct{}

func (readers) Caller(ctx context.Context) (*ports.Caller, error) {
	c, _ := ctx.Value(readerKey{}).(*ports.Caller)
	return c, nil
}

func asReader(u identity.User) context.Context {
	return context.WithValue(context.Background(), readerKey{}, &ports.Caller{UserID: u.ID, Role: u.Role})
}

// countingUsers counts the batched reads of users and devices.
type countingUsers struct {
	*identitytest.UserStore
	calls atomic.Int64
}

func (c *countingUsers) count() int { return int(c.calls.Load()) }

func (c *countingUsers) GetByIDs(ctx context.Context, ids []uuid.UUID) ([]identity.User, error) {
	c.calls.Add(1)
	return c.UserStore.GetByIDs(ctx, ids)
}

func (c *countingUsers) DevicesByUsers(ctx context.Context, ids []uuid.UUID) ([]identity.Device, error) {
	c.calls.Add(1)
	return c.UserStore.DevicesByUsers(ctx, ids)
}

type readsEnv struct {
	t     *testing.T
	store *countingUsers
	reads *identity.ReadService
	n     int
}

func newReadsEnv(t *testing.T, rules identity.Rules) *readsEnv {
	store := &countingUsers{UserStore: identitytest.NewUserStore(nil)}
	return &readsEnv{t: t, store: store, reads: identity.NewReadService(store, store, readers{}, rules)}
}

// user stores a user of role with devices devices, the first with a push
// token.
func (e *readsEnv) user(role string, devices int) identity.User {
	e.t.Helper()
	e.n++
	u := identity.User{ID: uuid.New(), Phone: fmt.Sprintf("+4479111250%02d", e.n),
		State: "ACTIVE", Role: role, ReferralCode: uuid.NewString()[:8], CreatedAt: t0, UpdatedAt: t0}
	ctx := context.Background()
	require.NoError(e.t, e.store.Create(ctx, u))
	for i := range devices {
		d, err := e.store.UpsertDevice(ctx, identity.Device{UserID: u.ID, DeviceKey: uuid.NewString(), Name: "phone",
			CreatedAt: t0, LastSeenAt: t0.Add(time.Duration(i) * time.Minute)})
		require.NoError(e.t, err)
		if i == 0 {
			_, err = e.store.SetPush(ctx, u.ID, d.ID, identity.PushRegistration{Token: "push-" + u.ID.String(),
				Platform: "FCM", UpdatedAt: t0})
			require.NoError(e.t, err)
		}
	}
	return u
}

type readFields struct {
	user    *identity.User
	devices []identity.Device
}

func (e *readsEnv) read(ctx context.Context, id uuid.UUID) readFields {
	e.t.Helper()
	u, err := e.reads.UserByID(ctx, id)
	require.NoError(e.t, err)
	ds, err := e.reads.Devices(ctx, id)
	require.NoError(e.t, err)
	return readFields{user: u, devices: ds}
}

// The loaders read the users behind a page, and the page's devices, in
// one read each, and answer exactly what the reads one at a time answer
// (push tokens hidden from staff).
func TestReadServiceLoadsAPageOnceAndAnswersAsTheDirectReads(t *testing.T) {
	e := newReadsEnv(t, portsfake.DefaultRules())
	support := e.user(ports.RoleSupport, 0)
	var page []uuid.UUID
	for i := range 6 {
		page = append(page, e.user(ports.RoleMember, i%3).ID)
	}
	page = append(page, uuid.New()) // a user who is gone

	direct := map[uuid.UUID]readFields{}
	for _, id := range page {
		direct[id] = e.read(asReader(support), id)
	}
	require.Nil(t, direct[page[6]].user)
	require.Len(t, direct[page[2]].devices, 2)
	require.Empty(t, direct[page[2]].devices[1].Push.Token, "staff see no push token")
	require.Zero(t, e.store.count(), "reads without loaders go to the store one user at a time")

	ctx := e.reads.WithLoaders(asReader(support))
	e.reads.ExpectUsers(ctx, page)
	e.reads.ExpectDevices(ctx, page)
	var wg sync.WaitGroup
	got := make([]readFields, len(page))
	for i, id := range page {
		wg.Add(1)
		go func() { defer wg.Done(); got[i] = e.read(ctx, id) }()
	}
	wg.Wait()
	for i, id := range page {
		require.Equal(t, len(direct[id].devices), len(got[i].devices), "user %d", i)
		if len(got[i].devices) == 0 {
			got[i].devices = direct[id].devices // nil or empty, as each read answers
		}
		require.Equal(t, direct[id], got[i], "user %d", i)
	}
	require.Equal(t, 2, e.store.count(), "one read of the users, one of their devices")
}

// The loaders change nothing of who reads what: a member reads their own
// devices, with the push token, and no one else's user or devices; a
// member announcing a page fetches nothing of the others'.
func TestReadServiceKeepsTheReadRules(t *testing.T) {
	e := newReadsEnv(t, portsfake.DefaultRules())
	member := e.user(ports.RoleMember, 1)
	other := e.user(ports.RoleMember, 1)
	accountant := e.user(ports.RoleAccountant, 0)

	ctx := e.reads.WithLoaders(asReader(member))
	e.reads.ExpectUsers(ctx, []uuid.UUID{member.ID, other.ID})
	e.reads.ExpectDevices(ctx, []uuid.UUID{member.ID, other.ID})
	mine, err := e.reads.Devices(ctx, member.ID)
	require.NoError(t, err)
	require.Len(t, mine, 1)
	require.Equal(t, "push-"+member.ID.String(), mine[0].Push.Token, "a member sees their own push token")
	_, err = e.reads.Devices(ctx, other.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	_, err = e.reads.UserByID(ctx, other.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	require.Equal(t, 1, e.store.count())
	var seen []uuid.UUID
	for _, d := range mine {
		seen = append(seen, d.UserID)
	}
	require.Equal(t, []uuid.UUID{member.ID}, seen)

	// ACCOUNTANT reads users but not devices by default.
	ctx = e.reads.WithLoaders(asReader(accountant))
	e.reads.ExpectDevices(ctx, []uuid.UUID{member.ID, other.ID})
	_, err = e.reads.Devices(ctx, other.ID)
	errtest.Code(t, err, ports.CodeForbidden)
	require.Equal(t, 1, e.store.count(), "nothing read for a refused role")
	u, err := e.reads.UserByID(ctx, other.ID)
	require.NoError(t, err)
	require.Equal(t, other.ID, u.ID)

	_, err = e.reads.Devices(context.Background(), member.ID)
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.reads.UserByID(context.Background(), member.ID)
	errtest.Code(t, err, ports.CodeUnauthenticated)
}
