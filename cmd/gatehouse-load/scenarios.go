package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// scenario is one piece of work a user or staff member does, measured as
// one sample per call of op (a journey of two requests is one sample).
type scenario struct {
	name, what string
	// op does the work once on c for worker (0 to conns-1); it returns
	// nil, or an error whose code (codeOf) is counted.
	op func(ctx context.Context, c *client, worker int) error
}

// Issue 17's query, exactly.
const qMe = `{ me { id email level accounts { id portfolios { id address } } } }`

// The staff user page: the first 50 users with the fields a staff
// console lists.
const qUsersPage = `{ users(first: 50) { totalCount edges { cursor node { id email phone state role level kycStatus labels { key value scope } accounts { id } } } pageInfo { hasNextPage endCursor } } }`

// scenarios are every scenario the tool knows, in the order they run.
// Sign-ins go to one user per worker (see users.pins).
func scenarios(s *server, u *users, numbers *phones) []scenario {
	me := rawRequest(qMe, nil)
	page := rawRequest(qUsersPage, nil)
	var pins, passwords [][]byte
	for _, p := range u.pins {
		pins = append(pins, rawRequest(mSignInWithPin, input(map[string]any{"phone": p.phone, "pin": p.pin, "deviceId": p.device, "deviceSecret": p.deviceSecret})))
	}
	for _, e := range u.passwords {
		passwords = append(passwords, rawRequest(mSignIn, input(map[string]any{"username": e.email, "password": e.password, "deviceId": e.device, "deviceSecret": e.deviceSecret})))
	}
	return []scenario{
		{"me", "`" + qMe + "` as one phone user (KYC approved, one account with its portfolios), on every connection",
			func(ctx context.Context, c *client, _ int) error { return c.sendRaw(ctx, u.reader.token, me, nil) }},
		{"users", "`users(first: 50)` with kycStatus, labels and accounts, as one ADMIN, on every connection",
			func(ctx context.Context, c *client, _ int) error { return c.sendRaw(ctx, u.staffToken, page, nil) }},
		{"pin", "`signInWithPin` on a trusted device (deviceId + deviceSecret), one phone user per connection",
			func(ctx context.Context, c *client, w int) error {
				return c.sendRaw(ctx, "", pins[w%len(pins)], signedIn("signInWithPin"))
			}},
		{"password", "`signIn` by email and password on a trusted device, one email user per connection",
			func(ctx context.Context, c *client, w int) error {
				return c.sendRaw(ctx, "", passwords[w%len(passwords)], signedIn("signIn"))
			}},
		{"otp", "`startPhoneSignup` for a new number, its code read from the server's log, `verifyPhoneSignup` (one sample per journey)",
			func(ctx context.Context, c *client, _ int) error {
				_, err := phoneSignupTicket(ctx, s, c, numbers.take())
				return err
			}},
	}
}

// rawRequest is a request body marshalled once: the load generator shares
// the server's cores, so it does no more per request than it must.
func rawRequest(query string, vars map[string]any) []byte {
	b, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		panic(err) // the tool's own constant operations
	}
	return b
}

// signedIn checks a SignInPayload under field: a sign-in that answers
// without errors but with another status than SIGNED_IN (a challenge,
// where the device should have been trusted) counts as a failure,
// STATUS_<status>.
func signedIn(field string) func(json.RawMessage) error {
	return func(data json.RawMessage) error {
		var d map[string]struct{ Status string }
		if err := json.Unmarshal(data, &d); err != nil {
			return &opError{"BAD_DATA", err.Error()}
		}
		if st := d[field].Status; st != "SIGNED_IN" {
			return &opError{"STATUS_" + st, "the trusted device did not sign in at once"}
		}
		return nil
	}
}

// run measures sc with conns workers, each on its own connection, for
// duration after warmup (requests during warmup are not kept).
func run(ctx context.Context, s *server, sc scenario, conns int, warmup, duration time.Duration) result {
	res := result{scenario: sc.name, conns: conns}
	clients := make([]*client, conns)
	for i := range clients {
		clients[i] = newClient(s.baseURL)
		defer clients[i].close()
	}
	// Warm up: connections open, the server's caches and pools filled.
	if warmup > 0 {
		work(ctx, clients, sc, time.Now().Add(warmup))
	}
	if err := s.resetPeakRSS(); err == nil {
		res.rssReset = true
	}
	start := time.Now()
	per := work(ctx, clients, sc, start.Add(duration))
	for _, w := range per {
		res.samples = append(res.samples, w.samples...)
		res.elapsed = max(res.elapsed, w.end.Sub(start))
	}
	if rss, err := s.peakRSS(); err == nil {
		res.peakRSS = rss
	}
	return res
}

type workerOut struct {
	samples []sample
	end     time.Time
}

// work runs sc on every client until deadline; a request under way at the
// deadline finishes and counts.
func work(ctx context.Context, clients []*client, sc scenario, deadline time.Time) []workerOut {
	out := make([]workerOut, len(clients))
	var wg sync.WaitGroup
	for i, c := range clients {
		wg.Go(func() {
			samples := make([]sample, 0, 4096)
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				err := sc.op(ctx, c, i)
				lat := time.Since(t0)
				if ctx.Err() != nil {
					break // cut by the total timeout: not a sample
				}
				code := ""
				if err != nil {
					code = codeOf(err)
				}
				samples = append(samples, sample{latency: lat, code: code})
			}
			out[i] = workerOut{samples: samples, end: time.Now()}
		})
	}
	wg.Wait()
	return out
}

// describeErrors is "CODE×n, …" in a stable order, or "0".
func describeErrors(errs map[string]int) string {
	if len(errs) == 0 {
		return "0"
	}
	keys := slices.Sorted(maps.Keys(errs))
	s := ""
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s×%d", k, errs[k])
	}
	return s
}
