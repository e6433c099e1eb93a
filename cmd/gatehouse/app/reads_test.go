package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// The statements of the read path, counted on the cold path (the session
// cache off, so nothing is held in memory between requests; a warm token
// costs no statement at all). The viewer costs authStatements: its
// session and its user, read together.
const (
	authStatements = 1
	// meStatements: authStatements, then the viewer's accounts with
	// their portfolios in one statement, however many of either.
	meStatements = authStatements + 1
	// staffPageStatements: authStatements, then the page of users, their
	// labels, their latest KYC submissions (kycStatus), their accounts
	// with their portfolios, and the admin activity row the AUDIT rule of
	// COMPLIANCE on users writes; the total (totalCount), when asked, is
	// counted in the page's statement.
	staffPageStatements = authStatements + 5
)

// statementsTouching returns the statements that read table.
func statementsTouching(stmts []string, table string) []string {
	var out []string
	for _, s := range stmts {
		if touching([]string{s}, table) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// me with its accounts and their portfolios costs meStatements whatever
// the number of accounts and portfolios: the accounts come with their
// portfolios in one statement, because the query asks for them (the
// resolver looks ahead at its selection). A query that does not ask for
// portfolios does not read them.
func TestMeReadsAccountsWithTheirPortfoliosInOneStatement(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)}, func(c *app.Config) { c.MaxPortfolios, c.SessionCacheTTL = 50, 0 })
	compliance := h.staff("COMPLIANCE", "+447911128001")
	owner, _ := h.approvedUser("+447911128002", compliance, 51)

	type portfolio struct{ ID, Address string }
	type account struct {
		ID               string
		DefaultPortfolio *struct{ ID string }
		Portfolios       []portfolio
	}
	var got struct {
		Me struct {
			ID, Email string
			Level     int
			Accounts  []account
		}
	}
	read := func(query string) []string {
		got.Me.Accounts = nil
		return log.during(func() { h.ok(owner.AccessToken, query, nil, &got) })
	}
	check := func(query string, accounts, portfolios int) {
		t.Helper()
		stmts := read(query)
		must(t, len(got.Me.Accounts) == accounts, "want %d accounts: %+v", accounts, got.Me)
		n := 0
		for _, a := range got.Me.Accounts {
			for _, p := range a.Portfolios {
				must(t, p.ID != "" && strings.HasPrefix(p.Address, "0x"), "portfolio: %+v", p)
			}
			n += len(a.Portfolios)
		}
		must(t, n == portfolios, "want %d portfolios: %+v", portfolios, got.Me.Accounts)
		must(t, len(stmts) <= meStatements, "me: %d statements, want at most %d:\n%s", len(stmts), meStatements,
			strings.Join(stmts, "\n"))
		joined := statementsTouching(stmts, "portfolios")
		must(t, len(joined) == 1 && touching(joined, "accounts") == 1, "portfolios not read with the accounts:\n%s",
			strings.Join(stmts, "\n"))
		t.Logf("%d accounts, %d portfolios: %d statements", accounts, portfolios, len(stmts))
	}

	check(qMeAccounts, 1, 0)
	create := func(account string, i int) {
		typ := "SAVINGS"
		if i%2 == 0 {
			typ = "TRADING"
		}
		var out struct{ CreatePortfolio struct{ ID string } }
		h.ok(owner.AccessToken, `mutation($in: CreatePortfolioInput!) { createPortfolio(input: $in) { id } }`,
			vars("in", map[string]any{"accountId": account, "name": fmt.Sprintf("P%02d", i), "type": typ}), &out)
	}
	first := got.Me.Accounts[0].ID
	create(first, 0)
	check(qMeAccounts, 1, 1)

	// A second account (opened by staff) and 50 portfolios in all.
	admin := h.staff("ADMIN", "+447911128003")
	var opened struct{ OpenAccount struct{ ID string } }
	h.ok(admin.token, mOpenAccount, vars("input", map[string]any{"userId": owner.User.ID}), &opened)
	for i := 1; i < 30; i++ {
		create(first, i)
	}
	for i := 30; i < 50; i++ {
		create(opened.OpenAccount.ID, i)
	}
	check(qMeAccounts, 2, 50)
	// Through a fragment, and for the default portfolio alone: the same.
	check(`{ me { accounts { id ... on Account { portfolios { id address } } } } }`, 2, 50)
	stmts := read(`{ me { accounts { id defaultPortfolio { id } } } }`)
	must(t, len(stmts) <= meStatements && len(statementsTouching(stmts, "portfolios")) == 1 &&
		got.Me.Accounts[0].DefaultPortfolio != nil && got.Me.Accounts[1].DefaultPortfolio != nil,
		"default portfolios: %+v\n%s", got.Me.Accounts, strings.Join(stmts, "\n"))

	// Not asked (or skipped), the portfolios are not read at all.
	for _, q := range []string{`{ me { id accounts { id } } }`,
		`{ me { id accounts { id portfolios @skip(if: true) { id } } } }`} {
		stmts := read(q)
		must(t, len(got.Me.Accounts) == 2 && len(statementsTouching(stmts, "portfolios")) == 0 &&
			len(stmts) <= meStatements, "%s read portfolios or more:\n%s", q, strings.Join(stmts, "\n"))
	}
}

// The staff page of users with kycStatus, labels and accounts (and their
// portfolios) costs staffPageStatements for 20 users as for 50, with or
// without its total.
func TestStaffUserPageCostsAFixedNumberOfStatements(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)}, func(c *app.Config) { c.SessionCacheTTL = 0 })
	compliance := h.staff("COMPLIANCE", "+447911128101")
	for i := range 50 {
		_, _, _, err := h.ids.CreateUser(context.Background(), fmt.Sprintf("+4479111282%02d", i), "MEMBER")
		must(t, err == nil, "create member %d: %v", i, err)
	}
	// The newest user, so on both pages.
	h.clock.Advance(time.Minute)
	approved, _ := h.approvedUser("+447911128199", compliance, 61)
	var me struct {
		Me struct{ Accounts []struct{ ID string } }
	}
	h.ok(approved.AccessToken, `{ me { accounts { id } } }`, nil, &me)
	must(t, len(me.Me.Accounts) == 1, "approved user's accounts: %+v", me)
	for i, typ := range []string{"TRADING", "SAVINGS", "STAKING"} {
		var p struct{ CreatePortfolio struct{ ID string } }
		h.ok(approved.AccessToken, `mutation($in: CreatePortfolioInput!) { createPortfolio(input: $in) { id } }`,
			vars("in", map[string]any{"accountId": me.Me.Accounts[0].ID, "name": fmt.Sprintf("P%d", i), "type": typ}), &p)
	}

	const fields = `edges { node { id kycStatus labels { key value } accounts { id portfolios { id address } } } }`
	type page struct {
		Users struct {
			Edges []struct {
				Node struct {
					ID        string
					KycStatus string
					Labels    []struct{ Key, Value string }
					Accounts  []struct {
						ID         string
						Portfolios []struct{ ID, Address string }
					}
				}
			}
			TotalCount int
		}
	}
	read := func(n int, total bool) []string {
		t.Helper()
		q := `query($n: Int!) { users(first: $n) { ` + fields + ` } }`
		if total {
			q = `query($n: Int!) { users(first: $n) { totalCount ` + fields + ` } }`
		}
		var d page
		stmts := log.during(func() { h.ok(compliance.token, q, vars("n", n), &d) })
		must(t, len(d.Users.Edges) == n, "want %d users, got %d", n, len(d.Users.Edges))
		found := false
		for _, e := range d.Users.Edges {
			if e.Node.ID != approved.User.ID {
				continue
			}
			found = true
			u := e.Node
			must(t, u.KycStatus == "APPROVED" && len(u.Labels) > 0 && len(u.Accounts) == 1 &&
				len(u.Accounts[0].Portfolios) == 3, "approved user: %+v", u)
		}
		must(t, found, "the approved user is not on the first page of %d", n)
		if total {
			must(t, d.Users.TotalCount >= 52, "totalCount %d", d.Users.TotalCount)
		}
		return stmts
	}
	twenty, fifty := read(20, false), read(50, false)
	t.Logf("users(first: 20): %d statements; users(first: 50): %d statements", len(twenty), len(fifty))
	must(t, len(twenty) == len(fifty), "%d statements for 20 users, %d for 50:\n%s", len(twenty), len(fifty),
		strings.Join(fifty, "\n"))
	must(t, len(fifty) <= staffPageStatements, "users(first: 50): %d statements, want at most %d:\n%s",
		len(fifty), staffPageStatements, strings.Join(fifty, "\n"))
	for _, table := range []string{"labels", "kyc_submissions", "accounts", "portfolios"} {
		must(t, touching(fifty, table) == 1, "%s read %d times:\n%s", table, touching(fifty, table),
			strings.Join(fifty, "\n"))
	}
	must(t, !strings.Contains(strings.Join(fifty, "\n"), "count(*)"), "the total was counted unasked:\n%s",
		strings.Join(fifty, "\n"))
	withTotal := read(50, true)
	must(t, len(withTotal) == len(fifty) && strings.Contains(strings.Join(withTotal, "\n"), "count(*)"),
		"with totalCount: %d statements, without: %d:\n%s", len(withTotal), len(fifty), strings.Join(withTotal, "\n"))
	// A page past the last user has no row to carry the count: it is
	// counted apart, and still right.
	var past struct {
		Users struct {
			Edges      []struct{ Cursor string }
			TotalCount int
		}
	}
	h.ok(compliance.token, `{ users(first: 100) { totalCount edges { cursor } } }`, nil, &past)
	all := past.Users.TotalCount
	last := past.Users.Edges[len(past.Users.Edges)-1].Cursor
	h.ok(compliance.token, `query($after: String!) { users(first: 10, after: $after) { totalCount edges { cursor } } }`,
		vars("after", last), &past)
	must(t, len(past.Users.Edges) == 0 && past.Users.TotalCount == all, "past the end: %+v, want total %d", past, all)
}
