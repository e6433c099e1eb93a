package federation_test

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// Attacks on the sign-in's choice of account; each case names the hole it
// would find.

// TestLookalikeEmailsOpenNoAccount: an address the provider verified is
// matched to an account only as accounts hold theirs (ASCII, lower
// case). A Unicode look-alike that case folding turns into an account's
// address (the Kelvin sign folds to "k") is another mailbox: it is
// neither linked to that account nor made an account of its own.
func TestLookalikeEmailsOpenNoAccount(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	kate := identitytest.NewEmailUser(t, e.users, "kate@example.com", identity.StateActive)
	for _, email := range []string{"\u212Aate@example.com", "KATE@EXAMPLE.CO\u1E3E", "kat\u0435@example.com", "kate@example.com\x00"} {
		code, state := e.authorize(ctx, false, federation.Claims{Subject: "s-" + email, Email: email, EmailVerified: true})
		_, err := e.complete(code, state, true)
		refusal(t, err, ports.CodeForbidden, federation.ReasonEmailUnusable)
	}
	ids, _ := e.store.OfUser(ctx, kate.ID)
	require.Empty(t, ids, "a look-alike address was linked to kate's account")
	require.Empty(t, e.accts.signIns)

	// Upper case is the same address, though.
	code, state := e.authorize(ctx, false, federation.Claims{Subject: "kate-g", Email: " KATE@Example.com", EmailVerified: true})
	_, err := e.complete(code, state, false)
	require.NoError(t, err)
	require.Equal(t, []any{kate.ID}, []any{e.accts.signIns[0]})
}

// TestAnAddressThatChangedHandsLinksNothing: an account linked to one
// identity of a provider; another identity of the same provider now says
// it verified the account's address. The address changed hands at the
// provider (a work mailbox given to the next employee): it is not linked
// by email (its holder may sign in another way and link it).
func TestAnAddressThatChangedHandsLinksNothing(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ann := identitytest.NewEmailUser(t, e.users, "ann@example.com", identity.StateActive)
	code, state := e.authorize(ctx, false, federation.Claims{Subject: "g-ann", Email: "ann@example.com", EmailVerified: true})
	_, err := e.complete(code, state, false)
	require.NoError(t, err)

	code, state = e.authorize(ctx, false, federation.Claims{Subject: "g-next", Email: "ann@example.com", EmailVerified: true})
	_, err = e.complete(code, state, false)
	refusal(t, err, ports.CodeConflict, federation.ReasonAccountExists)
	ids, _ := e.store.OfUser(ctx, ann.ID)
	require.Len(t, ids, 1, "the new holder of the address was linked to ann's account")
	require.Len(t, e.accts.signIns, 1)
}

// missFirst is the identity store as a sign-in racing another sees it:
// its first Find misses an identity the other sign-in is linking.
type missFirst struct {
	*federationtest.Store
	missed atomic.Bool
}

func (m *missFirst) Find(ctx context.Context, provider, subject string) (federation.Identity, error) {
	if m.missed.CompareAndSwap(false, true) {
		return federation.Identity{}, ports.ErrNotFound
	}
	return m.Store.Find(ctx, provider, subject)
}

// TestParallelFirstSignInsOfOneIdentityBothSignIn: the same person's two
// first sign-ins at once (two tabs) both link by email; the second finds
// the identity linked, to the same account, by the first. It signs in
// rather than being told the identity opens another account.
func TestParallelFirstSignInsOfOneIdentityBothSignIn(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	ann := identitytest.NewEmailUser(t, e.users, "ann@example.com", identity.StateActive)
	claims := federation.Claims{Subject: "g-ann", Email: "ann@example.com", EmailVerified: true}
	code, state := e.authorize(ctx, false, claims)
	_, err := e.complete(code, state, false)
	require.NoError(t, err)

	racing := federation.NewSignIn(e.cfg, e.store, &missFirst{Store: e.store}, e.users, e.accts, e.relying,
		portsfake.NewTxRunner(), portsfake.NewRateLimiter(e.clock), e.acts, e.clock, slog.New(slog.DiscardHandler))
	s, err := racing.Start(ctx, "google", redirect, "device-1")
	require.NoError(t, err)
	res, err := racing.Complete(ctx, federation.Completion{Provider: "google", Code: e.relying.Approve(s.State, claims),
		State: s.State, Device: identity.FederatedDevice{Key: "device-1"}})
	require.NoError(t, err)
	require.Equal(t, ann.ID, res.Auth.User.ID)

	// Linked to another account meanwhile, it is refused all the same.
	bob := identitytest.NewEmailUser(t, e.users, "bob@example.com", identity.StateActive)
	racing = federation.NewSignIn(e.cfg, e.store, &missFirst{Store: e.store}, e.users, e.accts, e.relying,
		portsfake.NewTxRunner(), portsfake.NewRateLimiter(e.clock), e.acts, e.clock, slog.New(slog.DiscardHandler))
	s, err = racing.Start(ctx, "google", redirect, "device-1")
	require.NoError(t, err)
	_, err = racing.Complete(ctx, federation.Completion{Provider: "google", State: s.State,
		Code:   e.relying.Approve(s.State, federation.Claims{Subject: "g-ann", Email: bob.Email, EmailVerified: true}),
		Device: identity.FederatedDevice{Key: "device-1"}})
	refusal(t, err, ports.CodeConflict, federation.ReasonLinkedElsewhere)
}
