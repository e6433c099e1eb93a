package identity_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// race runs fn n times at once and counts the outcomes by error code ("" for
// success).
func race(n int, fn func() error) map[ports.ErrorCode]int {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = map[ports.ErrorCode]int{}
	)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := fn()
			code := ports.ErrorCode("")
			if err != nil {
				code = ports.ErrorCodeOf(err)
			}
			mu.Lock()
			out[code]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	return out
}

func TestOneTicketMakesOneUser(t *testing.T) {
	e := newEnv(t)
	v := e.verifiedTicket(phone)
	got := race(8, func() error {
		_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), completeInput(v.Ticket, goodPIN))
		return err
	})
	assert.Equal(t, map[ports.ErrorCode]int{"": 1, ports.CodeInvalidCode: 7}, got)
}

func TestConcurrentRefreshesOfOneTokenRevokeTheFamily(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	var (
		mu      sync.Mutex
		winners []string
	)
	got := race(8, func() error {
		next, err := e.svc.Sessions.RefreshSession(e.ctx(), auth.RefreshToken)
		if err == nil {
			mu.Lock()
			winners = append(winners, next.RefreshToken)
			mu.Unlock()
		}
		return err
	})
	assert.Equal(t, map[ports.ErrorCode]int{"": 1, ports.CodeUnauthenticated: 7}, got)
	require.Len(t, winners, 1)
	_, err := e.svc.Sessions.RefreshSession(e.ctx(), winners[0])
	errtest.Code(t, err, ports.CodeUnauthenticated, "the losers' reuse ended the family")
}

func TestPhoneRegisteredMeanwhileIsAConflict(t *testing.T) {
	e := newEnv(t)
	v := e.verifiedTicket(phone)
	e.addUser(phone, goodPIN)
	_, err := e.svc.Signup.CompletePhoneSignup(context.Background(), completeInput(v.Ticket, goodPIN))
	errtest.Code(t, err, ports.CodeConflict)
}

// together holds each caller until n have arrived (the first n checks are
// in flight at once), then a little longer so that the tries started
// beside them are counted meanwhile; later callers pass.
func together(n int) func() {
	var (
		mu      sync.Mutex
		arrived int
		all     = make(chan struct{})
	)
	return func() {
		mu.Lock()
		if arrived++; arrived == n {
			close(all)
		}
		mu.Unlock()
		select {
		case <-all:
		case <-time.After(5 * time.Second): // fewer than n came: let them go
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Eight right PINs at once on one trusted device all sign in (an app that
// signs in twice, the load tool's connections). Each try is counted before
// its check, so the fifth starts a lock while five are in flight; that
// lock is pending on them, a right one lifts it, and the three tries that
// met it wait for that instead of answering LOCKED.
func TestParallelRightPINsOnOneTrustedDeviceAllSignIn(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	e.hasher.Hold = together(5)
	got := race(8, func() error {
		res, err := e.signIn(phone, goodPIN, device)
		if err == nil && res.Status != identity.SignedIn {
			return fmt.Errorf("status %s", res.Status)
		}
		return err
	})
	assert.Equal(t, map[ports.ErrorCode]int{"": 8}, got)
	c, err := e.creds.GetPIN(context.Background(), auth.User.ID)
	require.NoError(t, err)
	assert.Zero(t, c.FailedAttempts, "the account's count")
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status, "the device is not locked after")
}

// Six wrong PINs at once on one trusted device: five are checked, the
// sixth waits for them and is refused LOCKED without a check, and so is
// the right PIN after (issue 15's bound holds with the waiting).
func TestParallelWrongPINsOnOneTrustedDeviceCheckFive(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	e.hasher.Hold = together(5)
	before := e.hasher.Verifies()
	got := race(6, func() error {
		_, err := e.signIn(phone, "9052", device)
		return err
	})
	assert.Equal(t, 5, e.hasher.Verifies()-before, "PINs checked")
	assert.Equal(t, 6, got[ports.CodeUnauthenticated]+got[ports.CodeLocked], "answers: %v", got)
	assert.GreaterOrEqual(t, got[ports.CodeLocked], 2, "the fifth and the sixth say LOCKED: %v", got)
	_, err := e.signIn(phone, goodPIN, device)
	errtest.Code(t, err, ports.CodeLocked)
	assert.Equal(t, 5, e.hasher.Verifies()-before, "a PIN checked under the lock")
}

// Many wrong PINs at once, with right ones among them, never get more than
// five checked before the lock (the right ones may lift it: they are the
// owner's).
func TestParallelWrongPINsFromStrangersCheckFive(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	e.hasher.Hold = together(5)
	before := e.hasher.Verifies()
	got := race(12, func() error {
		_, err := e.signIn(phone, "9052", "attacker-phone")
		return err
	})
	assert.Equal(t, map[ports.ErrorCode]int{ports.CodeUnauthenticated: 12}, got)
	assert.Equal(t, 5, e.hasher.Verifies()-before, "PINs checked")
	_, err := e.signIn(phone, goodPIN, "attacker-phone")
	errtest.Code(t, err, ports.CodeUnauthenticated, "strangers are locked out")
}
