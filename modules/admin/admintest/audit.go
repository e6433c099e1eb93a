package admintest

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// AuditStores is the audit trail, written through ports.AuditTrail and
// read through admin.AuditSearch, with the ActivityLog of the same store
// and a way to add users to it (SearchActivities reads the activity log;
// activities refer to users), fresh and empty for each call of the factory.
type AuditStores struct {
	// NewUser stores a user with phone and returns its id.
	NewUser    func(t *testing.T, phone string) uuid.UUID
	Activities ports.ActivityLog
	Audit      ports.AuditTrail
	Search     admin.AuditSearch
}

// RunAudit runs the audit trail contract suite against implementations
// from newStores (admintest.AuditTrail and the PostgreSQL adapter).
func RunAudit(t *testing.T, newStores func(t *testing.T) AuditStores) {
	t.Run("RecordAndList", func(t *testing.T) { t.Parallel(); auditRecordAndList(t, newStores(t)) })
	t.Run("SearchActivities", func(t *testing.T) { t.Parallel(); auditSearchActivities(t, newStores(t)) })
}

func auditRecordAndList(t *testing.T, s AuditStores) {
	ctx := context.Background()
	a := s.Audit
	admin1, admin2, target := uuid.New(), uuid.New(), uuid.New()

	// 10 rows, two per instant, alternating admins and actions.
	var all []ports.AdminActivity
	for i := range 10 {
		r := ports.AdminActivity{ID: uuid.Must(uuid.NewV7()), AdminID: admin1, Action: "setUserState",
			Reason: "fraud", Input: map[string]any{"userId": target.String(), "newPin": "1234"},
			Result: ports.ActivitySucceeded, IP: "203.0.113.7", UserAgent: "ua", CreatedAt: T0.Add(time.Duration(i/2) * time.Minute)}
		if i%2 == 1 {
			r.AdminID, r.Action, r.Result, r.Error = admin2, "user", ports.ActivityFailed, ports.CodeNotFound
		}
		if i%3 == 0 {
			r.TargetUserID = &target
		}
		noErr(t, a.RecordAdmin(ctx, r))
		all = append(all, r)
	}

	got, err := s.Search.ListAdmin(ctx, admin.AdminActivityQuery{Limit: 100})
	noErr(t, err)
	check(t, len(got) == 10, "list: %d rows, want 10", len(got))
	for i := range got {
		check(t, got[i].ID == all[9-i].ID, "row %d: %v, want %v (newest first)", i, got[i].ID, all[9-i].ID)
	}
	first := got[9]
	check(t, first.Reason == "fraud" && first.IP == "203.0.113.7" && first.UserAgent == "ua" &&
		first.Input["userId"] == target.String() && first.Input["newPin"] == "[redacted]" &&
		first.TargetUserID != nil && *first.TargetUserID == target && first.CreatedAt.Equal(T0) &&
		first.Result == ports.ActivitySucceeded, "row read back: %+v", first)
	check(t, got[8].Result == ports.ActivityFailed && got[8].Error == ports.CodeNotFound && got[8].TargetUserID == nil,
		"failed row: %+v", got[8])

	// Pages of 3 walk every row once, in the same order.
	var seen []uuid.UUID
	var after *ports.ActivityCursor
	for {
		page, err := s.Search.ListAdmin(ctx, admin.AdminActivityQuery{After: after, Limit: 3})
		noErr(t, err)
		if len(page) == 0 {
			break
		}
		check(t, len(page) <= 3, "page of %d rows, limit 3", len(page))
		for _, r := range page {
			seen = append(seen, r.ID)
		}
		last := page[len(page)-1]
		after = &ports.ActivityCursor{CreatedAt: last.CreatedAt, ID: last.ID}
	}
	check(t, len(seen) == 10, "pagination saw %d rows", len(seen))
	for i := range seen {
		check(t, seen[i] == got[i].ID, "pagination order differs at %d", i)
	}

	from, to := T0.Add(time.Minute), T0.Add(3*time.Minute)
	for name, c := range map[string]struct {
		q    admin.AdminActivityQuery
		want int
	}{
		"admin":  {admin.AdminActivityQuery{AdminID: &admin2}, 5},
		"target": {admin.AdminActivityQuery{TargetUserID: &target}, 4},
		"action": {admin.AdminActivityQuery{Action: "setUserState"}, 5},
		"from":   {admin.AdminActivityQuery{From: &from}, 8},
		"to":     {admin.AdminActivityQuery{To: &to}, 6},
		"range":  {admin.AdminActivityQuery{From: &from, To: &to}, 4},
		"all":    {admin.AdminActivityQuery{AdminID: &admin1, Action: "setUserState", From: &from, To: &to}, 2},
		"none":   {admin.AdminActivityQuery{AdminID: &admin1, Action: "user"}, 0},
		"limit":  {admin.AdminActivityQuery{Limit: 4}, 4},
	} {
		if c.q.Limit == 0 {
			c.q.Limit = 100
		}
		rows, err := s.Search.ListAdmin(ctx, c.q)
		noErr(t, err)
		if len(rows) != c.want {
			t.Errorf("%s: %d rows, want %d", name, len(rows), c.want)
		}
	}
}

func auditSearchActivities(t *testing.T, s AuditStores) {
	ctx := context.Background()
	id1, id2 := s.NewUser(t, "+447911200001"), s.NewUser(t, "+447911200002")
	for i := range 8 {
		uid := &id1
		if i%2 == 1 {
			uid = &id2
		}
		act := ports.Activity{UserID: uid, Topic: "SESSION", Action: "sign_in.pin", Result: ports.ActivitySucceeded,
			CreatedAt: T0.Add(time.Duration(i) * time.Minute)}
		if i%4 == 3 {
			act.Topic, act.Action, act.Result = "PIN", "pin.change", ports.ActivityFailed
		}
		noErr(t, s.Activities.Record(ctx, act))
	}
	find := func(q admin.ActivitySearch) []ports.Activity {
		t.Helper()
		rows, err := s.Search.SearchActivities(ctx, q)
		noErr(t, err)
		return rows
	}
	all := find(admin.ActivitySearch{})
	check(t, len(all) == 8 && all[0].CreatedAt.Equal(T0.Add(7*time.Minute)) && all[7].CreatedAt.Equal(T0),
		"all, newest first: %d rows", len(all))
	check(t, all[0].UserID != nil && *all[0].UserID == id2 && all[0].Topic == "PIN" && all[0].Action == "pin.change",
		"newest row read back: %+v", all[0])
	from, to := T0.Add(2*time.Minute), T0.Add(6*time.Minute)
	for name, c := range map[string]struct {
		q    admin.ActivitySearch
		want int
	}{
		"user":          {admin.ActivitySearch{UserID: &id2}, 4},
		"topic":         {admin.ActivitySearch{Topics: []string{"PIN"}}, 2},
		"topics":        {admin.ActivitySearch{Topics: []string{"PIN", "SESSION"}}, 8},
		"no such topic": {admin.ActivitySearch{Topics: []string{"OTP"}}, 0},
		"action":        {admin.ActivitySearch{Action: "sign_in.pin"}, 6},
		"result":        {admin.ActivitySearch{Result: ports.ActivityFailed}, 2},
		"range":         {admin.ActivitySearch{From: &from, To: &to}, 4},
		"both":          {admin.ActivitySearch{UserID: &id2, Topics: []string{"PIN"}}, 2},
		"limit":         {admin.ActivitySearch{Limit: 3}, 3},
		"after":         {admin.ActivitySearch{After: &ports.ActivityCursor{CreatedAt: all[2].CreatedAt, ID: all[2].ID}}, 5},
	} {
		if n := len(find(c.q)); n != c.want {
			t.Errorf("%s: %d rows, want %d", name, n, c.want)
		}
	}
}
