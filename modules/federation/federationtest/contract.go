package federationtest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// Stores are the stores under test and the users their identities belong
// to, of the same database, fresh and empty for each call of the factory.
type Stores struct {
	Users      identity.Users
	Identities federation.Identities
	States     federation.States
}

// T0 is the suite's reference instant.
var T0 = portstest.T0

// RunStore runs the contract suite of federation.Identities and
// federation.States against implementations from newStores.
func RunStore(t *testing.T, newStores func(t *testing.T) Stores) {
	t.Run("Identities", func(t *testing.T) { t.Parallel(); identities(t, newStores(t)) })
	t.Run("OneIdentityOneAccount", func(t *testing.T) { t.Parallel(); oneAccount(t, newStores(t)) })
	t.Run("StatesAreTakenOnce", func(t *testing.T) { t.Parallel(); statesOnce(t, newStores(t)) })
	t.Run("StatesRace", func(t *testing.T) { t.Parallel(); statesRace(t, newStores(t)) })
	t.Run("ExpiredStatesAreForgotten", func(t *testing.T) { t.Parallel(); statesForgotten(t, newStores(t)) })
}

func newUser(t *testing.T, users identity.Users, n int) identity.User {
	t.Helper()
	return identitytest.NewUser(t, users, fmt.Sprintf("+4479121%05d", n))
}

func newIdentity(userID uuid.UUID, provider, subject string, at time.Time) federation.Identity {
	return federation.Identity{ID: uuid.New(), UserID: userID, Provider: provider, Subject: subject,
		Email: subject + "@example.com", EmailVerified: true, LinkedAt: at, LastUsedAt: at}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func identities(t *testing.T, s Stores) {
	ctx := context.Background()
	u, other := newUser(t, s.Users, 1), newUser(t, s.Users, 2)
	a := newIdentity(u.ID, "google", "sub-a", T0.Add(time.Second))
	b := newIdentity(u.ID, "acme", "sub-b", T0)
	noErr(t, s.Identities.Link(ctx, a))
	noErr(t, s.Identities.Link(ctx, b))
	// Another provider may use the same subject: it is another identity.
	noErr(t, s.Identities.Link(ctx, newIdentity(other.ID, "acme", "sub-a", T0)))
	got, err := s.Identities.Find(ctx, "google", "sub-a")
	noErr(t, err)
	if got.ID != a.ID || got.UserID != u.ID || got.Email != a.Email || !got.EmailVerified || !got.LinkedAt.Equal(a.LinkedAt) {
		t.Fatalf("found %+v, want %+v", got, a)
	}
	if _, err := s.Identities.Find(ctx, "google", "sub-b"); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("find of an unlinked subject: %v, want NOT_FOUND", err)
	}
	mine, err := s.Identities.OfUser(ctx, u.ID)
	noErr(t, err)
	if len(mine) != 2 || mine[0].ID != b.ID || mine[1].ID != a.ID {
		t.Fatalf("OfUser = %+v, want b then a (oldest link first)", mine)
	}
	both, err := s.Identities.OfUsers(ctx, []uuid.UUID{u.ID, other.ID, uuid.New()})
	noErr(t, err)
	if len(both) != 3 {
		t.Fatalf("OfUsers = %+v, want the 3 identities of both users", both)
	}
	noErr(t, s.Identities.Touch(ctx, a.ID, "new@example.com", false, T0.Add(time.Hour)))
	got, _ = s.Identities.Find(ctx, "google", "sub-a")
	if got.Email != "new@example.com" || got.EmailVerified || !got.LastUsedAt.Equal(T0.Add(time.Hour)) {
		t.Fatalf("after Touch: %+v", got)
	}
	if err := s.Identities.Unlink(ctx, other.ID, a.ID); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("unlink of another user's identity: %v, want NOT_FOUND", err)
	}
	noErr(t, s.Identities.Unlink(ctx, u.ID, a.ID))
	if _, err := s.Identities.Find(ctx, "google", "sub-a"); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("find after unlink: %v", err)
	}
	if err := s.Identities.Unlink(ctx, u.ID, a.ID); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("second unlink: %v, want NOT_FOUND", err)
	}
}

func oneAccount(t *testing.T, s Stores) {
	ctx := context.Background()
	u, other := newUser(t, s.Users, 1), newUser(t, s.Users, 2)
	noErr(t, s.Identities.Link(ctx, newIdentity(u.ID, "google", "sub", T0)))
	err := s.Identities.Link(ctx, newIdentity(other.ID, "google", "sub", T0))
	var e *ports.Error
	if !errors.As(err, &e) || e.Code != ports.CodeConflict || e.Reason != federation.ReasonLinkedElsewhere {
		t.Fatalf("second link of one identity: %v, want CONFLICT %s", err, federation.ReasonLinkedElsewhere)
	}
}

func newState(provider string, at time.Time) (federation.State, []byte) {
	h := []byte(uuid.NewString() + uuid.NewString())[:32]
	return federation.State{Hash: h, Provider: provider, Purpose: federation.PurposeSignIn,
		DeviceKey: "device-" + uuid.NewString()[:8], RedirectURI: "https://app.example.com/cb", Nonce: "n-" + uuid.NewString(), Verifier: "v-" + uuid.NewString(),
		ExpiresAt: at.Add(10 * time.Minute), CreatedAt: at}, h
}

func statesOnce(t *testing.T, s Stores) {
	ctx := context.Background()
	st, h := newState("google", T0)
	st.Purpose, st.UserID = federation.PurposeLink, newUser(t, s.Users, 1).ID
	noErr(t, s.States.Create(ctx, st))
	got, err := s.States.Take(ctx, h)
	noErr(t, err)
	if got.Provider != st.Provider || got.Purpose != st.Purpose || got.UserID != st.UserID || got.Nonce != st.Nonce ||
		got.DeviceKey != st.DeviceKey ||
		got.Verifier != st.Verifier || got.RedirectURI != st.RedirectURI || !got.ExpiresAt.Equal(st.ExpiresAt) {
		t.Fatalf("took %+v, want %+v", got, st)
	}
	if _, err := s.States.Take(ctx, h); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("second take: %v, want NOT_FOUND", err)
	}
	if _, err := s.States.Take(ctx, []byte("unknown")); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("take of an unknown state: %v, want NOT_FOUND", err)
	}
}

func statesRace(t *testing.T, s Stores) {
	ctx := context.Background()
	st, h := newState("google", T0)
	noErr(t, s.States.Create(ctx, st))
	var won atomic.Int32
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := s.States.Take(ctx, h); err == nil {
				won.Add(1)
			} else if !errors.Is(err, ports.ErrNotFound) {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 {
		t.Fatalf("%d parallel takes got the state, want exactly 1", won.Load())
	}
}

func statesForgotten(t *testing.T, s Stores) {
	ctx := context.Background()
	old, oldHash := newState("google", T0)
	recent, recentHash := newState("google", T0.Add(time.Hour))
	noErr(t, s.States.Create(ctx, old))
	noErr(t, s.States.Create(ctx, recent))
	// Expired, but within the grace: still there, so a late completion
	// learns it expired.
	if _, err := s.States.Take(ctx, oldHash); err != nil {
		t.Fatalf("an expired state within the grace: %v", err)
	}
	noErr(t, s.States.Create(ctx, old))
	later, _ := newState("google", old.ExpiresAt.Add(federation.StateGrace+time.Second))
	noErr(t, s.States.Create(ctx, later))
	if _, err := s.States.Take(ctx, oldHash); !errors.Is(err, ports.ErrNotFound) {
		t.Fatalf("a state expired past the grace: %v, want forgotten", err)
	}
	if _, err := s.States.Take(ctx, recentHash); err != nil {
		t.Fatalf("a state still within the grace: %v", err)
	}
}
