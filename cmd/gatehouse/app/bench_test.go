package app_test

import (
	"log/slog"
	"runtime"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// benchHarness runs with the production argon2id parameters and log
// level (INFO: the tests' DEBUG lines would be counted in every
// operation's allocations), and without the per-IP limits, which one
// benchmark client would hit at once.
func benchHarness(b *testing.B) *harness {
	return newHarness(b, func(c *app.Config) {
		c.Argon2MemoryKiB, c.Argon2Iterations, c.Argon2Parallelism = 64*1024, 1, 2
		c.SignInsPerMinute, c.StatusChecksPerMinute = 1000000, 1000000
		c.LogLevel = slog.LevelInfo
	})
}

// BenchmarkSignInWithPinKnownDevice is a full PIN sign-in on a trusted
// device: lookup, argon2id verify, session and token, over HTTP.
func BenchmarkSignInWithPinKnownDevice(b *testing.B) {
	h := benchHarness(b)
	const phone, pin = "+447911123500", "4831"
	h.signUp(phone, pin, "bench-device")
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := h.post("", mSignIn, h.signInVars(phone, pin, "bench-device"))
			if len(r.Errors) > 0 {
				b.Errorf("sign-in failed: %+v", r.Errors)
				return
			}
		}
	})
}

// BenchmarkMe is an authenticated read: token check, session and user.
func BenchmarkMe(b *testing.B) {
	h := benchHarness(b)
	a := h.signUp("+447911123501", "4831", "bench-device")
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := h.post(a.AccessToken, `{ me { id phone hasPin } }`, nil)
			if len(r.Errors) > 0 {
				b.Errorf("me failed: %+v", r.Errors)
				return
			}
		}
	})
}

// qMeAccounts is the first read of every app screen (issue 17): the
// viewer with its accounts and their portfolios.
const qMeAccounts = `{ me { id email level accounts { id portfolios { id address } } } }`

// BenchmarkMeWithAccounts is the app's first read: token check, session,
// user, accounts and portfolios (an approved user with one account and
// two portfolios).
func BenchmarkMeWithAccounts(b *testing.B) {
	h := benchHarness(b)
	compliance := h.staff("COMPLIANCE", "+447911123502")
	a, _ := h.approvedUser("+447911123503", compliance, 7)
	var me struct {
		Me struct{ Accounts []struct{ ID string } }
	}
	h.ok(a.AccessToken, `{ me { accounts { id } } }`, nil, &me)
	must(b, len(me.Me.Accounts) == 1, "accounts: %+v", me.Me.Accounts)
	for i, typ := range []string{"TRADING", "SAVINGS"} {
		var p struct{ CreatePortfolio struct{ ID string } }
		h.ok(a.AccessToken, `mutation($in: CreatePortfolioInput!) { createPortfolio(input: $in) { id } }`,
			vars("in", map[string]any{"accountId": me.Me.Accounts[0].ID, "name": "P" + string(rune('0'+i)), "type": typ}), &p)
	}
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := h.post(a.AccessToken, qMeAccounts, nil)
			if len(r.Errors) > 0 {
				b.Errorf("me failed: %+v", r.Errors)
				return
			}
		}
	})
}
