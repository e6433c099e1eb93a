package identity_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
