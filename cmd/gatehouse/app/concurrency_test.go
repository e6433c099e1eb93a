package app_test

import (
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// race runs f n times at once and returns the error codes ("" = success).
func race(n int, f func() string) []string {
	codes := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i] = f()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

func successes(codes []string) int {
	n := 0
	for _, c := range codes {
		if c == "" {
			n++
		}
	}
	return n
}

func TestConcurrentCompletionsWithOneTicketMakeOneUser(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911123470"
	ticket := h.ticketFor(phone)
	codes := race(20, func() string {
		return h.post("", mComplete, vars("ticket", ticket, "pin", "4831", "confirm", "4831", "terms", true, "device", "d")).code()
	})
	must(t, successes(codes) == 1, "successes: %d (%v)", successes(codes), codes)
	for _, c := range codes {
		must(t, c == "" || c == "INVALID_CODE", "unexpected code %q", c)
	}
	var users, sessions int
	if err := h.db.NewRaw("SELECT count(*) FROM users WHERE phone = ?", phone).Scan(t.Context(), &users); err != nil {
		t.Fatal(err)
	}
	if err := h.db.NewRaw("SELECT count(*) FROM sessions").Scan(t.Context(), &sessions); err != nil {
		t.Fatal(err)
	}
	must(t, users == 1 && sessions == 1, "users %d sessions %d", users, sessions)
}

func TestConcurrentRightCodesVerifyOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911123471"
	id := h.startSignup(phone)
	code := h.sms.lastCode(t, phone)
	codes := race(20, func() string {
		return h.post("", mVerify, vars("id", id, "code", code)).code()
	})
	must(t, successes(codes) == 1, "successes: %d (%v)", successes(codes), codes)
	var tickets int
	if err := h.db.NewRaw("SELECT count(*) FROM tickets").Scan(t.Context(), &tickets); err != nil {
		t.Fatal(err)
	}
	must(t, tickets == 1, "tickets issued: %d", tickets)
}

func TestConcurrentRefreshesYieldOnePair(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	a := h.signUp("+447911123472", "4831", "device-A")
	codes := race(20, func() string {
		return h.post("", mRefresh, vars("token", a.RefreshToken)).code()
	})
	must(t, successes(codes) == 1, "successes: %d (%v)", successes(codes), codes)
	var issued int
	if err := h.db.NewRaw("SELECT count(*) FROM refresh_tokens").Scan(t.Context(), &issued); err != nil {
		t.Fatal(err)
	}
	must(t, issued == 2, "refresh tokens stored: %d, want the original and one new", issued)
}

// A burst of guesses gets no more PIN checks than guesses one at a time.
func TestConcurrentWrongPinsCheckAtMostFive(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.SignInsPerMinute = 1000 })
	const phone = "+447911123473"
	h.signUp(phone, "4831", "device-A")
	codes := race(40, func() string {
		return h.post("", mSignIn, h.signInVars(phone, "9052", "device-A")).code()
	})
	checked := 0
	for _, c := range codes {
		must(t, c == "UNAUTHENTICATED" || c == "LOCKED", "unexpected code %q", c)
		if c == "UNAUTHENTICATED" {
			checked++
		}
	}
	// Four wrong answers, then the fifth starts the lockout (LOCKED).
	must(t, checked == 4, "PINs checked and refused: %d, want 4 (%v)", checked, codes)
	h.fails("", mSignIn, h.signInVars(phone, "4831", "device-A"), "LOCKED")
}
