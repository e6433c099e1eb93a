package admintest

import (
	"context"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

var _ admin.RecentActivities = RecentActivities{}

// RecentActivities reads the latest activity of users from an activity
// log (portsfake's, in tests), one List per user: what the adapter's one
// statement answers for them all.
type RecentActivities struct{ Log ports.ActivityLog }

// RecentByUsers lists each distinct user's newest limit activities,
// grouped by user.
func (r RecentActivities) RecentByUsers(ctx context.Context, userIDs []uuid.UUID, limit int) ([]ports.Activity, error) {
	var out []ports.Activity
	seen := map[uuid.UUID]bool{}
	for _, id := range userIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		rows, err := r.Log.List(ctx, ports.ActivityQuery{UserID: id, Limit: limit})
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}
