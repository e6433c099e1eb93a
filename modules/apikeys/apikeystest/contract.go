package apikeystest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// Stores are the stores under test and the users their keys belong to,
// of the same database, fresh and empty for each call of the factory.
type Stores struct {
	Users  identity.Users
	Keys   apikeys.Keys
	Nonces apikeys.Nonces
}

// T0 is the suite's reference instant.
var T0 = portstest.T0

// RunStore runs the contract suite of apikeys.Keys and apikeys.Nonces
// against implementations from newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Keys", func(t *testing.T) { t.Parallel(); keys(t, newStores(t)) })
	t.Run("KeyLimitUnderRace", func(t *testing.T) { t.Parallel(); keyLimitUnderRace(t, newStores(t)) })
	t.Run("Nonces", func(t *testing.T) { t.Parallel(); nonces(t, newStores(t)) })
	t.Run("NonceRace", func(t *testing.T) { t.Parallel(); nonceRace(t, newStores(t)) })
}

func newUser(t *testing.T, users identity.Users, n int) identity.User {
	t.Helper()
	return identitytest.NewUser(t, users, fmt.Sprintf("+4479120%05d", n))
}

func newKey(userID uuid.UUID, at time.Time) apikeys.Key {
	return apikeys.Key{ID: uuid.New(), UserID: userID, SealedSecret: []byte("sealed"), Scopes: []string{"read"},
		State: apikeys.Active, CreatedAt: at, UpdatedAt: at}
}

func keys(t *testing.T, s Stores) {
	ctx := context.Background()
	u, other := newUser(t, s.Users, 1), newUser(t, s.Users, 2)
	k1, k2 := newKey(u.ID, T0), newKey(u.ID, T0.Add(time.Second))
	k2.Scopes = []string{"read", "write"}
	noErr(t, s.Keys.Create(ctx, k2, 10))
	noErr(t, s.Keys.Create(ctx, k1, 10))
	got, err := s.Keys.Get(ctx, k1.ID)
	noErr(t, err)
	check(t, got.ID == k1.ID && got.UserID == u.ID && string(got.SealedSecret) == "sealed" &&
		slices.Equal(got.Scopes, []string{"read"}) && got.State == apikeys.Active && got.CreatedAt.Equal(T0) &&
		got.UpdatedAt.Equal(T0), "key: %+v", got)
	_, err = s.Keys.Get(ctx, uuid.New())
	check(t, errors.Is(err, ports.ErrNotFound), "unknown key: %v", err)

	list, err := s.Keys.OfUser(ctx, u.ID)
	noErr(t, err)
	check(t, len(list) == 2 && list[0].ID == k1.ID && list[1].ID == k2.ID, "oldest first: %+v", list)
	list, err = s.Keys.OfUser(ctx, other.ID)
	noErr(t, err)
	check(t, len(list) == 0, "another user's keys: %+v", list)

	err = s.Keys.Create(ctx, newKey(u.ID, T0), 2)
	check(t, ports.ErrorCodeOf(err) == ports.CodeConflict && reasonOf(err) == apikeys.ReasonKeyLimitReached,
		"a third key with a limit of 2: %v", err)
	noErr(t, s.Keys.Create(ctx, newKey(other.ID, T0), 2))

	k1.State, k1.Scopes, k1.UpdatedAt = apikeys.Disabled, []string{"write"}, T0.Add(time.Minute)
	updated, err := s.Keys.Update(ctx, k1)
	noErr(t, err)
	got, err = s.Keys.Get(ctx, k1.ID)
	noErr(t, err)
	check(t, got.State == apikeys.Disabled && slices.Equal(got.Scopes, []string{"write"}) &&
		got.UpdatedAt.Equal(T0.Add(time.Minute)) && string(got.SealedSecret) == "sealed", "updated: %+v", got)
	check(t, updated.State == got.State && slices.Equal(updated.Scopes, got.Scopes) && updated.UpdatedAt.Equal(got.UpdatedAt),
		"Update returned %+v, the store holds %+v", updated, got)
	// Only what is asked is written: a state alone keeps the scopes, and
	// scopes alone keep the state.
	updated, err = s.Keys.Update(ctx, apikeys.Key{ID: k1.ID, UserID: u.ID, State: apikeys.Active, UpdatedAt: T0.Add(2 * time.Minute)})
	noErr(t, err)
	check(t, updated.State == apikeys.Active && slices.Equal(updated.Scopes, []string{"write"}), "state alone: %+v", updated)
	updated, err = s.Keys.Update(ctx, apikeys.Key{ID: k1.ID, UserID: u.ID, Scopes: []string{"read"}, UpdatedAt: T0.Add(3 * time.Minute)})
	noErr(t, err)
	check(t, updated.State == apikeys.Active && slices.Equal(updated.Scopes, []string{"read"}) &&
		updated.UpdatedAt.Equal(T0.Add(3*time.Minute)), "scopes alone: %+v", updated)
	stolen := k2
	stolen.UserID, stolen.State = other.ID, apikeys.Disabled
	_, err = s.Keys.Update(ctx, stolen)
	check(t, errors.Is(err, ports.ErrNotFound), "another user updated a key")

	check(t, errors.Is(s.Keys.Delete(ctx, other.ID, k2.ID), ports.ErrNotFound), "another user deleted a key")
	_, err = s.Nonces.Spend(ctx, k2.ID, 1, T0.Add(time.Minute), T0)
	noErr(t, err)
	noErr(t, s.Keys.Delete(ctx, u.ID, k2.ID))
	_, err = s.Keys.Get(ctx, k2.ID)
	check(t, errors.Is(err, ports.ErrNotFound), "deleted key still read: %v", err)
	check(t, errors.Is(s.Keys.Delete(ctx, u.ID, k2.ID), ports.ErrNotFound), "deleted twice")
	// A request read the key just before its owner deleted it: spending
	// its nonce finds no key, which is ErrNotFound, not a failure.
	_, err = s.Nonces.Spend(ctx, k2.ID, 2, T0.Add(time.Minute), T0)
	check(t, errors.Is(err, ports.ErrNotFound), "spent a nonce of a deleted key: %v", err)
}

// keyLimitUnderRace: parallel creations cannot pass the limit together.
func keyLimitUnderRace(t *testing.T, s Stores) {
	u := newUser(t, s.Users, 3)
	var ok atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.Keys.Create(context.Background(), newKey(u.ID, T0), 3); err == nil {
				ok.Add(1)
			} else if ports.ErrorCodeOf(err) != ports.CodeConflict {
				t.Errorf("create: %v", err)
			}
		}()
	}
	wg.Wait()
	check(t, ok.Load() == 3, "%d keys created under a limit of 3", ok.Load())
}

func nonces(t *testing.T, s Stores) {
	ctx := context.Background()
	u := newUser(t, s.Users, 4)
	k, other := newKey(u.ID, T0), newKey(u.ID, T0)
	noErr(t, s.Keys.Create(ctx, k, 10))
	noErr(t, s.Keys.Create(ctx, other, 10))
	exp := T0.Add(30 * time.Second)
	fresh, err := s.Nonces.Spend(ctx, k.ID, 1000, exp, T0)
	noErr(t, err)
	check(t, fresh, "a new nonce was not fresh")
	fresh, err = s.Nonces.Spend(ctx, k.ID, 1000, exp, T0)
	noErr(t, err)
	check(t, !fresh, "a nonce was accepted twice")
	fresh, err = s.Nonces.Spend(ctx, other.ID, 1000, exp, T0)
	noErr(t, err)
	check(t, fresh, "a nonce is per key")
	// Once expired, it is forgotten by the key's next spend (a stale
	// nonce is refused by its instant before it gets here).
	fresh, err = s.Nonces.Spend(ctx, k.ID, 2000, exp.Add(time.Minute), exp.Add(time.Second))
	noErr(t, err)
	check(t, fresh, "a second nonce")
	fresh, err = s.Nonces.Spend(ctx, k.ID, 1000, exp.Add(time.Minute), exp.Add(time.Second))
	noErr(t, err)
	check(t, fresh, "an expired nonce was still remembered")
}

// nonceRace: of parallel spends of one nonce, exactly one is fresh.
func nonceRace(t *testing.T, s Stores) {
	u := newUser(t, s.Users, 5)
	k := newKey(u.ID, T0)
	noErr(t, s.Keys.Create(context.Background(), k, 10))
	var fresh atomic.Int32
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.Nonces.Spend(context.Background(), k.ID, 42, T0.Add(time.Minute), T0)
			if err != nil {
				t.Errorf("spend: %v", err)
			}
			if ok {
				fresh.Add(1)
			}
		}()
	}
	wg.Wait()
	check(t, fresh.Load() == 1, "%d parallel spends of one nonce were fresh", fresh.Load())
}

func reasonOf(err error) string {
	var e *ports.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf(format, args...)
	}
}
