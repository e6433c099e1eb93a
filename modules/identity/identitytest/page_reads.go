package identitytest

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// The batched reads of a page of users answer what the single-user reads
// answer for each user in turn, grouped by user; a user listed twice is
// read once.

// DevicesByUsers is ListDevices for each user.
func (s *UserStore) DevicesByUsers(ctx context.Context, userIDs []uuid.UUID) ([]identity.Device, error) {
	return perUser(userIDs, func(id uuid.UUID) ([]identity.Device, error) { return s.ListDevices(ctx, id) })
}

// LiveSessionsByUsers is ListLive for each user.
func (s *SessionStore) LiveSessionsByUsers(ctx context.Context, userIDs []uuid.UUID, now time.Time) ([]identity.Session, error) {
	return perUser(userIDs, func(id uuid.UUID) ([]identity.Session, error) { return s.ListLive(ctx, id, now) })
}

// perUser reads each distinct user of userIDs with read and concatenates
// the rows.
func perUser[T any](userIDs []uuid.UUID, read func(uuid.UUID) ([]T, error)) ([]T, error) {
	var out []T
	seen := map[uuid.UUID]bool{}
	for _, id := range userIDs {
		if seen[id] {
			continue
		}
		seen[id] = true
		rows, err := read(id)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}
