package identitytest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// devicesByUsers: the devices of a page of users in one read are what
// ListDevices answers for each user, grouped by user.
func devicesByUsers(t *testing.T, s Stores) {
	ctx := context.Background()
	u := NewUser(t, s.Users, "+447911123490")
	other := NewUser(t, s.Users, "+447911123491")
	bare := NewUser(t, s.Users, "+447911123492")
	device := func(userID uuid.UUID, key string, seen time.Time) {
		t.Helper()
		_, err := s.Devices.UpsertDevice(ctx, identity.Device{UserID: userID, DeviceKey: key, Name: key,
			CreatedAt: T0, LastSeenAt: seen})
		noErr(t, err)
	}
	// Two share an instant, where the id decides.
	device(u.ID, "old", T0)
	device(u.ID, "tieA", T0.Add(time.Hour))
	device(u.ID, "tieB", T0.Add(time.Hour))
	device(u.ID, "new", T0.Add(2*time.Hour))
	device(other.ID, "only", T0)
	_, err := s.Devices.SetPush(ctx, other.ID, mustDevice(t, s, other.ID, "only").ID,
		identity.PushRegistration{Token: "tok", Platform: "FCM", UpdatedAt: T0})
	noErr(t, err)

	ids := func(ds []identity.Device) []uuid.UUID {
		out := make([]uuid.UUID, len(ds))
		for i, d := range ds {
			out[i] = d.ID
		}
		return out
	}
	var want []uuid.UUID
	for _, id := range []uuid.UUID{u.ID, other.ID, bare.ID} {
		one, err := s.Devices.ListDevices(ctx, id)
		noErr(t, err)
		want = append(want, ids(one)...)
	}
	got, err := s.Devices.DevicesByUsers(ctx, []uuid.UUID{u.ID, other.ID, bare.ID, other.ID, uuid.New()})
	noErr(t, err)
	// Grouped by user (in no particular order of users), each user's in
	// ListDevices's order.
	byUser := map[uuid.UUID][]identity.Device{}
	var order []uuid.UUID
	for _, d := range got {
		if n := len(order); n == 0 || order[n-1] != d.UserID {
			check(t, !slices.Contains(order, d.UserID), "devices of %v not grouped: %+v", d.UserID, got)
			order = append(order, d.UserID)
		}
		byUser[d.UserID] = append(byUser[d.UserID], d)
	}
	var flat []uuid.UUID
	for _, id := range []uuid.UUID{u.ID, other.ID, bare.ID} {
		flat = append(flat, ids(byUser[id])...)
	}
	check(t, slices.Equal(flat, want), "DevicesByUsers: %v, want %v", flat, want)
	check(t, len(byUser[u.ID]) == 4 && byUser[u.ID][0].Name == "new" && byUser[u.ID][3].Name == "old",
		"devices of the user: %+v", byUser[u.ID])
	o := byUser[other.ID]
	check(t, len(o) == 1 && o[0].Push != nil && o[0].Push.Token == "tok", "pushed device: %+v", o)

	none, err := s.Devices.DevicesByUsers(ctx, nil)
	noErr(t, err)
	check(t, len(none) == 0, "DevicesByUsers of nothing: %+v", none)
}

func mustDevice(t *testing.T, s Stores, userID uuid.UUID, key string) identity.Device {
	t.Helper()
	d, err := s.Devices.GetDevice(context.Background(), userID, key)
	noErr(t, err)
	return d
}
