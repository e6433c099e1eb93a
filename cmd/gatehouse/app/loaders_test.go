package app_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/uptrace/bun"
	"go.uber.org/fx"
)

// statementLog records the SQL statements the app runs.
type statementLog struct {
	mu    sync.Mutex
	stmts []string
}

func (l *statementLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (l *statementLog) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	l.mu.Lock()
	l.stmts = append(l.stmts, e.Query)
	l.mu.Unlock()
}

// during returns the statements run while f ran.
func (l *statementLog) during(f func()) []string {
	l.mu.Lock()
	start := len(l.stmts)
	l.mu.Unlock()
	f()
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.stmts[start:]...)
}

func touching(stmts []string, table string) int {
	n := 0
	for _, s := range stmts {
		if strings.Contains(s, `"`+table+`"`) || strings.Contains(s, " "+table+" ") || strings.Contains(s, " "+table+"\n") {
			n++
		}
	}
	return n
}

// Nested accounts and portfolios are loaded in batches: a request costs
// the same number of statements for 1 portfolio as for 50, for the owner
// (me) and for staff (user(id)).
func TestNestedPortfoliosCostTheSameStatementsForOneOrFifty(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{fx.Decorate(func(db *bun.DB) *bun.DB {
		db.AddQueryHook(log)
		return db
	})}, func(c *app.Config) { c.MaxPortfolios = 50 })
	compliance := h.staff("COMPLIANCE", "+447911124101")
	accountant := h.staff("ACCOUNTANT", "+447911124102")
	owner, _ := h.approvedUser("+447911124103", compliance, 41)

	var me struct {
		Me struct {
			Accounts []struct{ ID string }
		}
	}
	h.ok(owner.AccessToken, `query { me { accounts { id } } }`, nil, &me)
	must(t, len(me.Me.Accounts) == 1, "accounts: %+v", me.Me.Accounts)
	account := me.Me.Accounts[0].ID
	create := func(i int) {
		typ := "SAVINGS"
		if i%2 == 0 {
			typ = "TRADING"
		}
		var out struct{ CreatePortfolio struct{ ID string } }
		h.ok(owner.AccessToken, `mutation($in: CreatePortfolioInput!) { createPortfolio(input: $in) { id } }`,
			vars("in", map[string]any{"accountId": account, "name": fmt.Sprintf("P%02d", i), "type": typ}), &out)
	}

	const nested = `{ id accounts { id defaultPortfolio { id address } portfolios { id name type address } } }`
	measure := func(want int) (mine, staff []string) {
		var got struct {
			Me struct {
				Accounts []struct {
					Portfolios []struct{ Address string }
				}
			}
			User struct {
				Accounts []struct {
					Portfolios []struct{ Address string }
				}
			}
		}
		mine = log.during(func() { h.ok(owner.AccessToken, `query { me `+nested+` }`, nil, &got) })
		staff = log.during(func() {
			h.ok(accountant.token, `query($id: ID!) { user(id: $id) `+nested+` }`, vars("id", owner.User.ID), &got)
		})
		must(t, len(got.Me.Accounts[0].Portfolios) == want && len(got.User.Accounts[0].Portfolios) == want,
			"want %d portfolios, got %+v", want, got)
		return mine, staff
	}

	create(0)
	mineOne, staffOne := measure(1)
	for i := 1; i < 50; i++ {
		create(i)
	}
	mineFifty, staffFifty := measure(50)

	must(t, len(mineOne) == len(mineFifty), "me: %d statements for 1 portfolio, %d for 50:\n%s",
		len(mineOne), len(mineFifty), strings.Join(mineFifty, "\n"))
	must(t, len(staffOne) == len(staffFifty), "user(id): %d statements for 1 portfolio, %d for 50:\n%s",
		len(staffOne), len(staffFifty), strings.Join(staffFifty, "\n"))
	must(t, touching(mineFifty, "portfolios") == 1, "portfolios read %d times:\n%s",
		touching(mineFifty, "portfolios"), strings.Join(mineFifty, "\n"))
	t.Logf("me: %d statements; user(id): %d statements, for 1 and for 50 portfolios", len(mineFifty), len(staffFifty))
}
