package app_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

var (
	sqlLiteral = regexp.MustCompile(`'(?:[^']|'')*'|\bNULL\b|\b\d+(?:\.\d+)?\b`)
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
	h := newHarnessWith(t, []fx.Option{fx.Decorate(func(db *bun.DB) *bun.DB {
		db.AddQueryHook(log)
		return db
	})})
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
