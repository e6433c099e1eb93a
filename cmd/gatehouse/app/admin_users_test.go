package app_test

import (
	"slices"
	"testing"
	"time"
)

const qUsers = `query($filter: UserFilter, $orderBy: UserOrder, $first: Int, $after: String) {
	users(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
		edges { cursor node { id name email phone role state level createdAt lastSignInAt } }
		pageInfo { hasNextPage endCursor } totalCount totalCountExact } }`

type userNode struct {
	ID           string
	Name         string
	Email        *string
	Phone        *string
	Role         string
	State        string
	Level        int
	CreatedAt    string
	LastSignInAt *string
}

type usersPage struct {
	Users struct {
		Edges []struct {
			Cursor string
			Node   userNode
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
		TotalCount      int
		TotalCountExact bool
	}
}

// searchAll walks every page of a search, first at a time, and returns
// the ids in order and the totalCount of the first page.
func (h *harness) searchAll(token string, filter, order map[string]any, first int) ([]string, int) {
	h.t.Helper()
	var ids []string
	total := -1
	var after any
	for range 100 {
		var p usersPage
		h.ok(token, qUsers, vars("filter", filter, "orderBy", order, "first", first, "after", after), &p)
		if total < 0 {
			total = p.Users.TotalCount
			must(h.t, p.Users.TotalCountExact, "totalCountExact false on a small set")
		}
		must(h.t, len(p.Users.Edges) <= first, "page of %d with first %d", len(p.Users.Edges), first)
		for _, e := range p.Users.Edges {
			ids = append(ids, e.Node.ID)
		}
		if !p.Users.PageInfo.HasNextPage {
			return ids, total
		}
		must(h.t, p.Users.PageInfo.EndCursor != nil, "hasNextPage without endCursor")
		after = *p.Users.PageInfo.EndCursor
	}
	h.t.Fatal("pagination does not end")
	return nil, 0
}

// TestUsersSearchOverGraphQL: filters, orders and pagination end to end.
func TestUsersSearchOverGraphQL(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	support := h.staff("SUPPORT", "+447911125001")
	admin := h.staff("ADMIN", "+447911125002")
	compliance := h.staff("COMPLIANCE", "+447911125003")
	// Members created a minute apart: ada, grace, alan (email), then two
	// phone users.
	type person struct{ id, name string }
	var people []person
	for _, p := range []struct{ email, name string }{
		{"ada.lovelace@example.com", "Ada Lovelace"},
		{"grace.hopper@example.com", "Grace Hopper"},
		{"alan.turing@example.org", "Alan Turing"},
	} {
		h.clock.Advance(time.Minute)
		a := h.emailUser(p.email, strongPassword, "", p.name, "laptop")
		people = append(people, person{a.User.ID, p.name})
	}
	h.clock.Advance(time.Minute)
	p1 := h.signUp("+447911125101", "4831", "phone-1")
	h.clock.Advance(time.Minute)
	p2 := h.signUp("+447911125102", "4831", "phone-2")
	ada, grace, alan := people[0].id, people[1].id, people[2].id

	ids := func(filter map[string]any) []string {
		got, total := h.searchAll(support.token, filter, nil, 2)
		must(t, total == len(got), "totalCount %d, walked %d (filter %v)", total, len(got), filter)
		return got
	}
	// Email: case-insensitive prefix, and the whole address.
	must(t, slices.Equal(ids(map[string]any{"email": "ADA."}), []string{ada}), "email prefix")
	must(t, slices.Equal(ids(map[string]any{"email": "grace.hopper@example.com"}), []string{grace}), "whole email")
	// Phone: spaces ignored, prefix.
	got := ids(map[string]any{"phone": "+44 7911 1251"})
	must(t, slices.Equal(got, []string{p2.User.ID, p1.User.ID}), "phone prefix newest first: %v", got)
	must(t, slices.Equal(ids(map[string]any{"phone": "447911125101"}), []string{p1.User.ID}), "whole phone without +")
	// Name: a substring of the name.
	must(t, slices.Equal(ids(map[string]any{"name": "hopp"}), []string{grace}), "name substring")
	// Role.
	got = ids(map[string]any{"role": "COMPLIANCE"})
	must(t, slices.Equal(got, []string{compliance.id}), "role: %v", got)
	// State: lock alan.
	var st struct{ SetUserState struct{ State string } }
	h.ok(admin.token, mSetUserState, in("userId", alan, "state", "LOCKED", "reason", "test"), &st)
	must(t, slices.Equal(ids(map[string]any{"state": "LOCKED"}), []string{alan}), "state")
	// Label: set by compliance.
	var l struct{ SetUserLabel struct{ Key string } }
	h.ok(compliance.token, mSetUserLabel, in("userId", grace, "key", "vip", "value", "gold", "scope", "PRIVATE", "reason", "test"), &l)
	must(t, slices.Equal(ids(map[string]any{"label": map[string]any{"key": "vip"}}), []string{grace}), "label key")
	must(t, len(ids(map[string]any{"label": map[string]any{"key": "vip", "value": "silver"}})) == 0, "label value")
	// Combined conditions all hold.
	must(t, len(ids(map[string]any{"email": "ada", "state": "LOCKED"})) == 0, "conditions are ANDed")

	// Everyone, newest first, in pages of 2 without gaps or repeats.
	all, total := h.searchAll(support.token, nil, nil, 2)
	must(t, total == 8 && len(all) == 8, "everyone: total %d, %d walked", total, len(all))
	must(t, all[0] == p2.User.ID && all[1] == p1.User.ID && all[2] == alan && all[3] == grace && all[4] == ada,
		"newest first: %v", all)
	asc, _ := h.searchAll(support.token, nil, map[string]any{"field": "CREATED_AT", "direction": "ASC"}, 3)
	rev := slices.Clone(all)
	slices.Reverse(rev)
	must(t, slices.Equal(asc, rev), "ASC is DESC reversed: %v vs %v", asc, rev)
	// By name, ascending: Ada, Alan, Grace come in that order.
	byName, _ := h.searchAll(support.token, map[string]any{"email": "a"}, map[string]any{"field": "NAME", "direction": "ASC"}, 1)
	must(t, slices.Equal(byName, []string{ada, alan}), "by name: %v", byName)
	byName, _ = h.searchAll(support.token, nil, map[string]any{"field": "NAME", "direction": "ASC"}, 50)
	must(t, slices.Index(byName, ada) < slices.Index(byName, alan) && slices.Index(byName, alan) < slices.Index(byName, grace),
		"by name: %v", byName)
	// By last sign-in, newest first: p2 signed in last among members.
	h.clock.Advance(time.Minute)
	h.signInAgain("+447911125101", "4831", "phone-1")
	bySignIn, _ := h.searchAll(support.token, map[string]any{"phone": "+4479111251"}, map[string]any{"field": "LAST_SIGN_IN", "direction": "DESC"}, 1)
	must(t, slices.Equal(bySignIn, []string{p1.User.ID, p2.User.ID}), "by last sign-in: %v", bySignIn)

	// Bad input names the field.
	r := h.fails(support.token, qUsers, vars("filter", map[string]any{"email": "", "country": "GBR", "levelMin": 5, "levelMax": 1}), "VALIDATION_FAILED")
	f, _ := r.Errors[0].Extensions["fields"].(map[string]any)
	for _, name := range []string{"filter.email", "filter.country", "filter.levelMax"} {
		must(t, f[name] != nil, "no %s in %v", name, f)
	}
	h.fails(support.token, qUsers, vars("first", 101), "VALIDATION_FAILED")
	h.fails(support.token, qUsers, vars("after", "not-a-cursor"), "VALIDATION_FAILED")
	// Members search nobody.
	h.fails(p1.AccessToken, qUsers, nil, "FORBIDDEN")
	var lk struct {
		LabelKeys []struct {
			Key, Value, Scope string
			Users             int
		}
	}
	h.ok(support.token, `{ labelKeys { key value scope users } }`, nil, &lk)
	must(t, slices.ContainsFunc(lk.LabelKeys, func(u struct {
		Key, Value, Scope string
		Users             int
	}) bool {
		return u.Key == "vip" && u.Value == "gold" && u.Scope == "PRIVATE" && u.Users == 1
	}), "labelKeys: %+v", lk.LabelKeys)
}

// TestUserFullPictureForAdmin: user(id) gives ADMIN devices, sessions,
// recent activity and the last sign-in; activities and adminActivities
// find what happened.
func TestUserFullPictureForAdmin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911126001")
	support := h.staff("SUPPORT", "+447911126002")
	accountant := h.staff("ACCOUNTANT", "+447911126003")
	m := h.signUp("+447911126101", "4831", "member-phone")
	h.clock.Advance(time.Minute)
	h.signInAgain("+447911126101", "4831", "member-phone")

	const q = `query($id: ID!) { user(id: $id) { id lastSignInAt totpEnabled
		devices { deviceId name trusted }
		sessions { id current device { deviceId } }
		recentActivity(first: 5) { action result userId } } }`
	var d struct {
		User struct {
			ID           string
			LastSignInAt *string
			TotpEnabled  bool
			Devices      []struct {
				DeviceID string
				Name     string
				Trusted  bool
			}
			Sessions []struct {
				ID      string
				Current bool
				Device  struct{ DeviceID string }
			}
			RecentActivity []struct {
				Action, Result string
				UserID         *string
			}
		}
	}
	h.ok(admin.token, q, vars("id", m.User.ID), &d)
	u := d.User
	must(t, u.ID == m.User.ID, "user: %+v", u)
	must(t, u.LastSignInAt != nil, "lastSignInAt is null after a sign-in")
	h.recentTime("lastSignInAt", *u.LastSignInAt)
	must(t, len(u.Devices) == 1 && u.Devices[0].DeviceID == "member-phone" && u.Devices[0].Trusted, "devices: %+v", u.Devices)
	must(t, len(u.Sessions) == 2 && !u.Sessions[0].Current && u.Sessions[0].Device.DeviceID == "member-phone",
		"sessions: %+v", u.Sessions)
	must(t, len(u.RecentActivity) > 0 && len(u.RecentActivity) <= 5 && u.RecentActivity[0].Action == "sign_in.pin" &&
		u.RecentActivity[0].UserID != nil && *u.RecentActivity[0].UserID == m.User.ID, "recentActivity: %+v", u.RecentActivity)
	h.fails(admin.token, `query($id: ID!) { user(id: $id) { recentActivity(first: 101) { action } } }`, vars("id", m.User.ID), "VALIDATION_FAILED")

	// SUPPORT reads the devices too, without push tokens; a member reads
	// only their own, with theirs.
	h.ok(m.AccessToken, mRegisterPush, vars("device", "member-phone", "token", "fcm-secret-token-1"), &struct{}{})
	var pd struct {
		User struct {
			Devices []struct {
				Push struct{ Token, Platform string }
			}
		}
	}
	h.ok(support.token, `query($id: ID!) { user(id: $id) { devices { push { token platform } } } }`, vars("id", m.User.ID), &pd)
	must(t, len(pd.User.Devices) == 1 && pd.User.Devices[0].Push.Token == "" && pd.User.Devices[0].Push.Platform == "ANDROID",
		"staff see a push token: %+v", pd.User)
	h.ok(support.token, `query($id: ID!) { user(id: $id) { devices { deviceId } sessions { id } } }`, vars("id", m.User.ID), &d)
	must(t, len(d.User.Devices) == 1 && len(d.User.Sessions) == 2, "support's view: %+v", d.User)
	var me struct {
		Me struct{ Devices []struct{ DeviceID string } }
	}
	h.ok(m.AccessToken, `{ me { devices { deviceId } } }`, nil, &me)
	must(t, len(me.Me.Devices) == 1, "own devices: %+v", me.Me)
	var own struct {
		Me struct {
			Devices []struct{ Push struct{ Token string } }
		}
	}
	h.ok(m.AccessToken, `{ me { devices { push { token } } } }`, nil, &own)
	must(t, len(own.Me.Devices) == 1 && own.Me.Devices[0].Push.Token == "fcm-secret-token-1", "own push token: %+v", own.Me)
	// ACCOUNTANT reads users but not their activity, sessions or devices.
	h.fails(accountant.token, `query($id: ID!) { user(id: $id) { recentActivity { action } } }`, vars("id", m.User.ID), "FORBIDDEN")
	h.fails(accountant.token, `query($id: ID!) { user(id: $id) { sessions { id } } }`, vars("id", m.User.ID), "FORBIDDEN")
	h.fails(accountant.token, `query($id: ID!) { user(id: $id) { devices { deviceId } } }`, vars("id", m.User.ID), "FORBIDDEN")

	// The revocation shows in activities (by email or id) and in the audit trail.
	var rv struct{ RevokeUserSessions struct{ Revoked int } }
	h.ok(admin.token, mRevokeUserSessions, in("userId", m.User.ID, "reason", "lost phone"), &rv)
	must(t, rv.RevokeUserSessions.Revoked == 2, "revoked: %+v", rv)
	var acts struct {
		Activities struct {
			Edges []struct {
				Node struct {
					Action string
					UserID *string
				}
			}
			PageInfo struct{ HasNextPage bool }
		}
	}
	h.ok(support.token, `query($f: ActivityFilter) { activities(filter: $f, first: 1) { edges { node { action userId } } pageInfo { hasNextPage } } }`,
		vars("f", map[string]any{"userId": m.User.ID}), &acts)
	must(t, len(acts.Activities.Edges) == 1 && acts.Activities.Edges[0].Node.Action == "sessions.revoke_all" &&
		acts.Activities.PageInfo.HasNextPage, "activities: %+v", acts.Activities)
	var aa struct {
		AdminActivities struct {
			Edges []struct {
				Node struct {
					Action, Reason, Result string
					Admin                  *struct{ ID string }
					TargetUser             *struct{ ID string }
					Input                  map[string]any
				}
			}
		}
	}
	h.ok(admin.token, `query($f: AdminActivityFilter) { adminActivities(filter: $f, first: 10) { edges { node { action reason result admin { id } targetUser { id } input } } } }`,
		vars("f", map[string]any{"targetUserId": m.User.ID, "action": "revokeUserSessions"}), &aa)
	must(t, len(aa.AdminActivities.Edges) == 1, "adminActivities: %+v", aa)
	n := aa.AdminActivities.Edges[0].Node
	must(t, n.Reason == "lost phone" && n.Result == "SUCCEEDED" && n.Admin != nil && n.Admin.ID == admin.id &&
		n.TargetUser != nil && n.TargetUser.ID == m.User.ID && n.Input["userId"] == m.User.ID, "admin activity: %+v", n)
	h.fails(support.token, `{ adminActivities { edges { node { id } } } }`, nil, "FORBIDDEN")
}
