package app_test

import (
	"sort"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// aucOf is the Mann-Whitney AUC of xs against ys: the chance that a sample
// of xs is larger than one of ys (ties count half). 0.5 means the two
// cannot be told apart; 0 or 1, always.
func aucOf(xs, ys []time.Duration) float64 {
	type s struct {
		d time.Duration
		x bool
	}
	all := make([]s, 0, len(xs)+len(ys))
	for _, d := range xs {
		all = append(all, s{d, true})
	}
	for _, d := range ys {
		all = append(all, s{d, false})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].d < all[j].d })
	// Ranks from 1, ties sharing their mean rank.
	var rankSum float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].d == all[i].d {
			j++
		}
		mean := float64(i+1+j) / 2
		for k := i; k < j; k++ {
			if all[k].x {
				rankSum += mean
			}
		}
		i = j
	}
	n1, n2 := float64(len(xs)), float64(len(ys))
	return (rankSum - n1*(n1+1)/2) / (n1 * n2)
}

// Asking to reset the password of an account that exists and of one that
// does not takes the same time: the two distributions of response times
// overlap (AUC within 0.1 of 0.5 over 300 samples each; by chance alone it
// strays by about 0.024), measured through the HTTP handler with the
// samples interleaved so that load on the machine falls on both alike.
func TestPasswordResetTimingDoesNotTellWhetherAnAccountExists(t *testing.T) {
	if testing.Short() {
		t.Skip("timing samples")
	}
	h := newHarness(t, func(c *app.Config) { c.PasswordResetsPerHour = 100000 })
	const email, nobody = "ada@example.com", "amy@example.com"
	h.emailUser(email, strongPassword, "", "Ada", "laptop-1")

	const samples, warmup = 300, 10
	var real, missing []time.Duration
	measure := func(addr string) time.Duration {
		start := time.Now()
		r := h.post("", mRequestReset, vars("username", addr))
		d := time.Since(start)
		must(t, len(r.Errors) == 0, "requestPasswordReset(%s): %+v", addr, r.Errors)
		return d
	}
	for i := range samples + warmup {
		// Each address gets at most five codes an hour.
		h.clock.Advance(13 * time.Minute)
		// ABBA order, so neither side is always first.
		order := []string{email, nobody}
		if i%2 == 1 {
			order = []string{nobody, email}
		}
		for _, addr := range order {
			d := measure(addr)
			if i < warmup {
				continue
			}
			if addr == email {
				real = append(real, d)
			} else {
				missing = append(missing, d)
			}
		}
	}
	auc := aucOf(real, missing)
	med := func(ds []time.Duration) time.Duration {
		c := append([]time.Duration(nil), ds...)
		sort.Slice(c, func(i, j int) bool { return c[i] < c[j] })
		return c[len(c)/2]
	}
	t.Logf("password reset: existing median %v, missing median %v, AUC %.3f over %d+%d samples",
		med(real), med(missing), auc, len(real), len(missing))
	must(t, auc > 0.4 && auc < 0.6, "response times tell an existing account from a missing one: AUC %.3f (existing median %v, missing %v)",
		auc, med(real), med(missing))
}
