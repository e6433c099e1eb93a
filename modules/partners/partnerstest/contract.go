package partnerstest

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// Stores are the store under test and the users its apps' creators are,
// of the same database, fresh and empty for each call of the factory.
type Stores struct {
	Users identity.Users
	Apps  partners.Apps
}

// T0 is the suite's reference instant.
var T0 = portstest.T0

// RunStore runs the contract suite of partners.Apps against
// implementations from newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("CreateGetList", func(t *testing.T) { t.Parallel(); createGetList(t, newStores(t)) })
	t.Run("RotateDisable", func(t *testing.T) { t.Parallel(); rotateDisable(t, newStores(t)) })
}

func newApp(creator uuid.UUID, name string, at time.Time) partners.App {
	return partners.App{ID: uuid.New(), Name: name, Scopes: []string{partners.ScopeAccountsWrite, partners.ScopeUsersRead},
		State: partners.Active, SecretHash: partners.HashSecret("s-" + name), CreatedBy: creator, CreatedAt: at}
}

func createGetList(t *testing.T, s Stores) {
	ctx := context.Background()
	staff := identitytest.NewUser(t, s.Users, "+447911000001")
	a := newApp(staff.ID, "Back office", T0)
	noErr(t, s.Apps.Create(ctx, a, 3))
	got, err := s.Apps.Get(ctx, a.ID)
	noErr(t, err)
	check(t, got.ID == a.ID && got.Name == a.Name && slices.Equal(got.Scopes, a.Scopes) && got.State == partners.Active &&
		bytes.Equal(got.SecretHash, a.SecretHash) && got.PreviousSecretHash == nil && got.PreviousSecretExpiresAt == nil &&
		got.CreatedBy == staff.ID && got.CreatedAt.Equal(T0) && got.SecretRotatedAt == nil && got.DisabledAt == nil,
		"app: %+v", got)
	_, err = s.Apps.Get(ctx, uuid.New())
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "unknown app: %v", err)
	check(t, ports.ErrorCodeOf(s.Apps.Create(ctx, a, 3)) == ports.CodeConflict, "a taken id was stored again")

	b, c := newApp(staff.ID, "B", T0.Add(time.Second)), newApp(staff.ID, "C", T0.Add(time.Second))
	noErr(t, s.Apps.Create(ctx, b, 3))
	noErr(t, s.Apps.Create(ctx, c, 3))
	err = s.Apps.Create(ctx, newApp(staff.ID, "D", T0.Add(2*time.Second)), 3)
	check(t, ports.ErrorCodeOf(err) == ports.CodeConflict, "a fourth app beyond a limit of 3: %v", err)

	// Oldest first; apps of one instant by id.
	want := []uuid.UUID{a.ID, b.ID, c.ID}
	if bytes.Compare(c.ID[:], b.ID[:]) < 0 {
		want = []uuid.UUID{a.ID, c.ID, b.ID}
	}
	all, err := s.Apps.List(ctx, nil, 10)
	noErr(t, err)
	check(t, slices.Equal(ids(all), want), "list: %v, want %v", ids(all), want)
	page, err := s.Apps.List(ctx, nil, 2)
	noErr(t, err)
	check(t, slices.Equal(ids(page), want[:2]), "first page: %v", ids(page))
	last := page[1]
	rest, err := s.Apps.List(ctx, &partners.Cursor{CreatedAt: last.CreatedAt, ID: last.ID}, 2)
	noErr(t, err)
	check(t, slices.Equal(ids(rest), want[2:]), "after %v: %v", last.ID, ids(rest))
}

func rotateDisable(t *testing.T, s Stores) {
	ctx := context.Background()
	staff := identitytest.NewUser(t, s.Users, "+447911000002")
	a := newApp(staff.ID, "Rotated", T0)
	noErr(t, s.Apps.Create(ctx, a, 10))
	h1, h2 := partners.HashSecret("second"), partners.HashSecret("third")
	r, err := s.Apps.RotateSecret(ctx, a.ID, a.SecretHash, h1, T0.Add(time.Hour), T0.Add(time.Minute))
	noErr(t, err)
	check(t, bytes.Equal(r.SecretHash, h1) && bytes.Equal(r.PreviousSecretHash, a.SecretHash) &&
		r.PreviousSecretExpiresAt != nil && r.PreviousSecretExpiresAt.Equal(T0.Add(time.Hour)) &&
		r.SecretRotatedAt != nil && r.SecretRotatedAt.Equal(T0.Add(time.Minute)), "rotated: %+v", r)
	// A rotation that read the secret before another one replaced it
	// (two staff members at once) loses, and changes nothing: the grace
	// the winner gave the old secret stands.
	_, err = s.Apps.RotateSecret(ctx, a.ID, a.SecretHash, h2, T0.Add(2*time.Hour), T0.Add(2*time.Minute))
	check(t, ports.ErrorCodeOf(err) == ports.CodeConflict && reasonOf(err) == partners.ReasonSecretRotated,
		"a stale rotation: %v", err)
	got, err := s.Apps.Get(ctx, a.ID)
	noErr(t, err)
	check(t, bytes.Equal(got.SecretHash, h1) && bytes.Equal(got.PreviousSecretHash, a.SecretHash) &&
		got.PreviousSecretExpiresAt.Equal(T0.Add(time.Hour)), "a stale rotation changed the app: %+v", got)
	// A second rotation keeps only the secret it replaces.
	r, err = s.Apps.RotateSecret(ctx, a.ID, h1, h2, T0.Add(2*time.Hour), T0.Add(2*time.Minute))
	noErr(t, err)
	got, err = s.Apps.Get(ctx, a.ID)
	noErr(t, err)
	check(t, bytes.Equal(got.SecretHash, h2) && bytes.Equal(got.PreviousSecretHash, h1) &&
		got.PreviousSecretExpiresAt.Equal(T0.Add(2*time.Hour)), "rotated twice: %+v", got)
	_, err = s.Apps.RotateSecret(ctx, uuid.New(), h1, h2, T0, T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "rotate unknown: %v", err)

	d, err := s.Apps.Disable(ctx, a.ID, T0.Add(time.Hour))
	noErr(t, err)
	check(t, d.State == partners.Disabled && d.DisabledAt != nil && d.DisabledAt.Equal(T0.Add(time.Hour)), "disabled: %+v", d)
	again, err := s.Apps.Disable(ctx, a.ID, T0.Add(2*time.Hour))
	noErr(t, err)
	check(t, again.State == partners.Disabled && again.DisabledAt.Equal(T0.Add(time.Hour)), "disabled again: %+v", again)
	_, err = s.Apps.RotateSecret(ctx, a.ID, h2, h1, T0, T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeConflict, "rotated a disabled app: %v", err)
	_, err = s.Apps.Disable(ctx, uuid.New(), T0)
	check(t, ports.ErrorCodeOf(err) == ports.CodeNotFound, "disable unknown: %v", err)
}

func ids(apps []partners.App) []uuid.UUID {
	out := make([]uuid.UUID, len(apps))
	for i, a := range apps {
		out[i] = a.ID
	}
	return out
}

func check(t *testing.T, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func reasonOf(err error) string {
	var pe *ports.Error
	if errors.As(err, &pe) {
		return pe.Reason
	}
	return ""
}
