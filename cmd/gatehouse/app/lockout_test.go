package app_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// answerOf is what a client can tell from a refused answer: its code, its
// message and whether it says when to come back.
func answerOf(r gqlResponse) string {
	if len(r.Errors) == 0 {
		return "no error: " + string(r.Data)
	}
	_, retry := r.Errors[0].Extensions["retryAfterSeconds"]
	return r.code() + " | " + r.Errors[0].Message + " | retry=" + map[bool]string{true: "yes", false: "no"}[retry]
}

// Wrong passwords from devices that do not prove trust count apart from the
// owner's trusted device: a stranger who knows the address can lock
// strangers out, never the owner on the device they trusted.
func TestStrangerPasswordGuessesCannotLockTheOwnersDevice(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const email, pw = "ada@example.com", strongPassword
	a := h.emailUser(email, pw, "", "Ada", "laptop-1")
	unknown := answerOf(h.post("", mPwSignIn, pwVars("nobody@example.com", "wrong-Password-x", "attacker-pc", "")))

	// Twelve wrong guesses (well past the lockout) from a device with no
	// secret, then one that names the owner's device without its secret.
	for i := 0; i < 12; i++ {
		got := answerOf(h.post("", mPwSignIn, pwVars(email, "wrong-Password-"+string(rune('a'+i)), "attacker-pc", "")))
		must(t, got == unknown, "stranger's guess %d: %q, an unknown account answers %q", i+1, got, unknown)
	}
	got := answerOf(h.post("", mPwSignIn, pwVars(email, "wrong-Password-y", "laptop-1", "")))
	must(t, got == unknown, "guess naming the owner's device: %q, want %q", got, unknown)
	// Strangers are locked out: even the right password is refused, and the
	// lock answers like a wrong password.
	got = answerOf(h.post("", mPwSignIn, pwVars(email, pw, "attacker-pc", "")))
	must(t, got == unknown, "right password from a stranger under the lock: %q, want %q", got, unknown)

	// The owner's trusted device signs in at once.
	in := h.pwSignIn(email, pw, "laptop-1", a.secret())
	must(t, in.Status == "SIGNED_IN" && in.Auth != nil, "owner's trusted device after the stranger's guesses: %+v", in)
	// And its own wrong passwords lock only it, visibly (it proved trust).
	for i := 1; i <= 4; i++ {
		h.fails("", mPwSignIn, pwVars(email, "wrong-Password-"+string(rune('a'+i)), "laptop-1", a.secret()), "UNAUTHENTICATED")
	}
	h.fails("", mPwSignIn, pwVars(email, "wrong-Password-z", "laptop-1", a.secret()), "LOCKED")
}

// A stranger's wrong PINs lock strangers out without telling them: the
// locked number answers exactly like a number with no account.
func TestStrangerPinGuessesAnswerLikeAnUnknownNumber(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone, nobody, pin = "+447911123581", "+447911123582", "4831"
	h.signUp(phone, pin, "device-A")
	unknown := answerOf(h.post("", mSignIn, vars("phone", nobody, "pin", "9052", "device", "attacker")))
	must(t, len(unknown) > 0 && unknown[:15] == "UNAUTHENTICATED", "unknown number: %q", unknown)

	for i := 1; i <= 12; i++ {
		got := answerOf(h.post("", mSignIn, vars("phone", phone, "pin", "9052", "device", "attacker")))
		must(t, got == unknown, "stranger's wrong PIN %d: %q, an unknown number answers %q", i, got, unknown)
	}
	got := answerOf(h.post("", mSignIn, vars("phone", phone, "pin", pin, "device", "attacker")))
	must(t, got == unknown, "right PIN from a stranger under the lock: %q, want %q", got, unknown)

	// The owner's trusted phone is not locked.
	var d struct {
		SignInWithPin struct {
			Status string `json:"status"`
		}
	}
	h.ok("", mSignIn, h.signInVars(phone, pin, "device-A"), &d)
	must(t, d.SignInWithPin.Status == "SIGNED_IN", "owner after the stranger's guesses: %+v", d)
}

// Eight right PINs, and eight right passwords, at once on one trusted device
// all sign in, on PostgreSQL: each try is counted before its check, and the
// lock the fifth starts while the others are in flight is pending on them;
// a right one lifts it, and the tries that met it wait instead of
// answering LOCKED (the load tool found them refused). Six wrong ones at
// once still lock the device.
func TestParallelRightSecretsOnOneTrustedDeviceAllSignIn(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.SignInsPerMinute = 100000 })
	const phone, pin, email, pw = "+447911123583", "4831", "grace@example.com", strongPassword
	h.signUp(phone, pin, "device-A")
	a := h.emailUser(email, pw, "", "Grace", "laptop-1")
	parallel := func(n int, query string, v map[string]any) map[string]int {
		var (
			wg  sync.WaitGroup
			mu  sync.Mutex
			out = map[string]int{}
		)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := h.post("", query, v)
				got := "SIGNED_IN"
				if len(r.Errors) > 0 {
					got = r.code()
				} else if !strings.Contains(string(r.Data), "SIGNED_IN") {
					got = string(r.Data)
				}
				mu.Lock()
				out[got]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return out
	}
	for round := range 3 {
		got := parallel(8, mSignIn, h.signInVars(phone, pin, "device-A"))
		must(t, got["SIGNED_IN"] == 8, "round %d, 8 right PINs at once: %v", round, got)
		got = parallel(8, mPwSignIn, pwVars(email, pw, "laptop-1", a.secret()))
		must(t, got["SIGNED_IN"] == 8, "round %d, 8 right passwords at once: %v", round, got)
	}
	got := parallel(6, mSignIn, h.signInVars(phone, "9052", "device-A"))
	must(t, got["UNAUTHENTICATED"]+got["LOCKED"] == 6 && got["LOCKED"] >= 2, "6 wrong PINs at once: %v", got)
	h.fails("", mSignIn, h.signInVars(phone, pin, "device-A"), "LOCKED")
}
