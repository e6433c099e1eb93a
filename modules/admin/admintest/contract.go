// Package admintest holds the admin module's fakes (PermissionStore,
// PermissionWatcher, UserDirectory, AuditTrail) and the contract suites
// that the fakes and the PostgreSQL adapters both pass, so a fake cannot
// drift from the truth. (The audit trail's write side is ports' own,
// portsfake.AuditTrail, since kyc and the authorization rule write it too;
// its suite is here, with admin's searches that read it back.)
package admintest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// T0 is the suites' reference instant.
var T0 = portstest.T0

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func codeOf(err error) ports.ErrorCode {
	if errors.Is(err, ports.ErrNotFound) {
		return ports.CodeNotFound
	}
	return ports.ErrorCodeOf(err)
}

// PermissionStores is a PermissionStore with the PermissionWatcher that
// hears its changes and the TxRunner of the same store, fresh for each
// call of the factory (it may hold default rows, as the migrations seed).
type PermissionStores struct {
	Store   admin.PermissionStore
	Watcher admin.PermissionWatcher
	Tx      ports.TxRunner
}

// RunPermissions runs the PermissionStore and PermissionWatcher contract
// suite against implementations from newStores.
func RunPermissions(t *testing.T, newStores func(t *testing.T) PermissionStores) {
	t.Run("Rows", func(t *testing.T) { t.Parallel(); permissionRows(t, newStores(t)) })
	t.Run("Watch", func(t *testing.T) { t.Parallel(); permissionWatch(t, newStores(t)) })
}

func permissionRows(t *testing.T, s PermissionStores) {
	ctx := context.Background()
	before, err := s.Store.List(ctx)
	noErr(t, err)

	p := admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "contract*", Action: admin.PermissionDeny,
		CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Store.Create(ctx, p))
	q := admin.Permission{ID: uuid.New(), Role: ports.RoleSupport, Operation: "contractOp", Action: admin.PermissionAllow,
		CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Store.Create(ctx, q))
	got, err := s.Store.Get(ctx, p.ID)
	noErr(t, err)
	check(t, got.ID == p.ID && got.Role == p.Role && got.Operation == "contract*" && got.Action == admin.PermissionDeny &&
		got.CreatedAt.Equal(T0) && got.UpdatedAt.Equal(T0), "get: %+v", got)

	rows, err := s.Store.List(ctx)
	noErr(t, err)
	check(t, len(rows) == len(before)+2, "list: %d rows, want %d", len(rows), len(before)+2)
	for i := 1; i < len(rows); i++ {
		a, b := rows[i-1], rows[i]
		check(t, a.Role < b.Role || (a.Role == b.Role && a.Operation < b.Operation),
			"not ordered by role, operation: %v then %v", a, b)
	}

	// One rule per (role, operation), on create and on update.
	dup := p
	dup.ID = uuid.New()
	check(t, codeOf(s.Store.Create(ctx, dup)) == ports.CodeConflict, "a second rule of the role for the operation")
	other := dup
	other.Role = ports.RoleSupport
	noErr(t, s.Store.Create(ctx, other)) // another role may have it
	clash := q
	clash.Operation = "contract*"
	check(t, codeOf(s.Store.Update(ctx, clash)) == ports.CodeConflict, "update onto another rule of the role")

	p.Action, p.Operation, p.UpdatedAt = admin.PermissionAudit, "contractAudited", T0.Add(time.Hour)
	noErr(t, s.Store.Update(ctx, p))
	got, err = s.Store.Get(ctx, p.ID)
	noErr(t, err)
	check(t, got.Action == admin.PermissionAudit && got.Operation == "contractAudited" &&
		got.UpdatedAt.Equal(T0.Add(time.Hour)) && got.CreatedAt.Equal(T0), "after update: %+v", got)
	missing := admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "contractMissing",
		Action: admin.PermissionAllow, UpdatedAt: T0}
	check(t, codeOf(s.Store.Update(ctx, missing)) == ports.CodeNotFound, "update of a missing rule")
	_, err = s.Store.Get(ctx, missing.ID)
	check(t, codeOf(err) == ports.CodeNotFound, "get of a missing rule: %v", err)

	// Lock is taken inside a transaction.
	noErr(t, s.Tx.InTx(ctx, func(ctx context.Context) error { return s.Store.Lock(ctx) }))

	ok, err := s.Store.Delete(ctx, p.ID)
	check(t, ok && err == nil, "delete: %v, %v", ok, err)
	ok, err = s.Store.Delete(ctx, p.ID)
	check(t, !ok && err == nil, "second delete: %v, %v", ok, err)
	_, err = s.Store.Get(ctx, p.ID)
	check(t, codeOf(err) == ports.CodeNotFound, "get after delete: %v", err)
	rows, err = s.Store.List(ctx)
	noErr(t, err)
	check(t, len(rows) == len(before)+2, "list after delete: %d rows, want %d", len(rows), len(before)+2)
}

func permissionWatch(t *testing.T, s PermissionStores) {
	ctx, cancel := context.WithCancel(context.Background())
	calls, done := make(chan struct{}, 64), make(chan error, 1)
	go func() { done <- s.Watcher.Watch(ctx, func() { calls <- struct{}{} }) }()
	expect := func(what string) {
		t.Helper()
		select {
		case <-calls:
		case <-time.After(10 * time.Second):
			t.Fatalf("changed was not called %s", what)
		}
	}
	expect("once listening")

	p := admin.Permission{ID: uuid.New(), Role: ports.RoleMember, Operation: "contractWatched",
		Action: admin.PermissionAllow, CreatedAt: T0, UpdatedAt: T0}
	noErr(t, s.Store.Create(context.Background(), p))
	expect("after create")
	p.Action, p.UpdatedAt = admin.PermissionDeny, T0.Add(time.Minute)
	noErr(t, s.Store.Update(context.Background(), p))
	expect("after update")
	_, err := s.Store.Delete(context.Background(), p.ID)
	noErr(t, err)
	expect("after delete")

	cancel()
	select {
	case err := <-done:
		check(t, errors.Is(err, context.Canceled), "Watch returned %v, want context.Canceled", err)
	case <-time.After(10 * time.Second):
		t.Fatal("Watch did not return when its context ended")
	}
}

// DirectoryStores is a UserDirectory with the UserStore of the same
// store, fresh and empty for each call of the factory.
type DirectoryStores struct {
	Users     identity.Users
	Directory admin.UserDirectory
}

// RunDirectory runs the UserDirectory contract suite against
// implementations from newStores, on the filters every implementation
// serves (labels, KYC status and pending documents need kyc's tables:
// the adapter's own tests cover them).
func RunDirectory(t *testing.T, newStores func(t *testing.T) DirectoryStores) {
	t.Run("FiltersOrdersPages", func(t *testing.T) { t.Parallel(); directorySearch(t, newStores(t)) })
	t.Run("LabelUsageEmpty", func(t *testing.T) { t.Parallel(); directoryLabelsEmpty(t, newStores(t)) })
}

func directoryFixture(t *testing.T, s DirectoryStores) []identity.User {
	rows := []struct {
		email, phone, name, role, state, country string
		level                                    int
	}{
		{"ann.lee@example.com", "+447700900001", "Ann Lee", "MEMBER", "ACTIVE", "GB", 2},
		{"bob@example.com", "+447700900002", "Bob Stone", "MEMBER", "LOCKED", "FR", 1},
		{"cat@example.org", "+33600000003", "Cat Ng", "SUPPORT", "ACTIVE", "FR", 3},
		{"dan@example.com", "+447700900004", "Dan Lee", "ADMIN", "BANNED", "GB", 0},
		{"eve@example.net", "+15550000005", "Eve Moss", "MEMBER", "ACTIVE", "US", 1},
		{"fay@example.com", "+447700900006", "Fay Oak", "MEMBER", "ACTIVE", "GB", 2},
	}
	var out []identity.User
	for i, r := range rows {
		at := T0.Add(time.Duration(i) * time.Minute)
		u := identity.User{ID: uuid.New(), Email: r.email, Phone: r.phone, Name: r.name, Role: r.role, State: r.state,
			CountryCode: r.country, Level: r.level, ReferralCode: uuid.NewString()[:8], CreatedAt: at, UpdatedAt: at}
		noErr(t, s.Users.Create(context.Background(), u))
		out = append(out, u)
	}
	return out
}

func directorySearch(t *testing.T, s DirectoryStores) {
	ctx := context.Background()
	us := directoryFixture(t, s)
	ptr := func(v int) *int { return &v }
	at := func(m int) *time.Time { v := T0.Add(time.Duration(m) * time.Minute); return &v }
	cases := []struct {
		name string
		f    admin.UserFilter
		want func(u identity.User) bool
	}{
		{"all", admin.UserFilter{}, func(identity.User) bool { return true }},
		{"id", admin.UserFilter{ID: &us[2].ID}, func(u identity.User) bool { return u.ID == us[2].ID }},
		{"email prefix", admin.UserFilter{EmailPrefix: "dan@"}, func(u identity.User) bool { return strings.HasPrefix(u.Email, "dan@") }},
		{"phone prefix", admin.UserFilter{PhonePrefix: "+4477"}, func(u identity.User) bool { return strings.HasPrefix(u.Phone, "+4477") }},
		{"name", admin.UserFilter{Name: "lee"}, func(u identity.User) bool { return strings.HasSuffix(u.Name, "Lee") }},
		{"role", admin.UserFilter{Role: "MEMBER"}, func(u identity.User) bool { return u.Role == "MEMBER" }},
		{"state", admin.UserFilter{State: "ACTIVE"}, func(u identity.User) bool { return u.State == "ACTIVE" }},
		{"level min", admin.UserFilter{LevelMin: ptr(2)}, func(u identity.User) bool { return u.Level >= 2 }},
		{"level max", admin.UserFilter{LevelMax: ptr(1)}, func(u identity.User) bool { return u.Level <= 1 }},
		{"country", admin.UserFilter{Country: "GB"}, func(u identity.User) bool { return u.CountryCode == "GB" }},
		{"created from", admin.UserFilter{CreatedFrom: at(2)}, func(u identity.User) bool { return !u.CreatedAt.Before(*at(2)) }},
		{"created to", admin.UserFilter{CreatedTo: at(2)}, func(u identity.User) bool { return u.CreatedAt.Before(*at(2)) }},
		{"together", admin.UserFilter{Country: "GB", Role: "MEMBER", LevelMin: ptr(2)},
			func(u identity.User) bool { return u.CountryCode == "GB" && u.Role == "MEMBER" && u.Level >= 2 }},
		{"none", admin.UserFilter{EmailPrefix: "zed@"}, func(identity.User) bool { return false }},
	}
	orders := []admin.UserOrder{{Field: admin.OrderCreatedAt}, {Field: admin.OrderCreatedAt, Desc: true},
		{Field: admin.OrderName}, {Field: admin.OrderName, Desc: true}}
	for _, c := range cases {
		var want []identity.User
		for _, u := range us {
			if c.want(u) {
				want = append(want, u)
			}
		}
		for _, o := range orders {
			sorted := slices.Clone(want)
			slices.SortFunc(sorted, func(a, b identity.User) int {
				r := a.CreatedAt.Compare(b.CreatedAt)
				if o.Field == admin.OrderName {
					r = strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
				}
				if o.Desc {
					r = -r
				}
				return r
			})
			// Pages of 2 walk every hit once, in order.
			var got []uuid.UUID
			after := ""
			for range len(us) + 1 {
				q := admin.UserSearch{Filter: c.f, Order: o, After: after, Limit: 2}
				hits, err := s.Directory.Search(ctx, q)
				noErr(t, err)
				check(t, len(hits) <= 2, "%s: page of %d hits, limit 2", c.name, len(hits))
				// The same page and the page's total at once, exact or
				// cut at the limit (3), on every page (the last one may
				// be empty).
				counted, n, exact, err := s.Directory.SearchCounted(ctx, q, 3)
				noErr(t, err)
				check(t, len(counted) == len(hits), "%s: SearchCounted gave %d hits, Search %d", c.name, len(counted), len(hits))
				for i := range hits {
					check(t, counted[i].User.ID == hits[i].User.ID && counted[i].Cursor == hits[i].Cursor,
						"%s: SearchCounted hit %d = %+v, Search's %+v", c.name, i, counted[i], hits[i])
				}
				check(t, n == min(len(want), 3) && exact == (len(want) <= 3),
					"%s, %s desc=%v after %q: total %d, %v; want %d of %d", c.name, o.Field, o.Desc, after, n, exact,
					min(len(want), 3), len(want))
				for _, h := range hits {
					got = append(got, h.User.ID)
				}
				if len(hits) < 2 {
					break
				}
				after = hits[len(hits)-1].Cursor
			}
			var wantIDs []uuid.UUID
			for _, u := range sorted {
				wantIDs = append(wantIDs, u.ID)
			}
			check(t, slices.Equal(got, wantIDs), "%s, %s desc=%v: got %v, want %v", c.name, o.Field, o.Desc, got, wantIDs)
		}
		n, exact, err := s.Directory.Count(ctx, c.f, 100)
		noErr(t, err)
		check(t, n == len(want) && exact, "%s: count = %d, %v; want %d exact", c.name, n, exact, len(want))
	}
	n, exact, err := s.Directory.Count(ctx, admin.UserFilter{}, 4)
	check(t, err == nil && n == 4 && !exact, "count limited = %d, %v, %v; want 4, not exact", n, exact, err)
	n, exact, err = s.Directory.Count(ctx, admin.UserFilter{}, len(us))
	check(t, err == nil && n == len(us) && exact, "count at the limit = %d, %v, %v; want %d exact", n, exact, err, len(us))

	// Hits are whole users.
	hits, err := s.Directory.Search(ctx, admin.UserSearch{Filter: admin.UserFilter{ID: &us[0].ID}, Limit: 10})
	noErr(t, err)
	check(t, len(hits) == 1, "search by id: %d hits", len(hits))
	u := hits[0].User
	check(t, u.Email == us[0].Email && u.Phone == us[0].Phone && u.Name == "Ann Lee" && u.Role == "MEMBER" &&
		u.State == "ACTIVE" && u.Level == 2 && u.CountryCode == "GB" && u.CreatedAt.Equal(T0), "hit user = %+v", u)
}

func directoryLabelsEmpty(t *testing.T, s DirectoryStores) {
	directoryFixture(t, s)
	usage, err := s.Directory.LabelUsage(context.Background())
	noErr(t, err)
	check(t, len(usage) == 0, "label usage without labels: %v", usage)
}
