package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/admin"
)

// A list keeps the kind of name match of its first page: a user whose name
// comes to contain the typed text between pages does not turn a similarity
// list into a substring list (which would drop the rest of its users).
func TestUserSearchNameListKeepsItsMatch(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	us := dirFixture()
	for _, u := range us {
		insertDirUser(t, db, u)
	}
	d := postgres.NewUserDirectory(db)
	for _, o := range dirOrders {
		inserted := false
		got := pageAll(t, d, admin.UserFilter{Name: "jonh smith"}, o, 1, func(page int) {
			if page > 0 {
				return
			}
			// Contains "jonh smith", but far from similar to it.
			insertDirUser(t, db, dirUser{key: "late", id: uuid.New(), name: "a jonh smithsonian-wellington",
				role: "MEMBER", state: "ACTIVE", country: "GB", kyc: "NONE", created: *at(20), lastSignIn: at(20)})
			inserted = true
		})
		if !inserted {
			t.Fatalf("%s desc=%v: no second page", o.Field, o.Desc)
		}
		if g := names(us, got); !slices.Equal(slices.Sorted(slices.Values(g)), []string{"fay", "gus"}) {
			t.Errorf("%s desc=%v: similarity list = %v, want fay and gus", o.Field, o.Desc, g)
		}
		if _, err := db.ExecContext(context.Background(), `DELETE FROM users WHERE search_name = 'a jonh smithsonian-wellington'`); err != nil {
			t.Fatal(err)
		}
	}
}

// The similarity fallback finds names through the distinct names
// (user_search_names), which the triggers keep: a typo'd full name finds
// its users, a renamed profile (or display name) is findable by its new
// name at once, and a name nobody has any more leaves the list.
func TestUserSearchSimilarNameThroughDistinctNames(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	us := dirFixture()
	for _, u := range us {
		insertDirUser(t, db, u)
	}
	d := postgres.NewUserDirectory(db)
	byKey := map[string]dirUser{}
	for _, u := range us {
		byKey[u.key] = u
	}
	search := func(name string) []string {
		t.Helper()
		var out []string
		for _, o := range dirOrders {
			got := names(us, pageAll(t, d, admin.UserFilter{Name: name}, o, 1, nil))
			slices.Sort(got)
			if o == dirOrders[0] {
				out = got
			} else if !slices.Equal(got, out) {
				t.Errorf("%q by %s desc=%v = %v, by %s = %v", name, o.Field, o.Desc, got, dirOrders[0].Field, out)
			}
			n, exact, err := d.Count(ctx, admin.UserFilter{Name: name}, 100)
			if err != nil || !exact || n != len(got) {
				t.Errorf("count %q = %d, %v, %v; want %d", name, n, exact, err, len(got))
			}
		}
		return out
	}
	distinct := func() int {
		t.Helper()
		var n int
		if err := db.NewRaw(`SELECT count(*) FROM user_search_names`).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// Every user's name is listed once; "john smith" and "ann lee" are
	// two users' names each, and the nameless users add nothing.
	var missing int
	if err := db.NewRaw(`SELECT count(*) FROM users u WHERE u.search_name <> ''
		AND NOT EXISTS (SELECT 1 FROM user_search_names n WHERE n.name = u.search_name)`).Scan(ctx, &missing); err != nil {
		t.Fatal(err)
	}
	if missing != 0 {
		t.Errorf("%d users' names are not in user_search_names", missing)
	}
	if n := distinct(); n != 11 {
		t.Errorf("user_search_names has %d names, want 11", n)
	}
	if g := search("carl smitehrs"); !slices.Equal(g, []string{"carl"}) {
		t.Errorf("typo'd full name = %v, want carl", g)
	}
	// Without its name in the table, the typo finds nobody: the search
	// reads the table, not users' names.
	if _, err := db.ExecContext(ctx, `DELETE FROM user_search_names WHERE name = 'carl smithers'`); err != nil {
		t.Fatal(err)
	}
	if g := search("carl smitehrs"); len(g) != 0 {
		t.Errorf("typo'd full name without its listed name = %v, want none", g)
	}

	// A renamed profile: the new name is found by substring and by a
	// typo; the old one finds nobody.
	if _, err := db.ExecContext(ctx, `UPDATE kyc_profiles SET first_name = 'Bartholomew', last_name = 'Quackenbush'
		WHERE user_id = ?`, byKey["carl"].id); err != nil {
		t.Fatal(err)
	}
	if g := search("quackenbush"); !slices.Equal(g, []string{"carl"}) {
		t.Errorf("renamed profile by substring = %v, want carl", g)
	}
	if g := search("bartholomew quackenbsuh"); !slices.Equal(g, []string{"carl"}) {
		t.Errorf("renamed profile by a typo = %v, want carl", g)
	}
	if _, err := db.ExecContext(ctx, `UPDATE kyc_profiles SET first_name = 'Jonathan', last_name = 'Smith'
		WHERE user_id = ?`, byKey["carl"].id); err != nil {
		t.Fatal(err)
	}
	if g := search("bartholomew quackenbsuh"); len(g) != 0 {
		t.Errorf("old name by a typo after a second rename = %v, want none", g)
	}
	// A display name (no profile) renamed through the users row.
	if _, err := db.ExecContext(ctx, `UPDATE users SET name = 'Wilhelmina Featherstonehaugh' WHERE id = ?`,
		byKey["kim"].id); err != nil {
		t.Fatal(err)
	}
	if g := search("wilhelmina featherstonhaugh"); !slices.Equal(g, []string{"kim"}) {
		t.Errorf("renamed display name by a typo = %v, want kim", g)
	}
	// Names nobody has any more are gone from the list, the new ones are in.
	listed := func(name string) bool {
		t.Helper()
		var ok bool
		if err := db.NewRaw(`SELECT EXISTS (SELECT 1 FROM user_search_names WHERE name = ?)`, name).Scan(ctx, &ok); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for name, want := range map[string]bool{"bartholomew quackenbush": false, "kim": false,
		"jonathan smith": true, "wilhelmina featherstonehaugh": true} {
		if got := listed(name); got != want {
			t.Errorf("%q listed = %v, want %v", name, got, want)
		}
	}
	// A deleted user takes a name nobody else has with them.
	if _, err := db.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, byKey["kim"].id); err != nil {
		t.Fatal(err)
	}
	if listed("wilhelmina featherstonehaugh") {
		t.Error("a deleted user's name is still listed")
	}
}

// A substring that few users match is looked up among the distinct names,
// then the users of each name are read in the list's order (pageByNames):
// every order and page size gives the users whose name contains the text,
// in the order of the users' own columns, with other filters applied to
// the users; and the search reads user_search_names, not users' names.
func TestUserSearchNameSubstringThroughDistinctNames(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	us := dirFixture()
	for _, u := range us {
		insertDirUser(t, db, u)
	}
	d := postgres.NewUserDirectory(db)
	keyOf := map[string]string{
		admin.OrderCreatedAt:  `created_at`,
		admin.OrderLastSignIn: `coalesce(last_sign_in_at, '-infinity'::timestamptz)`,
		admin.OrderName:       `search_name`,
	}
	check := func(f admin.UserFilter, extra string) {
		t.Helper()
		for _, o := range dirOrders {
			dir := " ASC"
			if o.Desc {
				dir = " DESC"
			}
			var want []uuid.UUID
			if err := db.NewRaw(`SELECT id FROM users WHERE search_name ILIKE ? `+extra+` ORDER BY `+keyOf[o.Field]+dir+`, id`+dir,
				"%"+f.Name+"%").Scan(ctx, &want); err != nil {
				t.Fatal(err)
			}
			for _, size := range []int{1, 2, 50} {
				if got := pageAll(t, d, f, o, size, nil); !slices.Equal(got, want) {
					t.Errorf("%+v by %s desc=%v, pages of %d = %v, want %v", f, o.Field, o.Desc, size,
						names(us, got), names(us, want))
				}
			}
		}
	}
	check(admin.UserFilter{Name: "smith"}, "")
	check(admin.UserFilter{Name: "SMITH", Role: "MEMBER"}, "AND role = 'MEMBER'")
	check(admin.UserFilter{Name: "lee"}, "")
	// "john smith" (fay and gus) no longer listed: found by nobody.
	if _, err := db.ExecContext(ctx, `DELETE FROM user_search_names WHERE name = 'john smith'`); err != nil {
		t.Fatal(err)
	}
	for _, o := range dirOrders {
		got := names(us, pageAll(t, d, admin.UserFilter{Name: "smith"}, o, 2, nil))
		slices.Sort(got)
		if !slices.Equal(got, []string{"bob", "carl"}) {
			t.Errorf("smith by %s desc=%v without the listed name = %v, want bob and carl", o.Field, o.Desc, got)
		}
	}
}

// A name stays listed while a user still has it, however two
// transactions interleave: one gives a new user a listed name (and has not
// committed) while the other deletes the last user who had it. Without
// the name lock, the delete's check misses the uncommitted user and
// removes the name, and the new user is then found by no name search.
func TestUserSearchNamesKeepANameTakenConcurrently(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	old := dirUser{key: "old", id: uuid.New(), name: "Quentin Zabriskie", role: "MEMBER", state: "ACTIVE",
		country: "GB", kyc: "NONE", created: *at(1)}
	insertDirUser(t, db, old)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	newID := uuid.New()
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (id, name, referral_code, created_at, updated_at)
		VALUES (?, 'Quentin Zabriskie', ?, now(), now())`, newID, "R"+newID.String()[:8]); err != nil {
		t.Fatal(err)
	}
	deleted := make(chan error, 1)
	go func() {
		_, err := db.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, old.id)
		deleted <- err
	}()
	// The delete waits for the insert's transaction (it could not finish
	// without the lock); either way it is given a second to try.
	select {
	case err := <-deleted:
		deleted <- err
	case <-time.After(time.Second):
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	hits, err := postgres.NewUserDirectory(db).Search(ctx, admin.UserSearch{Filter: admin.UserFilter{Name: "zabriskie"}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].User.ID != newID {
		t.Errorf("search after the concurrent insert and delete = %d hits, want the new user", len(hits))
	}
}
