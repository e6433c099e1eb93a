package portstest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// ActivityStores is an ActivityLog and a way to add users to the same
// store (activities refer to users), fresh and empty for each call of the
// factory.
type ActivityStores struct {
	// NewUser stores a user with phone and returns its id.
	NewUser    func(t *testing.T, phone string) uuid.UUID
	Activities ports.ActivityLog
}

// RunActivityLog runs the ActivityLog contract suite against
// implementations from newStores (portsfake.ActivityLog and the PostgreSQL
// adapter).
func RunActivityLog(t *testing.T, newStores func(t *testing.T) ActivityStores) {
	t.Run("RecordAndList", func(t *testing.T) { t.Parallel(); activityRecordAndList(t, newStores(t)) })
}

func activityRecordAndList(t *testing.T, s ActivityStores) {
	ctx := context.Background()
	u := s.NewUser(t, "+447911123479")
	other := s.NewUser(t, "+447911123480")
	record := func(userID *uuid.UUID, topic, action string, at time.Time) {
		t.Helper()
		noErr(t, s.Activities.Record(ctx, ports.Activity{UserID: userID, Topic: topic, Action: action,
			Result: ports.ActivitySucceeded, IP: "192.0.2.1", Details: map[string]string{"n": action}, CreatedAt: at}))
	}
	// Written out of time order; several share one instant, where the
	// order of writing (UUIDv7 ids) decides.
	record(&u, "SESSION", "a1", T0.Add(-time.Minute))
	record(&u, "PIN", "b1", T0)
	record(&u, "OTP", "b2", T0)
	record(&u, "SESSION", "b3", T0)
	record(&u, "PIN", "c1", T0.Add(time.Minute))
	record(&u, "SESSION", "b4", T0)
	record(&u, "PIN", "b5", T0)
	record(&other, "PIN", "x1", T0)
	record(nil, "PIN", "x2", T0)
	actions := func(rows []ports.Activity) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = r.Action
		}
		return out
	}

	all, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: u, Limit: 100})
	noErr(t, err)
	want := []string{"c1", "b5", "b4", "b3", "b2", "b1", "a1"}
	check(t, slices.Equal(actions(all), want), "newest first: %v, want %v", actions(all), want)
	r := all[0]
	check(t, r.ID != uuid.Nil && r.UserID != nil && *r.UserID == u && r.Topic == "PIN" && r.Result == ports.ActivitySucceeded &&
		r.IP == "192.0.2.1" && r.Details["n"] == "c1" && r.CreatedAt.Equal(T0.Add(time.Minute)), "row: %+v", r)

	// Pages of every size walk the same rows, without gaps or repeats.
	for size := 1; size <= 4; size++ {
		var walked []string
		q := ports.ActivityQuery{UserID: u, Limit: size}
		for pages := 0; ; pages++ {
			check(t, pages <= len(want), "paging with size %d does not end", size)
			page, err := s.Activities.List(ctx, q)
			noErr(t, err)
			check(t, len(page) <= size, "page of %d rows with limit %d", len(page), size)
			if len(page) == 0 {
				break
			}
			walked = append(walked, actions(page)...)
			last := page[len(page)-1]
			q.After = &ports.ActivityCursor{CreatedAt: last.CreatedAt, ID: last.ID}
		}
		check(t, slices.Equal(walked, want), "pages of %d: %v, want %v", size, walked, want)
	}

	pins, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: u, Topics: []string{"PIN", "OTP"}, Limit: 100})
	noErr(t, err)
	check(t, slices.Equal(actions(pins), []string{"c1", "b5", "b2", "b1"}), "topics: %v", actions(pins))
	after := pins[1] // b5
	page, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: u, Topics: []string{"PIN"}, Limit: 100,
		After: &ports.ActivityCursor{CreatedAt: after.CreatedAt, ID: after.ID}})
	noErr(t, err)
	check(t, slices.Equal(actions(page), []string{"b1"}), "topic after a cursor: %v", actions(page))
	// A cursor between rows (not a row itself) works too.
	page, err = s.Activities.List(ctx, ports.ActivityQuery{UserID: u, Limit: 100,
		After: &ports.ActivityCursor{CreatedAt: T0.Add(30 * time.Second), ID: uuid.Nil}})
	noErr(t, err)
	check(t, slices.Equal(actions(page), want[1:]), "cursor between instants: %v", actions(page))
	none, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: u, Topics: []string{"KYC"}, Limit: 100})
	noErr(t, err)
	check(t, len(none) == 0, "unknown topic: %v", actions(none))
	theirs, err := s.Activities.List(ctx, ports.ActivityQuery{UserID: other, Limit: 100})
	noErr(t, err)
	check(t, slices.Equal(actions(theirs), []string{"x1"}), "another user's: %v", actions(theirs))
}
