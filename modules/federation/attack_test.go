package federation_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
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
