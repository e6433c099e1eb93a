package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// outageHarness is a harness whose database is reached through a dbProxy,
// plus a direct connection to the same database for the test's own checks.
func outageHarness(t *testing.T, tweak ...func(*app.Config)) (*harness, *dbProxy, *bun.DB) {
	t.Helper()
	var proxy *dbProxy
	var direct string
	h := newHarness(t, append([]func(*app.Config){func(c *app.Config) {
		direct = c.DatabaseURL
		proxy, c.DatabaseURL = newDBProxy(t, c.DatabaseURL)
		// These tests watch what signed-in reads do when the database
		// misbehaves: they must reach it, not the session cache.
		c.SessionCacheTTL = 0
	}}, tweak...)...)
	db, err := postgres.Open(direct, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return h, proxy, db
}

// answer is one request's outcome as a client sees it.
type answer struct {
	res       gqlResponse
	requestID string
	took      time.Duration
	err       error
}

// try posts a GraphQL request without failing the test (safe from any
// goroutine), with an X-Request-Id when id is not empty.
// smallLoad sends n requests at once, in turn a signed-in read (token), an
// anonymous read about statusPhone and a mutation starting a sign-up for
// startPhone; with idPrefix each carries X-Request-Id idPrefix+i.
func (h *harness) smallLoad(n int, idPrefix, token, statusPhone, startPhone string) []answer {
	ops := []struct {
		token, query string
		vars         map[string]any
	}{
		{token, qMe, nil},
		{"", qStatus, vars("phone", statusPhone)},
		{"", mStart, vars("phone", startPhone)},
	}
	var wg sync.WaitGroup
	answers := make([]answer, n)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			op := ops[i%len(ops)]
			id := ""
			if idPrefix != "" {
				id = fmt.Sprintf("%s%d", idPrefix, i)
			}
			answers[i] = h.try(op.token, id, op.query, op.vars)
		}()
	}
	wg.Wait()
	return answers
}

func (h *harness) try(token, id, query string, vars map[string]any) answer {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if id != "" {
		req.Header.Set("X-Request-Id", id)
	}
	start := time.Now()
	res, err := h.srv.Client().Do(req)
	if err != nil {
		return answer{err: err, took: time.Since(start)}
	}
	defer res.Body.Close()
	var out gqlResponse
	err = json.NewDecoder(res.Body).Decode(&out)
	out.Status = res.StatusCode
	return answer{res: out, requestID: res.Header.Get("X-Request-Id"), took: time.Since(start), err: err}
}

// driverText is what must never reach a client: the driver's and the
// server's own words, and where the database lives.
var driverText = regexp.MustCompile(`(?i)user=|database=|dial|connect|127\.0\.0\.1|localhost|sqlstate|pgx|postgres|relation|does not exist|timeout|:\d{2,5}\b`)

// assertUnavailable checks one answer to a request that needs the database
// while it is out: UNAVAILABLE with a retry hint and a generic message.
func assertUnavailable(t *testing.T, what string, a answer) {
	t.Helper()
	if a.err != nil {
		t.Fatalf("%s: %v", what, a.err)
	}
	if len(a.res.Errors) == 0 {
		t.Fatalf("%s: answered without an error while the database is out: %s", what, a.res.Data)
	}
	for _, e := range a.res.Errors {
		if c := e.Extensions["code"]; c != "UNAVAILABLE" {
			t.Fatalf("%s: want UNAVAILABLE, got %v (%q, extensions %v)", what, c, e.Message, e.Extensions)
		}
		if r, _ := e.Extensions["retryAfterSeconds"].(float64); r < 1 {
			t.Fatalf("%s: UNAVAILABLE without retryAfterSeconds: %v", what, e.Extensions)
		}
		if m := driverText.FindString(e.Message); m != "" {
			t.Fatalf("%s: the message leaks %q: %q", what, m, e.Message)
		}
		for k, v := range e.Extensions {
			if m := driverText.FindString(fmt.Sprint(v)); m != "" {
				t.Fatalf("%s: extension %s leaks %q: %v", what, k, m, v)
			}
		}
	}
}

const qServerInfoOutage = `{ serverInfo { version serverTime } }`
const qAppConfigOutage = `{ appConfig(platform: IOS) { maintenance { enabled } } }`

func TestStoppedDatabaseIsUnavailableAndRecovers(t *testing.T) {
	h, proxy, _ := outageHarness(t)
	user := h.signUp("+447911195201", "258025", "phone-1")
	var cfg struct {
		AppConfig struct{ Maintenance struct{ Enabled bool } }
	}
	h.ok("", qAppConfigOutage, nil, &cfg) // the platform cache holds good settings

	proxy.stop()
	// Past the platform cache's TTL: the maintenance gate cannot read the
	// maintenance flag fresh any more.
	h.clock.Advance(3 * time.Second)
	// A small load: signed-in and anonymous reads and a mutation, from a
	// few clients at once.
	answers := h.smallLoad(12, "outage-", user.AccessToken, "+447911195202", "+447911195203")
	for i, a := range answers {
		assertUnavailable(t, fmt.Sprintf("request %d", i), a)
		if a.requestID != fmt.Sprintf("outage-%d", i) {
			t.Fatalf("request %d: X-Request-Id echoed as %q", i, a.requestID)
		}
	}
	// Each failure is logged once, with its request id.
	logs := h.logs.String()
	for i := range answers {
		if n := strings.Count(logs, "request_id=outage-"+fmt.Sprint(i)+" "); n != 1 {
			t.Fatalf("request outage-%d is logged %d times, want once:\n%s", i, n, logs)
		}
	}

	// Metrics file them as UNAVAILABLE (an alert can watch it).
	if m := h.metrics(); !strings.Contains(m, `gatehouse_graphql_operations_total{operation="me",outcome="UNAVAILABLE"} 4`) {
		t.Fatalf("metrics do not file the outage as UNAVAILABLE:\n%s", grepLines(m, "outcome="))
	}

	// What needs no database keeps answering.
	var info struct{ ServerInfo struct{ Version string } }
	h.ok("", qServerInfoOutage, nil, &info)
	h.ok("", qAppConfigOutage, nil, &cfg)
	res, err := http.Get(h.srv.URL + "/.well-known/jwks.json")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("JWKS during the outage: %v %v", err, res)
	}
	res.Body.Close()

	// The database comes back: Gatehouse answers again, without a restart.
	proxy.start()
	deadline := time.Now().Add(15 * time.Second)
	for {
		a := h.try(user.AccessToken, "", qMe, nil)
		if a.err == nil && len(a.res.Errors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the database came back: %+v %v", a.res.Errors, a.err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	h.signUp("+447911195204", "258025", "phone-2")
}

func TestFrozenDatabaseEndsRequestsWithinTheBound(t *testing.T) {
	const stmt, lock, wait = time.Second, 500 * time.Millisecond, time.Second
	h, proxy, _ := outageHarness(t, func(c *app.Config) {
		c.DBStatementTimeout, c.DBLockTimeout, c.DBPoolWait = stmt, lock, wait
		c.DBMaxConns = 4 // fewer connections than requests: some wait for one
	})
	user := h.signUp("+447911195211", "258025", "phone-1")

	proxy.freeze()
	// The longest a call may take is a statement's or a transaction's
	// bound (pool wait + statement timeout + 1s); the margin is generous
	// for a busy machine.
	bound := wait + stmt + time.Second
	margin := 2 * time.Second
	answers := h.smallLoad(9, "", user.AccessToken, "+447911195212", "+447911195213")
	proxy.unfreeze()
	var longest time.Duration
	for i, a := range answers {
		assertUnavailable(t, fmt.Sprintf("request %d", i), a)
		longest = max(longest, a.took)
		if a.took > bound+margin {
			t.Errorf("request %d took %s with the database frozen, bound %s + margin %s", i, a.took, bound, margin)
		}
	}
	t.Logf("longest request with the database frozen: %s (bound %s)", longest, bound)

	// Thawed, it answers again.
	deadline := time.Now().Add(15 * time.Second)
	for {
		a := h.try(user.AccessToken, "", qMe, nil)
		if a.err == nil && len(a.res.Errors) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no recovery after the freeze: %+v %v", a.res.Errors, a.err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestSignUpCutMidwayIsWholeOrAbsent(t *testing.T) {
	h, proxy, direct := outageHarness(t)
	const phone = "+447911195221"
	ticket := h.ticketFor(phone)
	ctx := context.Background()

	// Hold the PIN table so the sign-up's transaction stops after writing
	// the user, then cut the database's connections under it.
	conn, err := direct.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.ExecContext(ctx, "LOCK TABLE pin_credentials IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := make(chan answer, 1)
	completeVars := vars("ticket", ticket, "pin", "258025", "confirm", "258025", "terms", true, "device", "phone-1")
	go func() { done <- h.try("", "", mComplete, completeVars) }()
	// Wait until the sign-up waits for the lock, its user written.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := direct.NewRaw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND query LIKE '%pin_credentials%'`).Scan(ctx, &waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the sign-up never reached the PIN insert")
		}
		time.Sleep(20 * time.Millisecond)
	}
	proxy.stop()
	a := <-done
	assertUnavailable(t, "the sign-up cut midway", a)
	_ = tx.Rollback()

	// The transaction the server was running ends (rolled back) once the
	// lock is gone; no part of the user is left.
	deadline = time.Now().Add(10 * time.Second)
	for {
		var busy int
		if err := direct.NewRaw(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND query LIKE '%pin_credentials%' AND pid <> pg_backend_pid() AND state <> 'idle'`).Scan(ctx, &busy); err != nil {
			t.Fatal(err)
		}
		if busy == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cut sign-up's transaction never ended")
		}
		time.Sleep(20 * time.Millisecond)
	}
	var users int
	if err := direct.NewRaw(`SELECT count(*) FROM users WHERE phone = ?`, phone).Scan(ctx, &users); err != nil {
		t.Fatal(err)
	}
	if users != 0 {
		t.Fatalf("a sign-up cut midway left %d user row(s)", users)
	}

	// Back up, the same ticket completes the sign-up whole.
	proxy.start()
	var d struct{ CompletePhoneSignup authPayload }
	deadline = time.Now().Add(15 * time.Second)
	for {
		a := h.try("", "", mComplete, completeVars)
		if a.err == nil && len(a.res.Errors) == 0 {
			if err := json.Unmarshal(a.res.Data, &d); err != nil {
				t.Fatal(err)
			}
			break
		}
		if a.err == nil && a.res.code() != "UNAVAILABLE" {
			t.Fatalf("retrying the sign-up: %+v", a.res.Errors)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sign-up never completed after the database came back: %+v %v", a.res.Errors, a.err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var pins int
	if err := direct.NewRaw(`SELECT count(*) FROM users u JOIN pin_credentials p ON p.user_id = u.id WHERE u.phone = ?`,
		phone).Scan(ctx, &pins); err != nil {
		t.Fatal(err)
	}
	if pins != 1 || d.CompletePhoneSignup.AccessToken == "" {
		t.Fatalf("the retried sign-up is not whole: %d PIN row(s), payload %+v", pins, d.CompletePhoneSignup)
	}
}

func TestMissingTableIsInternalAndLoggedOnce(t *testing.T) {
	h := newHarness(t)
	// As after a schema rolled back under a running server.
	if _, err := h.db.ExecContext(context.Background(), `DROP TABLE terms_documents CASCADE`); err != nil {
		t.Fatal(err)
	}
	a := h.try("", "missing-table-1", `{ termsAndConditions(kind: GENERAL) { version } }`, nil)
	if a.err != nil {
		t.Fatal(a.err)
	}
	if a.res.code() != "INTERNAL" {
		t.Fatalf("want INTERNAL, got %+v", a.res.Errors)
	}
	e := a.res.Errors[0]
	if m := driverText.FindString(e.Message); m != "" || len(e.Extensions) != 1 {
		t.Fatalf("the answer leaks %q: %+v", m, e)
	}
	logs := h.logs.String()
	var lines []string
	for _, l := range strings.Split(logs, "\n") {
		if strings.Contains(l, "request_id=missing-table-1") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "level=ERROR") || !strings.Contains(lines[0], "terms_documents") {
		t.Fatalf("want the cause logged once at ERROR with the request id, got %d line(s):\n%s", len(lines), strings.Join(lines, "\n"))
	}
	// Metrics file it under INTERNAL.
	if m := h.metrics(); !strings.Contains(m, `gatehouse_graphql_operations_total{operation="termsAndConditions",outcome="INTERNAL"} 1`) {
		t.Fatalf("metrics do not file the failure as INTERNAL:\n%s", grepLines(m, "outcome="))
	}
}

// metrics is the /metrics page.
func (h *harness) metrics() string {
	h.t.Helper()
	res, err := http.Get(h.srv.URL + "/metrics")
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	_, _ = buf.ReadFrom(res.Body)
	return buf.String()
}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// With every pool connection held by a request stuck on a lock, another
// request waits GATEHOUSE_DB_POOL_WAIT for a connection, not the whole
// statement bound, and answers UNAVAILABLE.
func TestPoolWaitIsBounded(t *testing.T) {
	const wait = time.Second
	h, _, direct := outageHarness(t, func(c *app.Config) {
		// Long statement and lock timeouts: only the pool wait can end
		// the probe early.
		c.DBStatementTimeout, c.DBLockTimeout, c.DBPoolWait = 20*time.Second, 20*time.Second, wait
		c.RequestTimeout = 40 * time.Second
		// Two of them listen: for permission changes, and the shared one
		// (restrictions; the session cache is off here).
		c.DBMaxConns = 4
	})
	user := h.signUp("+447911195311", "258025", "phone-1")
	ctx := context.Background()

	// The test holds the users table; the server's requests for it queue
	// behind the lock, each holding a pool connection.
	tx, err := direct.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	released := false
	release := func() {
		if !released {
			released = true
			_ = tx.Rollback()
		}
	}
	defer release()
	if _, err := tx.ExecContext(ctx, "LOCK TABLE users IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	holders := make(chan answer, 2)
	for range 2 {
		go func() { holders <- h.try(user.AccessToken, "", qMe, nil) }()
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		var n int
		if err := direct.NewRaw(`SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(ctx, &n); err != nil {
			t.Fatal(err)
		}
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server's requests are not waiting on the lock (%d waiting)", n)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The pool is spent: a request that needs the database gets no
	// connection within the pool wait.
	margin := 3 * time.Second
	probe := make(chan answer, 1)
	go func() { probe <- h.try("", "pool-probe", qStatus, vars("phone", "+447911195312")) }()
	select {
	case a := <-probe:
		assertUnavailable(t, "a request with the pool spent", a)
		if a.took > wait+margin {
			t.Fatalf("a request with the pool spent took %s, pool wait %s + margin %s", a.took, wait, margin)
		}
		t.Logf("a request with the pool spent answered UNAVAILABLE in %s (pool wait %s)", a.took, wait)
	case <-time.After(wait + margin):
		release()
		a := <-probe
		t.Fatalf("a request with the pool spent had no answer after pool wait %s + margin %s; it answered %v in %s once the lock was released",
			wait, margin, a.res.Errors, a.took)
	}
	if logs := h.logs.String(); !strings.Contains(logs, "request_id=pool-probe") {
		t.Fatalf("the probe's UNAVAILABLE is not logged with its request id:\n%s", logs)
	}

	// Released, the held requests finish normally.
	release()
	for range 2 {
		a := <-holders
		if a.err != nil || len(a.res.Errors) > 0 {
			t.Fatalf("a request held by the lock failed once it was released: %v %+v", a.err, a.res.Errors)
		}
	}
}
