package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/ports"
)

func TestAuditTrailRecordAndList(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	a := postgres.NewAuditTrail(db)
	admin1, admin2, target := uuid.New(), uuid.New(), uuid.New()

	// 10 rows, two per instant, alternating admins and actions.
	var all []ports.AdminActivity
	for i := range 10 {
		r := ports.AdminActivity{ID: uuid.Must(uuid.NewV7()), AdminID: admin1, Action: "setUserState",
			Reason: "fraud", Input: map[string]any{"userId": target.String(), "newPin": "1234"},
			Result: ports.ActivitySucceeded, IP: "203.0.113.7", UserAgent: "ua", CreatedAt: t0.Add(time.Duration(i/2) * time.Minute)}
		if i%2 == 1 {
			r.AdminID, r.Action, r.Result, r.Error = admin2, "user", ports.ActivityFailed, ports.CodeNotFound
		}
		if i%3 == 0 {
			r.TargetUserID = &target
		}
		if err := a.RecordAdmin(ctx, r); err != nil {
			t.Fatal(err)
		}
		all = append(all, r)
	}

	got, err := a.ListAdmin(ctx, ports.AdminActivityQuery{Limit: 100})
	if err != nil || len(got) != 10 {
		t.Fatalf("list: %d, %v", len(got), err)
	}
	for i := range got {
		if want := all[9-i]; got[i].ID != want.ID {
			t.Fatalf("row %d: %v, want %v (newest first)", i, got[i].ID, want.ID)
		}
	}
	first := got[9]
	if first.Reason != "fraud" || first.IP != "203.0.113.7" || first.UserAgent != "ua" ||
		first.Input["userId"] != target.String() || first.Input["newPin"] != "[redacted]" ||
		first.TargetUserID == nil || *first.TargetUserID != target || !first.CreatedAt.Equal(t0) {
		t.Fatalf("row read back: %+v", first)
	}
	if got[8].Result != ports.ActivityFailed || got[8].Error != ports.CodeNotFound {
		t.Fatalf("failed row: %+v", got[8])
	}

	// Pages of 3 walk every row once.
	var seen []uuid.UUID
	var after *ports.ActivityCursor
	for {
		page, err := a.ListAdmin(ctx, ports.AdminActivityQuery{After: after, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) == 0 {
			break
		}
		for _, r := range page {
			seen = append(seen, r.ID)
		}
		last := page[len(page)-1]
		after = &ports.ActivityCursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	if len(seen) != 10 {
		t.Fatalf("pagination saw %d rows", len(seen))
	}
	for i := range seen {
		if seen[i] != got[i].ID {
			t.Fatalf("pagination order differs at %d", i)
		}
	}

	count := func(q ports.AdminActivityQuery) int {
		t.Helper()
		q.Limit = 100
		rows, err := a.ListAdmin(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return len(rows)
	}
	from, to := t0.Add(time.Minute), t0.Add(3*time.Minute)
	for name, c := range map[string]struct {
		q    ports.AdminActivityQuery
		want int
	}{
		"admin":  {ports.AdminActivityQuery{AdminID: &admin2}, 5},
		"target": {ports.AdminActivityQuery{TargetUserID: &target}, 4},
		"action": {ports.AdminActivityQuery{Action: "setUserState"}, 5},
		"from":   {ports.AdminActivityQuery{From: &from}, 8},
		"to":     {ports.AdminActivityQuery{To: &to}, 6},
		"range":  {ports.AdminActivityQuery{From: &from, To: &to}, 4},
		"all":    {ports.AdminActivityQuery{AdminID: &admin1, Action: "setUserState", From: &from, To: &to}, 2},
		"none":   {ports.AdminActivityQuery{AdminID: &admin1, Action: "user"}, 0},
	} {
		if n := count(c.q); n != c.want {
			t.Errorf("%s: %d rows, want %d", name, n, c.want)
		}
	}
}

func TestAuditTrailJoinsTheTransaction(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	a := postgres.NewAuditTrail(db)
	_ = postgres.NewTxRunner(db).InTx(ctx, func(ctx context.Context) error {
		if err := a.RecordAdmin(ctx, ports.AdminActivity{AdminID: uuid.New(), Action: "setUserRole",
			Input: map[string]any{}, Result: ports.ActivitySucceeded, CreatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		return context.Canceled // roll back
	})
	rows, err := a.ListAdmin(ctx, ports.AdminActivityQuery{})
	if err != nil || len(rows) != 0 {
		t.Fatalf("rolled back row is there: %d, %v", len(rows), err)
	}
}

func TestSearchActivities(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	log, a := postgres.NewActivityLog(db), postgres.NewAuditTrail(db)
	u1, u2 := newUser(t, db, "+447911200001"), newUser(t, db, "+447911200002")
	for i := range 8 {
		uid := &u1.ID
		if i%2 == 1 {
			uid = &u2.ID
		}
		act := ports.Activity{UserID: uid, Topic: "SESSION", Action: "sign_in.pin", Result: ports.ActivitySucceeded,
			CreatedAt: t0.Add(time.Duration(i) * time.Minute)}
		if i%4 == 3 {
			act.Topic, act.Action, act.Result = "PIN", "pin.change", ports.ActivityFailed
		}
		if err := log.Record(ctx, act); err != nil {
			t.Fatal(err)
		}
	}
	find := func(q ports.ActivitySearch) []ports.Activity {
		t.Helper()
		rows, err := a.SearchActivities(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return rows
	}
	all := find(ports.ActivitySearch{})
	if len(all) != 8 || !all[0].CreatedAt.Equal(t0.Add(7*time.Minute)) || !all[7].CreatedAt.Equal(t0) {
		t.Fatalf("all, newest first: %d rows", len(all))
	}
	from, to := t0.Add(2*time.Minute), t0.Add(6*time.Minute)
	for name, c := range map[string]struct {
		q    ports.ActivitySearch
		want int
	}{
		"user":          {ports.ActivitySearch{UserID: &u2.ID}, 4},
		"topic":         {ports.ActivitySearch{Topics: []string{"PIN"}}, 2},
		"topics":        {ports.ActivitySearch{Topics: []string{"PIN", "SESSION"}}, 8},
		"no such topic": {ports.ActivitySearch{Topics: []string{"OTP"}}, 0},
		"action":        {ports.ActivitySearch{Action: "sign_in.pin"}, 6},
		"result":        {ports.ActivitySearch{Result: ports.ActivityFailed}, 2},
		"range":         {ports.ActivitySearch{From: &from, To: &to}, 4},
		"both":          {ports.ActivitySearch{UserID: &u2.ID, Topics: []string{"PIN"}}, 2},
		"limit":         {ports.ActivitySearch{Limit: 3}, 3},
		"after":         {ports.ActivitySearch{After: &ports.ActivityCursor{CreatedAt: all[2].CreatedAt, ID: all[2].ID}}, 5},
	} {
		if n := len(find(c.q)); n != c.want {
			t.Errorf("%s: %d rows, want %d", name, n, c.want)
		}
	}
}

func TestAuditTablesRefuseChanges(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	if err := postgres.NewAuditTrail(db).RecordAdmin(ctx, ports.AdminActivity{AdminID: uuid.New(), Action: "user",
		Input: map[string]any{}, Result: ports.ActivitySucceeded, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	if err := postgres.NewActivityLog(db).Record(ctx, ports.Activity{Topic: "SESSION", Action: "sign_in.pin",
		Result: ports.ActivitySucceeded, CreatedAt: t0}); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		"UPDATE admin_activities SET reason = 'x'",
		"DELETE FROM admin_activities",
		"TRUNCATE admin_activities",
		"UPDATE activities SET result = 'FAILED'",
		"DELETE FROM activities",
		"TRUNCATE activities",
	} {
		if _, err := db.ExecContext(ctx, stmt); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
	var n int
	if err := db.NewRaw("SELECT (SELECT count(*) FROM admin_activities WHERE reason = '') + (SELECT count(*) FROM activities WHERE result = 'SUCCEEDED')").Scan(ctx, &n); err != nil || n != 2 {
		t.Fatalf("rows after the refused changes: %d, %v", n, err)
	}
}
