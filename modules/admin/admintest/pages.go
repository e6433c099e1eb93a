package admintest

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// PageStores are the stores behind what staff read of each user of a
// page (live sessions, latest activity), with the writes the suite makes
// through identity's stores and the activity log of the same store, fresh
// and empty for each call of the factory.
type PageStores struct {
	Users interface {
		identity.Users
		identity.Devices
	}
	Sessions interface {
		identity.Sessions
		admin.Sessions
	}
	Activities ports.ActivityLog
	Recent     admin.RecentActivities
}

// RunPages runs the contract suite of the batched reads of a page of
// users (admintest's fakes and the PostgreSQL adapters): each answers for
// every user what the single-user read answers, in one call.
func RunPages(t *testing.T, newStores func(t *testing.T) PageStores) {
	t.Run("LiveSessionsByUsers", func(t *testing.T) { t.Parallel(); liveSessionsByUsers(t, newStores(t)) })
	t.Run("RecentByUsers", func(t *testing.T) { t.Parallel(); recentByUsers(t, newStores(t)) })
}

func pageUser(t *testing.T, s PageStores, phone string) uuid.UUID {
	t.Helper()
	u := identity.User{ID: uuid.New(), Phone: phone, State: "ACTIVE", Role: "MEMBER", Level: 1,
		ReferralCode: uuid.NewString()[:8], CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Users.Create(context.Background(), u))
	return u.ID
}

// groups splits rows by user, checking that each user's rows come
// together.
func groups[T any](t *testing.T, rows []T, user func(T) uuid.UUID) map[uuid.UUID][]T {
	t.Helper()
	out := map[uuid.UUID][]T{}
	var last uuid.UUID
	for _, r := range rows {
		u := user(r)
		if u != last {
			check(t, out[u] == nil, "rows of %v not grouped", u)
			last = u
		}
		out[u] = append(out[u], r)
	}
	return out
}

func liveSessionsByUsers(t *testing.T, s PageStores) {
	ctx := context.Background()
	u, other, bare := pageUser(t, s, "+447911125001"), pageUser(t, s, "+447911125002"), pageUser(t, s, "+447911125003")
	device := func(userID uuid.UUID) uuid.UUID {
		t.Helper()
		d, err := s.Users.UpsertDevice(ctx, identity.Device{UserID: userID, DeviceKey: "k", CreatedAt: T0, LastSeenAt: T0})
		noErr(t, err)
		return d.ID
	}
	ud, od := device(u), device(other)
	now := T0.Add(time.Hour)
	n := 0
	create := func(userID, deviceID uuid.UUID, lastUsed, expires time.Time) identity.Session {
		t.Helper()
		n++
		sess := identity.Session{ID: uuid.New(), UserID: userID, DeviceID: deviceID, CreatedAt: T0,
			LastUsedAt: lastUsed, ExpiresAt: expires}
		noErr(t, s.Sessions.Create(ctx, sess, []byte{byte(n), byte(n >> 8), 'p'}, expires))
		return sess
	}
	newest := create(u, ud, T0.Add(30*time.Minute), now.Add(time.Hour))
	tieA := create(u, ud, T0.Add(20*time.Minute), now.Add(time.Hour))
	tieB := create(u, ud, T0.Add(20*time.Minute), now.Add(time.Hour))
	older := create(u, ud, T0.Add(10*time.Minute), now.Add(time.Hour))
	revoked := create(u, ud, T0.Add(40*time.Minute), now.Add(time.Hour))
	noErr(t, s.Sessions.Revoke(ctx, revoked.ID, now, "test"))
	create(u, ud, T0.Add(50*time.Minute), now) // expires exactly now
	// The other user has more than the 100 a user's list holds.
	for i := range 101 {
		create(other, od, T0.Add(time.Duration(i)*time.Second), now.Add(time.Hour))
	}
	if bytes.Compare(tieA.ID[:], tieB.ID[:]) > 0 {
		tieA, tieB = tieB, tieA
	}

	got, err := s.Sessions.LiveSessionsByUsers(ctx, []uuid.UUID{bare, u, other, u, uuid.New()}, now)
	noErr(t, err)
	by := groups(t, got, func(s identity.Session) uuid.UUID { return s.UserID })
	ids := func(ss []identity.Session) []uuid.UUID {
		out := make([]uuid.UUID, len(ss))
		for i, s := range ss {
			out[i] = s.ID
		}
		return out
	}
	check(t, slices.Equal(ids(by[u]), []uuid.UUID{newest.ID, tieA.ID, tieB.ID, older.ID}),
		"sessions of the user: %v", ids(by[u]))
	check(t, by[u][0].DeviceID == ud && by[u][0].LastUsedAt.Equal(newest.LastUsedAt), "session row: %+v", by[u][0])
	check(t, len(by[other]) == 100 && by[other][0].LastUsedAt.Equal(T0.Add(100*time.Second)) &&
		by[other][99].LastUsedAt.Equal(T0.Add(time.Second)), "the other's newest 100: %d rows", len(by[other]))
	check(t, len(by[bare]) == 0 && len(by) == 2, "users without sessions: %+v", by)
	for _, id := range []uuid.UUID{u, other} {
		one, err := s.Sessions.ListLive(ctx, id, now)
		noErr(t, err)
		check(t, slices.Equal(ids(one), ids(by[id])), "ListLive of %v differs from the batch", id)
	}

	none, err := s.Sessions.LiveSessionsByUsers(ctx, nil, now)
	noErr(t, err)
	check(t, len(none) == 0, "sessions of nothing: %+v", none)
}

func recentByUsers(t *testing.T, s PageStores) {
	ctx := context.Background()
	u, other, bare := pageUser(t, s, "+447911125011"), pageUser(t, s, "+447911125012"), pageUser(t, s, "+447911125013")
	record := func(userID *uuid.UUID, action string, at time.Time) {
		t.Helper()
		noErr(t, s.Activities.Record(ctx, ports.Activity{UserID: userID, Topic: "SESSION", Action: action,
			Result: ports.ActivitySucceeded, IP: "192.0.2.1", Details: map[string]string{"n": action}, CreatedAt: at}))
	}
	// Written out of time order; three share an instant, where the order
	// of writing (UUIDv7 ids) decides.
	record(&u, "a1", T0.Add(-time.Minute))
	record(&u, "b1", T0)
	record(&u, "c1", T0.Add(time.Minute))
	record(&u, "b2", T0)
	record(&u, "b3", T0)
	record(&other, "x1", T0)
	record(nil, "anon", T0.Add(time.Hour))

	actions := func(rows []ports.Activity) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.Action
		}
		return out
	}
	got, err := s.Recent.RecentByUsers(ctx, []uuid.UUID{u, bare, other, u}, 3)
	noErr(t, err)
	by := groups(t, got, func(a ports.Activity) uuid.UUID { return *a.UserID })
	check(t, slices.Equal(actions(by[u]), []string{"c1", "b3", "b2"}), "the user's newest 3: %v", actions(by[u]))
	check(t, slices.Equal(actions(by[other]), []string{"x1"}) && by[other][0].Details["n"] == "x1" &&
		by[other][0].IP == "192.0.2.1", "the other's: %+v", by[other])
	check(t, len(by[bare]) == 0 && len(by) == 2, "users without activity: %v", actions(got))
	for _, id := range []uuid.UUID{u, other} {
		one, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: id, Limit: 3})
		noErr(t, err)
		check(t, slices.Equal(actions(one), actions(by[id])), "List of %v differs from the batch", id)
	}
	all, err := s.Recent.RecentByUsers(ctx, []uuid.UUID{u}, 100)
	noErr(t, err)
	check(t, slices.Equal(actions(all), []string{"c1", "b3", "b2", "b1", "a1"}), "all of the user's: %v", actions(all))

	none, err := s.Recent.RecentByUsers(ctx, nil, 3)
	noErr(t, err)
	check(t, len(none) == 0, "activity of nothing: %+v", none)
}
