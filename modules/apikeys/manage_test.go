package apikeys_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/apikeys"
	"github.com/gatehouse/gatehouse/modules/apikeys/apikeystest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

func TestCreatingAKeyNeedsTheAuthenticatorApp(t *testing.T) {
	e := newEnv(t)
	stranger := uuid.New() // never turned the app on
	_, err := e.keys.Create(e.as(stranger), []string{"read"}, goodCode)
	errtest.Code(t, err, ports.CodeForbidden)
	require.Equal(t, apikeys.ReasonTOTPRequired, reason(t, err))

	_, err = e.keys.Create(e.as(e.user), []string{"read"}, "654321")
	errtest.Code(t, err, ports.CodeInvalidCode)
	_, err = e.keys.Create(e.as(e.user), []string{"read"}, "12345x")
	require.Contains(t, errtest.Fields(t, err), "totpCode")
	keys, err := e.keys.Mine(e.as(e.user))
	require.NoError(t, err)
	require.Empty(t, keys, "a refused creation left a key")
}

// TestAStepUpStandsInForOneCode: without a code a change takes the
// session's step-up (verifyTotp) and spends it, so one verified code
// still buys one change; without a step-up the code is asked for.
func TestAStepUpStandsInForOneCode(t *testing.T) {
	e := newEnv(t)
	_, err := e.keys.Create(e.as(e.user), []string{"read"}, "")
	require.Contains(t, errtest.Fields(t, err), "totpCode")
	e.tfa.StepUp(e.user)
	c, err := e.keys.Create(e.as(e.user), []string{"read"}, "")
	require.NoError(t, err)
	off := apikeys.Disabled
	_, err = e.keys.Update(e.as(e.user), apikeys.Update{KeyID: c.Key.ID, State: &off})
	require.Contains(t, errtest.Fields(t, err), "totpCode", "a step-up served twice")
}

func TestScopesAreValidated(t *testing.T) {
	e := newEnv(t)
	for _, scopes := range [][]string{nil, {}, {"admin"}, {"read", "read"}, {"read", "write", "read"}} {
		_, err := e.keys.Create(e.as(e.user), scopes, goodCode)
		require.Contains(t, errtest.Fields(t, err), "scopes", "%v", scopes)
	}
	c := e.create("write", "read")
	require.Equal(t, []string{"read", "write"}, c.Key.Scopes)
}

func TestTheSecretIsShownOnceAndKeptSealed(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	require.Len(t, c.Secret, 64)
	k, err := e.store.Get(context.Background(), c.Key.ID)
	require.NoError(t, err)
	require.NotContains(t, string(k.SealedSecret), c.Secret, "the secret is stored in the clear")
	keys, err := e.keys.Mine(e.as(e.user))
	require.NoError(t, err)
	require.Len(t, keys, 1)
	for _, a := range e.acts.Activities() {
		require.NotContains(t, fmt.Sprint(a), c.Secret, "an activity row holds the secret")
	}
}

func TestAUserHoldsAtMostTheConfiguredNumberOfKeys(t *testing.T) {
	e := newEnv(t)
	for range e.cfg.MaxKeysPerUser {
		e.create("read")
	}
	spent := e.tfa.Accepted(e.user)
	_, err := e.keys.Create(e.as(e.user), []string{"read"}, goodCode)
	errtest.Code(t, err, ports.CodeConflict)
	require.Equal(t, apikeys.ReasonKeyLimitReached, reason(t, err))
	// Refused before the code is checked: the user's code is not spent
	// on a key that cannot be made.
	require.Equal(t, spent, e.tfa.Accepted(e.user), "the refused key spent an authenticator code")
}

func TestOnlyTheOwnerChangesOrDeletesAKey(t *testing.T) {
	e := newEnv(t)
	c := e.create("read")
	other := uuid.New()
	e.tfa.TurnOn(other, goodCode)
	off := apikeys.Disabled
	_, err := e.keys.Update(e.as(other), apikeys.Update{KeyID: c.Key.ID, State: &off, TOTPCode: goodCode})
	errtest.Code(t, err, ports.CodeNotFound)
	errtest.Code(t, e.keys.Delete(e.as(other), c.Key.ID, goodCode), ports.CodeNotFound)

	k, err := e.keys.Update(e.as(e.user), apikeys.Update{KeyID: c.Key.ID, Scopes: []string{"write"}, TOTPCode: goodCode})
	require.NoError(t, err)
	require.Equal(t, []string{"write"}, k.Scopes)
	require.Equal(t, apikeys.Active, k.State)
	_, err = e.keys.Update(e.as(e.user), apikeys.Update{KeyID: c.Key.ID, TOTPCode: goodCode})
	require.Equal(t, apikeys.ReasonNoChangeRequested, reason(t, err))
	errtest.Code(t, e.keys.Delete(e.as(e.user), c.Key.ID, "000000"), ports.CodeInvalidCode)
	require.NoError(t, e.keys.Delete(e.as(e.user), c.Key.ID, goodCode))
	_, _, err = e.call(c, c.Secret, e.nonce(0))
	require.Equal(t, apikeys.ReasonKeyUnknown, reason(t, err), "a deleted key still signs")
}

func TestAKeyManagesNoKeys(t *testing.T) {
	e := newEnv(t)
	c := e.create("read", "write")
	bot := context.WithValue(context.Background(), callerKey{}, &ports.Caller{UserID: e.user, Role: ports.RoleMember,
		Program: &ports.Program{Kind: ports.ProgramAPIKey, ID: c.Key.ID.String(), Scopes: c.Key.Scopes}})
	_, err := e.keys.Create(bot, []string{"write"}, goodCode)
	errtest.Code(t, err, ports.CodeForbidden)
	require.True(t, strings.HasPrefix(reason(t, err), "PROGRAM"))
	errtest.Code(t, e.keys.Delete(bot, c.Key.ID, goodCode), ports.CodeForbidden)
	keys, err := e.keys.Mine(bot)
	require.NoError(t, err, "a key with read lists its owner's keys")
	require.Len(t, keys, 1)
}

// readTogether holds the first two reads of a key until both have been
// made (or a second has passed): two of the owner's sessions changing one
// key at once, both having read it before either writes.
type readTogether struct {
	*apikeystest.Store
	n   *atomic.Int32
	all chan struct{}
}

func (r readTogether) Get(ctx context.Context, id uuid.UUID) (apikeys.Key, error) {
	k, err := r.Store.Get(ctx, id)
	switch r.n.Add(1) {
	case 1:
		select {
		case <-r.all:
		case <-time.After(time.Second):
		}
	case 2:
		close(r.all)
	}
	return k, err
}

// TestParallelChangesOfAKeyBothHold: the owner disables a leaked key in
// one session while another changes its scopes; the change of scopes must
// not write the old state back (the key would be on again, unseen).
func TestParallelChangesOfAKeyBothHold(t *testing.T) {
	e := newEnv(t)
	c := e.create("read", "write")
	together := readTogether{Store: e.store, n: new(atomic.Int32), all: make(chan struct{})}
	m := apikeys.NewManage(e.cfg, together, e.tfa, portsfake.NewSecretBox(), callers{}, e.acts, e.clock,
		slog.New(slog.DiscardHandler))
	off := apikeys.Disabled
	var wg sync.WaitGroup
	for _, u := range []apikeys.Update{
		{KeyID: c.Key.ID, State: &off, TOTPCode: goodCode},
		{KeyID: c.Key.ID, Scopes: []string{"read"}, TOTPCode: goodCode},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := m.Update(e.as(e.user), u)
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	k, err := e.store.Get(context.Background(), c.Key.ID)
	require.NoError(t, err)
	require.Equal(t, apikeys.Disabled, k.State, "the change of scopes turned the key back on")
	require.Equal(t, []string{"read"}, k.Scopes, "the disabling put the old scopes back")
}
