package postgres_test

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// dirUser is one user of the search fixture and what the search should
// see of it.
type dirUser struct {
	key                string
	id                 uuid.UUID
	email, phone, name string // name: the display name
	first, last        string // KYC profile; empty = none
	role, state        string
	level              int
	country, kyc       string
	labels             map[string]string
	created            time.Time
	lastSignIn         *time.Time
}

func (u dirUser) searchName() string {
	if u.first != "" || u.last != "" {
		return strings.ToLower(strings.TrimSpace(u.first + " " + u.last))
	}
	return strings.ToLower(strings.TrimSpace(u.name))
}

func (u dirUser) signInKey() time.Time {
	if u.lastSignIn == nil {
		return time.Time{} // sorts first, like -infinity
	}
	return *u.lastSignIn
}

// insertDirUser writes u through the user store and SQL; the triggers of
// the admin migration fill search_name.
func insertDirUser(t *testing.T, db *bun.DB, u dirUser) {
	t.Helper()
	ctx := context.Background()
	err := postgres.NewUserStore(db).Create(ctx, identity.User{ID: u.id, Email: u.email, Phone: u.phone, Name: u.name,
		CountryCode: u.country, State: u.state, Role: u.role, Level: u.level, ReferralCode: "R" + u.id.String()[:12],
		CreatedAt: u.created, UpdatedAt: u.created})
	if err != nil {
		t.Fatalf("create %s: %v", u.key, err)
	}
	if u.first != "" || u.last != "" {
		if _, err := db.ExecContext(ctx, `INSERT INTO kyc_profiles (user_id, first_name, last_name, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?)`, u.id, u.first, u.last, u.created, u.created); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.ExecContext(ctx, `UPDATE users SET kyc_status = ?, last_sign_in_at = ? WHERE id = ?`,
		u.kyc, u.lastSignIn, u.id); err != nil {
		t.Fatal(err)
	}
	for k, v := range u.labels {
		if _, err := db.ExecContext(ctx, `INSERT INTO labels (user_id, key, value, scope, created_at, updated_at)
			VALUES (?, ?, ?, 'PRIVATE', ?, ?)`, u.id, k, v, u.created, u.created); err != nil {
			t.Fatal(err)
		}
	}
}

func at(h int) *time.Time { x := t0.Add(time.Duration(h) * time.Hour); return &x }

// dirFixture is a small varied set: shared sort values (ties broken by id),
// users who never signed in, LIKE metacharacters, names with and without a
// KYC profile.
func dirFixture() []dirUser {
	us := []dirUser{
		{key: "ann", email: "ann.lee@example.com", phone: "+447700900001", first: "Ann", last: "Lee", role: "MEMBER", state: "ACTIVE", level: 2, country: "GB", kyc: "PENDING", labels: map[string]string{"vip": "true", "tier": "gold"}, created: *at(0), lastSignIn: at(100)},
		{key: "bob", email: "bob_smith@example.com", phone: "+447700900002", first: "Bob", last: "Smith", role: "SUPPORT", state: "ACTIVE", level: 3, country: "GB", kyc: "APPROVED", labels: map[string]string{"tier": "silver"}, created: *at(1), lastSignIn: at(100)},
		{key: "bobx", email: "bobxsmith@example.com", phone: "+491700900003", name: "Bobby", role: "MEMBER", state: "LOCKED", level: 1, country: "DE", kyc: "NONE", created: *at(1), lastSignIn: nil},
		{key: "carl", email: "carl@example.org", phone: "+491700900004", first: "Carl", last: "Smithers", role: "ADMIN", state: "ACTIVE", level: 3, country: "DE", kyc: "APPROVED", labels: map[string]string{"vip": "false"}, created: *at(2), lastSignIn: at(50)},
		{key: "dora", email: "dora@example.org", name: "dora the explorer", role: "MEMBER", state: "BANNED", level: 0, country: "FR", kyc: "REJECTED", created: *at(3), lastSignIn: at(10)},
		{key: "eve", phone: "+33600900006", name: "Eve", role: "MEMBER", state: "ACTIVE", level: 1, country: "FR", kyc: "NONE", labels: map[string]string{"tier": "gold"}, created: *at(3), lastSignIn: nil},
		{key: "fay", email: "fay@example.net", first: "John", last: "Smith", role: "COMPLIANCE", state: "ACTIVE", level: 2, country: "ES", kyc: "PENDING", created: *at(4), lastSignIn: at(200)},
		{key: "gus", email: "gus@example.net", phone: "+34600900008", first: "John", last: "Smith", role: "MEMBER", state: "ACTIVE", level: 2, country: "ES", kyc: "REJECTED", labels: map[string]string{"vip": "true"}, created: *at(5), lastSignIn: at(200)},
		{key: "hal", email: "hal%50@example.com", name: "100% hal", role: "MEMBER", state: "PENDING", level: 0, country: "", kyc: "NONE", created: *at(6)},
		{key: "ivy", phone: "+447700900010", role: "PARTNER", state: "ACTIVE", level: 1, country: "GB", kyc: "NONE", created: *at(7), lastSignIn: at(7)},
		{key: "jon", email: "jon@example.com", phone: "+447700900011", first: "Jonathan", last: "Smyth", role: "MEMBER", state: "ACTIVE", level: 3, country: "GB", kyc: "APPROVED", labels: map[string]string{"tier": "bronze"}, created: *at(8), lastSignIn: at(300)},
		{key: "kim", email: "kim@example.com", name: "Kim", role: "MEMBER", state: "ACTIVE", level: 2, country: "IT", kyc: "PENDING", created: *at(9), lastSignIn: at(5)},
		{key: "lou", email: "lou@example.com", name: "  Lou  ", role: "SUPERADMIN", state: "ACTIVE", level: 0, country: "IT", kyc: "NONE", created: *at(10), lastSignIn: at(400)},
		{key: "nil1", phone: "+447700900020", role: "MEMBER", state: "ACTIVE", level: 3, country: "PL", kyc: "APPROVED", created: *at(11), lastSignIn: at(11)},
		{key: "nil2", phone: "+447700900021", role: "MEMBER", state: "ACTIVE", level: 1, country: "PL", kyc: "NONE", created: *at(12)},
		{key: "max", email: "ann.lee2@example.com", first: "Ann", last: "Lee", role: "MEMBER", state: "ACTIVE", level: 2, country: "GB", kyc: "APPROVED", created: *at(10), lastSignIn: at(100)},
	}
	for i := range us {
		us[i].id = uuid.New()
	}
	return us
}

// dirCase is a filter and the users it must return.
type dirCase struct {
	name   string
	filter admin.UserFilter
	want   func(dirUser) bool
}

func ip(n int) *int   { return &n }
func bp(b bool) *bool { return &b }
func keys(ks ...string) func(dirUser) bool {
	return func(u dirUser) bool { return slices.Contains(ks, u.key) }
}

func dirCases(us []dirUser) []dirCase {
	byKey := map[string]dirUser{}
	for _, u := range us {
		byKey[u.key] = u
	}
	carl := byKey["carl"].id
	return []dirCase{
		{"none", admin.UserFilter{}, func(dirUser) bool { return true }},
		{"id", admin.UserFilter{ID: &carl}, keys("carl")},
		{"id unknown", admin.UserFilter{ID: ptrUUID(uuid.New())}, keys()},
		{"email prefix", admin.UserFilter{EmailPrefix: "ann.lee"}, keys("ann", "max")},
		{"email exact", admin.UserFilter{EmailPrefix: "ann.lee@example.com"}, keys("ann")},
		{"email underscore is literal", admin.UserFilter{EmailPrefix: "bob_"}, keys("bob")},
		{"email percent is literal", admin.UserFilter{EmailPrefix: "hal%"}, keys("hal")},
		{"email no match", admin.UserFilter{EmailPrefix: "zed"}, keys()},
		{"phone prefix", admin.UserFilter{PhonePrefix: "+44"}, keys("ann", "bob", "ivy", "jon", "nil1", "nil2")},
		{"phone exact", admin.UserFilter{PhonePrefix: "+491700900004"}, keys("carl")},
		{"name substring", admin.UserFilter{Name: "smith"}, keys("bob", "carl", "fay", "gus")},
		{"name case-insensitive", admin.UserFilter{Name: "SMITH"}, keys("bob", "carl", "fay", "gus")},
		// Trigram similarity: one typo in a first and last name matches.
		{"name typo", admin.UserFilter{Name: "jonh smith"}, keys("fay", "gus")},
		{"name typo and role", admin.UserFilter{Name: "jonh smith", Role: "COMPLIANCE"}, keys("fay")},
		{"name typo in last name", admin.UserFilter{Name: "john smiht"}, keys("fay", "gus")},
		{"name display", admin.UserFilter{Name: "explorer"}, keys("dora")},
		{"name percent is literal", admin.UserFilter{Name: "100%"}, keys("hal")},
		{"name two letters", admin.UserFilter{Name: "th"}, keys("bob", "carl", "fay", "gus", "jon", "dora")},
		{"name short is a substring only", admin.UserFilter{Name: "smyt"}, keys("jon")},
		{"name trimmed display", admin.UserFilter{Name: "lou"}, keys("lou")},
		{"role", admin.UserFilter{Role: "MEMBER"}, func(u dirUser) bool { return u.role == "MEMBER" }},
		{"role rare", admin.UserFilter{Role: "SUPPORT"}, keys("bob")},
		{"state", admin.UserFilter{State: "ACTIVE"}, func(u dirUser) bool { return u.state == "ACTIVE" }},
		{"state banned", admin.UserFilter{State: "BANNED"}, keys("dora")},
		{"level min", admin.UserFilter{LevelMin: ip(2)}, func(u dirUser) bool { return u.level >= 2 }},
		{"level max", admin.UserFilter{LevelMax: ip(0)}, func(u dirUser) bool { return u.level <= 0 }},
		{"level range", admin.UserFilter{LevelMin: ip(1), LevelMax: ip(2)}, func(u dirUser) bool { return u.level == 1 || u.level == 2 }},
		{"country", admin.UserFilter{Country: "GB"}, func(u dirUser) bool { return u.country == "GB" }},
		{"kyc status", admin.UserFilter{KYCStatus: "APPROVED"}, keys("bob", "carl", "jon", "max", "nil1")},
		{"label key", admin.UserFilter{LabelKey: "vip"}, keys("ann", "carl", "gus")},
		{"label key value", admin.UserFilter{LabelKey: "vip", LabelValue: "true"}, keys("ann", "gus")},
		{"label tier gold", admin.UserFilter{LabelKey: "tier", LabelValue: "gold"}, keys("ann", "eve")},
		{"created from", admin.UserFilter{CreatedFrom: at(5)}, func(u dirUser) bool { return !u.created.Before(*at(5)) }},
		{"created to", admin.UserFilter{CreatedTo: at(3)}, func(u dirUser) bool { return u.created.Before(*at(3)) }},
		{"created window", admin.UserFilter{CreatedFrom: at(1), CreatedTo: at(4)}, keys("bob", "bobx", "carl", "dora", "eve")},
		{"documents pending", admin.UserFilter{DocumentsPending: bp(true)}, keys("ann", "fay", "kim")},
		{"documents not pending", admin.UserFilter{DocumentsPending: bp(false)}, func(u dirUser) bool { return u.kyc != "PENDING" }},
		{"role and country", admin.UserFilter{Role: "MEMBER", Country: "GB"}, keys("ann", "jon", "max")},
		{"name and state", admin.UserFilter{Name: "smith", State: "ACTIVE", LevelMin: ip(3)}, keys("bob", "carl")},
		{"label and level", admin.UserFilter{LabelKey: "tier", LevelMax: ip(2), DocumentsPending: bp(false)}, keys("eve")},
		{"email and kyc", admin.UserFilter{EmailPrefix: "ann", KYCStatus: "PENDING"}, keys("ann")},
	}
}

func ptrUUID(u uuid.UUID) *uuid.UUID { return &u }

var dirOrders = []admin.UserOrder{
	{Field: admin.OrderCreatedAt}, {Field: admin.OrderCreatedAt, Desc: true},
	{Field: admin.OrderLastSignIn}, {Field: admin.OrderLastSignIn, Desc: true},
	{Field: admin.OrderName}, {Field: admin.OrderName, Desc: true},
}

// dirLess orders users as the search must: by the order's key, then id;
// in name order, users without a name come last whatever the direction.
func dirLess(o admin.UserOrder) func(a, b dirUser) int {
	return func(a, b dirUser) int {
		if o.Field == admin.OrderName && (a.searchName() == "") != (b.searchName() == "") {
			if a.searchName() == "" {
				return 1
			}
			return -1
		}
		var c int
		switch o.Field {
		case admin.OrderCreatedAt:
			c = a.created.Compare(b.created)
		case admin.OrderLastSignIn:
			c = a.signInKey().Compare(b.signInKey())
		case admin.OrderName:
			c = strings.Compare(a.searchName(), b.searchName())
		}
		if c == 0 {
			c = strings.Compare(a.id.String(), b.id.String())
		}
		if o.Desc {
			c = -c
		}
		return c
	}
}

// pageAll follows the cursors with pages of size first and returns the
// ids in the order served; between reads the callback may insert rows.
func pageAll(t *testing.T, d *postgres.UserDirectory, f admin.UserFilter, o admin.UserOrder, first int, between func(page int)) []uuid.UUID {
	t.Helper()
	var ids []uuid.UUID
	after := ""
	for page := 0; ; page++ {
		if page > 100 {
			t.Fatal("pagination does not end")
		}
		hits, err := d.Search(context.Background(), admin.UserSearch{Filter: f, Order: o, After: after, Limit: first})
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		for _, h := range hits {
			ids = append(ids, h.User.ID)
			if h.Cursor == "" {
				t.Fatal("hit without cursor")
			}
		}
		if len(hits) < first {
			return ids
		}
		after = hits[len(hits)-1].Cursor
		if between != nil {
			between(page)
		}
	}
}

func names(us []dirUser, ids []uuid.UUID) []string {
	byID := map[uuid.UUID]string{}
	for _, u := range us {
		byID[u.id] = u.key
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = byID[id]
		if out[i] == "" {
			out[i] = id.String()
		}
	}
	return out
}

func TestUserSearchEveryFilterAndOrder(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	us := dirFixture()
	for _, u := range us {
		insertDirUser(t, db, u)
	}
	d := postgres.NewUserDirectory(db)
	ctx := context.Background()
	for _, c := range dirCases(us) {
		var want []dirUser
		for _, u := range us {
			if c.want(u) {
				want = append(want, u)
			}
		}
		for _, o := range dirOrders {
			sorted := slices.Clone(want)
			slices.SortFunc(sorted, dirLess(o))
			var wantIDs []uuid.UUID
			for _, u := range sorted {
				wantIDs = append(wantIDs, u.id)
			}
			got := pageAll(t, d, c.filter, o, 3, nil)
			if !slices.Equal(got, wantIDs) {
				t.Errorf("%s, %s desc=%v:\n got %v\nwant %v", c.name, o.Field, o.Desc, names(us, got), names(us, wantIDs))
			}
		}
		n, exact, err := d.Count(ctx, c.filter, 100)
		if err != nil || n != len(want) || !exact {
			t.Errorf("%s: count = %d, %v, %v; want %d exact", c.name, n, exact, err, len(want))
		}
	}
	// Count stops at its limit.
	if n, exact, err := d.Count(ctx, admin.UserFilter{}, 5); err != nil || n != 5 || exact {
		t.Errorf("count limited = %d, %v, %v; want 5, not exact", n, exact, err)
	}
	if n, exact, err := d.Count(ctx, admin.UserFilter{}, len(us)); err != nil || n != len(us) || !exact {
		t.Errorf("count at the limit = %d, %v, %v; want %d, exact", n, exact, err, len(us))
	}
	// Hits are full users.
	hits, err := d.Search(ctx, admin.UserSearch{Filter: admin.UserFilter{ID: &us[0].id}, Limit: 10})
	if err != nil || len(hits) != 1 {
		t.Fatalf("search by id: %v, %v", hits, err)
	}
	if u := hits[0].User; u.Email != "ann.lee@example.com" || u.Phone != "+447700900001" || u.Role != "MEMBER" ||
		u.Level != 2 || u.CountryCode != "GB" || u.LastSignInAt == nil || !u.LastSignInAt.Equal(*at(100)) || !u.CreatedAt.Equal(t0) {
		t.Errorf("hit user = %+v", u)
	}
}

func TestUserSearchPaginationWhileInserting(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	us := dirFixture()
	for _, u := range us {
		insertDirUser(t, db, u)
	}
	d := postgres.NewUserDirectory(db)
	for oi, o := range dirOrders {
		all := slices.Clone(us)
		got := pageAll(t, d, admin.UserFilter{}, o, 3, func(page int) {
			// One user that sorts at the very start, one at the very end,
			// and one among the rows already served or still to come.
			for j, pos := range []int{-1000, 1000, page * 3} {
				u := dirUser{key: fmt.Sprintf("new%d.%d.%d", oi, page, j), id: uuid.New(), role: "MEMBER", state: "ACTIVE",
					country: "GB", kyc: "NONE", created: *at(pos), lastSignIn: at(pos),
					name: fmt.Sprintf("%c new", 'a'+byte(min(max(pos+3, 0), 25)))}
				switch {
				case pos == 1000:
					u.name = "zzz new"
				case j == 2 && page%2 == 1:
					u.name = "" // among the users without a name
				}
				insertDirUser(t, db, u)
				all = append(all, u)
			}
		})
		seen := map[uuid.UUID]bool{}
		for _, id := range got {
			if seen[id] {
				t.Fatalf("%s desc=%v: %v served twice", o.Field, o.Desc, id)
			}
			seen[id] = true
		}
		for _, u := range us {
			if !seen[u.id] {
				t.Errorf("%s desc=%v: %s skipped", o.Field, o.Desc, u.key)
			}
		}
		byID := map[uuid.UUID]dirUser{}
		for _, u := range all {
			byID[u.id] = u
		}
		less := dirLess(o)
		for i := 1; i < len(got); i++ {
			if less(byID[got[i-1]], byID[got[i]]) >= 0 {
				t.Errorf("%s desc=%v: out of order at %d: %v", o.Field, o.Desc, i, names(all, got))
				break
			}
		}
		// Clean up the inserted users so the next order starts from the fixture.
		var extra []uuid.UUID
		for _, u := range all[len(us):] {
			extra = append(extra, u.id)
		}
		if _, err := db.NewRaw(`DELETE FROM users WHERE id IN (?)`, bun.In(extra)).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
}

func TestUserSearchRefusesForeignCursors(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	us := dirFixture()
	for _, u := range us[:4] {
		insertDirUser(t, db, u)
	}
	d := postgres.NewUserDirectory(db)
	ctx := context.Background()
	hits, err := d.Search(ctx, admin.UserSearch{Order: admin.UserOrder{Field: admin.OrderCreatedAt}, Limit: 2})
	if err != nil || len(hits) != 2 {
		t.Fatal(hits, err)
	}
	b64 := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	for name, c := range map[string]struct {
		after string
		order string
	}{
		"other order":   {hits[1].Cursor, admin.OrderName},
		"garbage":       {"!!not base64!!", admin.OrderCreatedAt},
		"no id":         {b64("CREATED_AT:123"), admin.OrderCreatedAt},
		"bad id":        {b64("CREATED_AT:nope:123"), admin.OrderCreatedAt},
		"bad time":      {b64("CREATED_AT:" + uuid.NewString() + ":yesterday"), admin.OrderCreatedAt},
		"bad sign-in":   {b64("LAST_SIGN_IN:" + uuid.NewString() + ":+inf"), admin.OrderLastSignIn},
		"too long":      {strings.Repeat("A", 5000), admin.OrderName},
		"invalid utf-8": {b64("NAME:" + uuid.NewString() + ":\xff\xfe"), admin.OrderName},
	} {
		_, err := d.Search(ctx, admin.UserSearch{Order: admin.UserOrder{Field: c.order}, After: c.after, Limit: 2})
		var pe *ports.Error
		if !errors.As(err, &pe) || pe.Code != ports.CodeValidationFailed || pe.Fields["after"] == "" {
			t.Errorf("%s: want VALIDATION_FAILED on after, got %v", name, err)
		}
	}
	// A name cursor with quotes and separators round-trips.
	if _, err := d.Search(ctx, admin.UserSearch{Order: admin.UserOrder{Field: admin.OrderName},
		After: b64("NAME:" + uuid.NewString() + ":o'brien: x"), Limit: 2}); err != nil {
		t.Errorf("name cursor with a quote: %v", err)
	}
}

func TestLabelUsageCountsUsers(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	for _, u := range dirFixture() {
		insertDirUser(t, db, u)
	}
	got, err := postgres.NewUserDirectory(db).LabelUsage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []admin.LabelUsage{
		{Key: "tier", Value: "bronze", Scope: "PRIVATE", Users: 1},
		{Key: "tier", Value: "gold", Scope: "PRIVATE", Users: 2},
		{Key: "tier", Value: "silver", Scope: "PRIVATE", Users: 1},
		{Key: "vip", Value: "false", Scope: "PRIVATE", Users: 1},
		{Key: "vip", Value: "true", Scope: "PRIVATE", Users: 2},
	}
	if !slices.Equal(got, want) {
		t.Errorf("label usage = %+v\nwant %+v", got, want)
	}
}
