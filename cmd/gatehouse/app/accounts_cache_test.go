package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/modules/identity"
)

// accountsInstance is a harness with both of its caches.
type accountsInstance struct {
	h        *harness
	sessions *identity.SessionCache
	accounts *accounts.ViewerCache
}

func (i accountsInstance) live() bool { return i.sessions.Live() && i.accounts.Live() }

// accountsCached starts a Gatehouse (tweaked) and waits until both of its
// caches listen.
func accountsCached(t *testing.T, extra []fx.Option, tweak ...func(*app.Config)) accountsInstance {
	t.Helper()
	var i accountsInstance
	i.h = newHarnessWith(t, append(extra, fx.Populate(&i.sessions, &i.accounts)), tweak...)
	for deadline := time.Now().Add(10 * time.Second); !i.live(); {
		if time.Now().After(deadline) {
			t.Fatalf("the caches do not listen: sessions %v, accounts %v", i.sessions.Live(), i.accounts.Live())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return i
}

// warmAccounts reads me with its accounts on each instance until each
// holds the token's session and the viewer's accounts (the notifications
// of the user's own earlier changes may still drop a first entry).
func warmAccounts(t *testing.T, token string, is ...accountsInstance) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		held := true
		for _, i := range is {
			if c := i.h.post(token, qMeAccounts, nil).code(); c != "" {
				t.Fatalf("me: %s", c)
			}
			held = held && i.sessions.Len() > 0 && i.accounts.Len() > 0
		}
		if held {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the viewer's accounts are not cached")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// portfoliosOf returns how many portfolios me shows, -1 on an error.
func portfoliosOf(h *harness, token string) (accountsN, portfolios int) {
	var me struct {
		Me struct {
			Accounts []struct{ Portfolios []struct{ ID string } }
		}
	}
	r := h.post(token, qMeAccounts, nil)
	if len(r.Errors) > 0 || json.Unmarshal(r.Data, &me) != nil {
		return -1, -1
	}
	for _, a := range me.Me.Accounts {
		portfolios += len(a.Portfolios)
	}
	return len(me.Me.Accounts), portfolios
}

// TestAccountChangesReachAnotherInstanceWithinASecond: with the viewer's
// accounts cached on two instances, a portfolio the owner adds on A, and
// an account staff open on A, are in `me` on B within a second (and on A
// at once).
func TestAccountChangesReachAnotherInstanceWithinASecond(t *testing.T) {
	t.Parallel()
	a := accountsCached(t, nil)
	b := accountsCached(t, nil, func(c *app.Config) {
		c.DatabaseURL, c.SigningKeyFile = a.h.cfg.DatabaseURL, a.h.cfg.SigningKeyFile
	})
	compliance := a.h.staff("COMPLIANCE", "+447911132001")
	admin := a.h.staff("ADMIN", "+447911132002")
	owner, _ := a.h.approvedUser("+447911132003", compliance, 61)
	warmAccounts(t, owner.AccessToken, a, b)
	n, p := portfoliosOf(b.h, owner.AccessToken)
	must(t, n == 1 && p == 0, "before: %d accounts, %d portfolios on B", n, p)

	var me struct {
		Me struct{ Accounts []struct{ ID string } }
	}
	a.h.ok(owner.AccessToken, `{ me { accounts { id } } }`, nil, &me)
	var cp struct{ CreatePortfolio struct{ ID string } }
	// SAVINGS: the account's row (its default portfolio) does not change,
	// only the portfolios'.
	a.h.ok(owner.AccessToken, mCreatePortfolio, vars("input", map[string]any{"accountId": me.Me.Accounts[0].ID,
		"name": "Rainy day", "type": "SAVINGS"}), &cp)
	start := time.Now()
	n, p = portfoliosOf(a.h, owner.AccessToken)
	must(t, n == 1 && p == 1, "A right after the write: %d accounts, %d portfolios", n, p)
	within(t, "instance B shows the new portfolio", start, func() bool {
		n, p := portfoliosOf(b.h, owner.AccessToken)
		return n == 1 && p == 1
	})

	warmAccounts(t, owner.AccessToken, a, b)
	var opened struct{ OpenAccount struct{ ID string } }
	a.h.ok(admin.token, mOpenAccount, vars("input", map[string]any{"userId": owner.User.ID}), &opened)
	start = time.Now()
	n, _ = portfoliosOf(a.h, owner.AccessToken)
	must(t, n == 2, "A right after the opening: %d accounts", n)
	within(t, "instance B shows the new account", start, func() bool {
		n, _ := portfoliosOf(b.h, owner.AccessToken)
		return n == 2
	})
}

// TestWarmMeRunsNoStatement: with the caches on, a warm `me` with its
// accounts and their portfolios reaches no database (the cold path,
// meStatements, is counted with the caches off in
// TestMeReadsAccountsWithTheirPortfoliosInOneStatement).
func TestWarmMeRunsNoStatement(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	i := accountsCached(t, []fx.Option{logStatements(log)})
	compliance := i.h.staff("COMPLIANCE", "+447911132011")
	owner, _ := i.h.approvedUser("+447911132012", compliance, 62)
	var me struct {
		Me struct{ Accounts []struct{ ID string } }
	}
	i.h.ok(owner.AccessToken, `{ me { accounts { id } } }`, nil, &me)
	var cp struct{ CreatePortfolio struct{ ID string } }
	i.h.ok(owner.AccessToken, mCreatePortfolio, vars("input", map[string]any{"accountId": me.Me.Accounts[0].ID,
		"name": "Main", "type": "TRADING"}), &cp)

	// Warm until one read runs no statement: the notifications of the
	// writes above (the user's sessions, the portfolio) may arrive after
	// the first reads and drop what they cached; warmAccounts alone is
	// satisfied by the staff member's entries.
	for deadline := time.Now().Add(10 * time.Second); len(log.during(func() { portfoliosOf(i.h, owner.AccessToken) })) > 0; {
		if time.Now().After(deadline) {
			t.Fatal("a me with its accounts is never served from the caches")
		}
		time.Sleep(20 * time.Millisecond)
	}
	for range 5 {
		var n, p int
		stmts := log.during(func() { n, p = portfoliosOf(i.h, owner.AccessToken) })
		must(t, n == 1 && p == 1, "me: %d accounts, %d portfolios", n, p)
		must(t, len(stmts) == 0, "a warm me ran %d statements:\n%s", len(stmts), strings.Join(stmts, "\n"))
	}

	// The caches off (another instance on the same database): every me
	// reads the database, meStatements each time.
	coldLog := &statementLog{}
	cold := newHarnessWith(t, []fx.Option{logStatements(coldLog)}, func(c *app.Config) {
		c.DatabaseURL, c.SigningKeyFile, c.SessionCacheTTL = i.h.cfg.DatabaseURL, i.h.cfg.SigningKeyFile, 0
	})
	portfoliosOf(cold, owner.AccessToken) // the instance's first request loads its settings
	for range 3 {
		var n, p int
		stmts := coldLog.during(func() { n, p = portfoliosOf(cold, owner.AccessToken) })
		must(t, n == 1 && p == 1, "cold me: %d accounts, %d portfolios", n, p)
		must(t, len(stmts) == meStatements, "a cold me ran %d statements, want %d:\n%s", len(stmts), meStatements,
			strings.Join(stmts, "\n"))
	}
}
