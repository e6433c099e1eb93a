package postgres_test

import (
	"context"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
)

// The seed writes the search columns the triggers would have written,
// leaves the triggers on, and can run again on the same database.
func TestSeedIsConsistent(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	var progress []int
	if err := postgres.Seed(ctx, db, 300, func(n int) { progress = append(progress, n) }); err != nil {
		t.Fatal(err)
	}
	if len(progress) == 0 || progress[len(progress)-1] != 300 {
		t.Errorf("progress = %v", progress)
	}
	if err := postgres.Seed(ctx, db, 50, nil); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	count := func(q string) int {
		t.Helper()
		var n int
		if err := db.NewRaw(q).Scan(ctx, &n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM users`); n != 350 {
		t.Errorf("users = %d, want 350", n)
	}
	if n := count(`SELECT count(*) FROM users WHERE search_name <> user_search_name(id, name)`); n != 0 {
		t.Errorf("%d users with a search name the trigger would not write", n)
	}
	if n := count(`SELECT count(*) FROM (SELECT DISTINCT search_name FROM users WHERE search_name <> ''
		EXCEPT SELECT name FROM user_search_names) AS t`); n != 0 {
		t.Errorf("%d search names missing from user_search_names", n)
	}
	if n := count(`SELECT count(*) FROM user_search_names`); n < 100 {
		t.Errorf("user_search_names has %d names: the seed is not varied", n)
	}
	if n := count(`SELECT count(*) FROM users u WHERE kyc_status <> coalesce((SELECT k.status FROM kyc_submissions k
		WHERE k.user_id = u.id ORDER BY k.submitted_at DESC, k.id DESC LIMIT 1), 'NONE')`); n != 0 {
		t.Errorf("%d users with a kyc_status the trigger would not write", n)
	}
	if n := count(`SELECT count(*) FROM pg_trigger WHERE tgname IN ('users_search_name', 'kyc_profiles_search_name',
		'kyc_submissions_status') AND tgenabled = 'O'`); n != 3 {
		t.Errorf("%d of 3 search triggers enabled after the seed", n)
	}
	for _, q := range []string{
		`SELECT count(DISTINCT kyc_status) FROM users`,
		`SELECT count(DISTINCT state) FROM users`,
		`SELECT count(DISTINCT level) FROM users`,
	} {
		if n := count(q); n < 4 {
			t.Errorf("%s = %d: the seed is not varied", q, n)
		}
	}
	for _, q := range []string{
		`SELECT count(*) FROM kyc_profiles`, `SELECT count(*) FROM pin_credentials`, `SELECT count(*) FROM labels`, `SELECT count(*) FROM kyc_files`,
		`SELECT count(*) FROM kyc_documents WHERE replaced_at IS NOT NULL`, `SELECT count(*) FROM users WHERE last_sign_in_at IS NULL`,
		`SELECT count(*) FROM users WHERE role <> 'MEMBER'`,
	} {
		if count(q) == 0 {
			t.Errorf("%s = 0", q)
		}
	}
	// Levels agree with the labels the level rules read.
	if n := count(`SELECT count(*) FROM users u WHERE u.level >= 3 AND NOT EXISTS
		(SELECT 1 FROM labels l WHERE l.user_id = u.id AND l.key = 'document' AND l.value = 'verified')`); n != 0 {
		t.Errorf("%d level-3 users without the document label", n)
	}
}
