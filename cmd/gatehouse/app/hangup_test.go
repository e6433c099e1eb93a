package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// hangupStore holds each counted PIN try until the test has made its
// client hang up, so the check and its record run after the client went
// away.
type hangupStore struct {
	identity.PINs
	on      atomic.Bool
	arrived chan struct{}
	proceed chan struct{}
}

func (s *hangupStore) ReservePINAttempt(ctx context.Context, userID, deviceID uuid.UUID, at time.Time,
	maxAttempts int, lockFor, maxLock time.Duration) (identity.PINAttempt, error) {
	a, err := s.PINs.ReservePINAttempt(ctx, userID, deviceID, at, maxAttempts, lockFor, maxLock)
	if s.on.Load() {
		s.arrived <- struct{}{}
		<-s.proceed
	}
	return a, err
}

// Every wrong PIN that was counted is in the security log, even when the
// client hangs up in the middle of the request.
func TestWrongPinsOfClientsThatHangUpAreAllLogged(t *testing.T) {
	t.Parallel()
	hs := &hangupStore{arrived: make(chan struct{}, 1), proceed: make(chan struct{})}
	h := newHarnessWith(t, []fx.Option{fx.Decorate(func(in identity.PINs) identity.PINs {
		hs.PINs = in
		return hs
	})}, func(c *app.Config) { c.SignInsPerMinute = 1000 })
	const phone, pin = "+447911123583", "4831"
	a := h.signUp(phone, pin, "device-A")
	hs.on.Store(true)

	const tries = 40
	for i := range tries {
		ctx, cancel := context.WithCancel(context.Background())
		body, _ := json.Marshal(map[string]any{"query": mSignIn, "variables": vars("phone", phone, "pin", "9052", "device", "attacker")})
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		done := make(chan error, 1)
		go func() {
			res, err := h.srv.Client().Do(req)
			if err == nil {
				res.Body.Close()
			}
			done <- err
		}()
		select {
		case <-hs.arrived:
		case err := <-done:
			t.Fatalf("try %d answered before its PIN was checked: %v", i+1, err)
		}
		cancel() // the client hangs up once its try is counted
		<-done
		// Let the server see the closed connection before the check goes on.
		time.Sleep(20 * time.Millisecond)
		hs.proceed <- struct{}{}
	}
	hs.on.Store(false)

	// The log is written after the answer would have been sent: wait for it
	// (bounded), then count.
	var logged int
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := h.db.NewRaw(`SELECT count(*) FROM activities WHERE user_id = ? AND action = 'sign_in.pin' AND result = ?`,
			a.User.ID, string(ports.ActivityFailed)).Scan(t.Context(), &logged); err != nil {
			t.Fatal(err)
		}
		if logged >= tries || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	must(t, logged == tries, "%d of %d wrong PINs of clients that hung up are in the security log", logged, tries)
}
