package app_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"
)

var (
	// Literals are values, not shapes: strings, NULL, booleans (a decoy's
	// message is queued withheld) and numbers.
	sqlLiteral = regexp.MustCompile(`'(?:[^']|'')*'|\bNULL\b|\bTRUE\b|\bFALSE\b|\b\d+(?:\.\d+)?\b`)
	sqlSpace   = regexp.MustCompile(`\s+`)
)

// shapes are stmts with their values (strings, numbers, NULL) taken out:
// what a database observer sees run, whatever the account.
func shapes(stmts []string) []string {
	out := make([]string, len(stmts))
	for i, s := range stmts {
		out[i] = sqlSpace.ReplaceAllString(sqlLiteral.ReplaceAllString(s, "?"), " ")
	}
	return out
}

// A sign-in by PIN or password for an unknown account, with a wrong secret
// for a real one, and for a real one whose strangers' count is locked runs
// the same database statements, one for one: the answer is the same, and
// so is the work behind it.
func TestUnknownWrongAndLockedSignInsRunTheSameStatements(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)})
	const phone, nobodyPhone, pin = "+447911123591", "+447911123592", "4831"
	const email, nobodyEmail, pw = "ada@example.com", "nobody@example.com", strongPassword
	h.signUp(phone, pin, "device-A")
	h.emailUser(email, pw, "", "Ada", "laptop-1")

	for _, c := range []struct {
		what             string
		query            string
		unknown, account func(secret string) map[string]any
		wrong            string
	}{
		{"PIN", mSignIn,
			func(s string) map[string]any { return vars("phone", nobodyPhone, "pin", s, "device", "attacker") },
			func(s string) map[string]any { return vars("phone", phone, "pin", s, "device", "attacker") }, "9052"},
		{"password", mPwSignIn,
			func(s string) map[string]any { return pwVars(nobodyEmail, s, "attacker-pc", "") },
			func(s string) map[string]any { return pwVars(email, s, "attacker-pc", "") }, "wrong-Password-x"},
	} {
		run := func(v map[string]any) ([]string, string) {
			var got string
			stmts := log.during(func() { got = answerOf(h.post("", c.query, v)) })
			return shapes(stmts), got
		}
		unknown, answer := run(c.unknown(c.wrong))
		must(t, strings.HasPrefix(answer, "UNAUTHENTICATED"), "%s, unknown account: %q", c.what, answer)
		wrong, got := run(c.account(c.wrong))
		must(t, got == answer, "%s, wrong secret: %q, unknown account %q", c.what, got, answer)
		for range 5 { // past the strangers' lock
			h.post("", c.query, c.account(c.wrong))
		}
		locked, got := run(c.account(c.wrong))
		must(t, got == answer, "%s, locked: %q, unknown account %q", c.what, got, answer)

		must(t, len(unknown) == len(wrong) && len(wrong) == len(locked),
			"%s: %d statements for an unknown account, %d for a wrong secret, %d under the lock:\nunknown:\n%s\nwrong:\n%s\nlocked:\n%s",
			c.what, len(unknown), len(wrong), len(locked),
			strings.Join(unknown, "\n"), strings.Join(wrong, "\n"), strings.Join(locked, "\n"))
		for i := range unknown {
			must(t, unknown[i] == wrong[i] && wrong[i] == locked[i],
				"%s: statement %d differs:\nunknown: %s\nwrong:   %s\nlocked:  %s", c.what, i+1, unknown[i], wrong[i], locked[i])
		}
		t.Logf("%s: %d statements each", c.what, len(unknown))
	}
}

// Asking to reset the password of an existing account and of a missing
// one runs the same database statements, one for one, before and after
// the answer (the code's delivery or its decoy's record).
func TestPasswordResetRunsTheSameStatementsForAMissingAccount(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)})
	const email, nobody = "ada@example.com", "amy@example.com"
	h.emailUser(email, strongPassword, "", "Ada", "laptop-1")
	h.clock.Advance(time.Hour)

	run := func(addr string) []string {
		log.mu.Lock()
		from := len(log.stmts)
		log.mu.Unlock()
		r := h.post("", mRequestReset, vars("username", addr))
		must(t, len(r.Errors) == 0, "requestPasswordReset(%s): %+v", addr, r.Errors)
		// Until the delivery after the answer has written its record.
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			log.mu.Lock()
			stmts := append([]string(nil), log.stmts[from:]...)
			log.mu.Unlock()
			all := strings.Join(stmts, "\n")
			if strings.Contains(all, "'password.reset_requested'") &&
				(strings.Contains(all, "'otp.queued'") || strings.Contains(all, "'otp.withheld'")) {
				// The two records may come in either order.
				sort.Strings(stmts[len(stmts)-2:])
				return shapes(stmts)
			}
		}
		t.Fatalf("no delivery record for %s", addr)
		return nil
	}
	run("someone@example.com") // settings reloaded after the hour
	existing, missing := run(email), run(nobody)
	must(t, len(existing) == len(missing), "%d statements for an existing account, %d for a missing one:\nexisting:\n%s\nmissing:\n%s",
		len(existing), len(missing), strings.Join(existing, "\n"), strings.Join(missing, "\n"))
	for i := range existing {
		must(t, existing[i] == missing[i], "statement %d differs:\nexisting: %s\nmissing:  %s", i+1, existing[i], missing[i])
	}
	t.Logf("%d statements each", len(existing))
}
