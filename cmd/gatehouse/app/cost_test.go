package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/adapters/token"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// fanOut is the document of issue 15: F1 spreads F0 twice, F2 spreads F1
// twice, … so that about a kilobyte expands to 2^depth fields.
func fanOut(depth int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "query Q { ...F%d }\nfragment F0 on Query { serverInfo { version } }\n", depth)
	for i := 1; i <= depth; i++ {
		fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
	}
	return b.String()
}

func hostileDocuments() []struct{ name, query string } {
	var wide, deep, many, repeated strings.Builder
	wide.WriteString("{ serverInfo {")
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&wide, " v%d: version", i)
	}
	wide.WriteString(" } }")

	deep.WriteString(`{ __type(name: "Query") {`)
	for i := 0; i < 20; i++ {
		deep.WriteString(" fields { type {")
	}
	deep.WriteString(" name" + strings.Repeat(" } }", 20) + " } }")

	many.WriteString("{ serverInfo {")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&many, " ...S%d", i)
	}
	many.WriteString(" } }\n")
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&many, "fragment S%d on ServerInfo { version serverTime }\n", i)
	}

	repeated.WriteString("{ serverInfo {" + strings.Repeat(" ...V", 600) + " } }\nfragment V on ServerInfo { version }")

	return []struct{ name, query string }{
		{"fan-out depth 16", fanOut(16)},
		{"fan-out depth 20", fanOut(20)},
		{"fan-out depth 24", fanOut(24)},
		{"fan-out depth 40", fanOut(40)},
		{"wide aliases", wide.String()},
		{"deep nesting", deep.String()},
		{"many fragments", many.String()},
		{"repeated spreads of one fragment", repeated.String()},
		{"fragment cycle", "{ ...A } fragment A on Query { serverInfo { version } ...B } fragment B on Query { ...A }"},
	}
}

func TestHostileQueriesAreRefusedBeforeValidation(t *testing.T) {
	t.Run("dev", func(t *testing.T) { refusesHostileQueries(t, newHarness(t)) })
	t.Run("prod", func(t *testing.T) { refusesHostileQueries(t, newHarness(t, asProd(t))) })
}

func refusesHostileQueries(t *testing.T, h *harness) {
	var warm struct{ ServerInfo struct{ Version string } }
	h.ok("", "{ serverInfo { version } }", nil, &warm)
	baseline := runtime.NumGoroutine()
	for _, doc := range hostileDocuments() {
		start := time.Now()
		r := h.post("", doc.query, nil)
		took := time.Since(start)
		t.Logf("%s (%d bytes): refused in %v", doc.name, len(doc.query), took)
		if r.code() != "VALIDATION_FAILED" || r.Errors[0].Extensions["reason"] != "QUERY_TOO_COMPLEX" {
			t.Fatalf("%s: want VALIDATION_FAILED/QUERY_TOO_COMPLEX, got %+v after %v", doc.name, r.Errors, took)
		}
		must(t, len(r.Data) == 0 || string(r.Data) == "null", "%s: data %s", doc.name, r.Data)
		// Not a speed target (benchmarks hold those): a bound that an
		// expansion of 2^40 fields could never meet, loose enough for a
		// loaded CI machine under -race (a refusal takes about 1 ms, the
		// many-fragments document up to ~130 ms there).
		must(t, took < 5*time.Second, "%s: refused after %v: was the document expanded?", doc.name, took)
	}
	// Nothing keeps working on them: the goroutines are back to the count
	// before (polled briefly: a response is written before its handler ends).
	var n int
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if n = runtime.NumGoroutine(); n <= baseline {
			break
		}
	}
	must(t, n <= baseline, "%d goroutines after the hostile queries, %d before", n, baseline)
	must(t, !strings.Contains(h.logs.String(), "level=ERROR"), "refusals were logged as errors:\n%s", h.logs.String())
}

// introspectionQuery is the query GraphiQL and the playground send: it
// must stay within the limits.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type {
  kind name
  ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }
}`

func TestLegitimateQueriesStayWithinTheQueryLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var out struct {
		Schema struct{ Types []struct{ Name string } } `json:"__schema"`
	}
	h.ok("", introspectionQuery, nil, &out)
	must(t, len(out.Schema.Types) > 20, "introspection answered %d types", len(out.Schema.Types))
	// At the limits exactly: accepted.
	limits := "{ serverInfo {" + strings.Repeat(" ...V", 100) + " } } fragment V on ServerInfo { a: version }"
	r := h.post("", limits, nil)
	must(t, r.code() == "", "100 aliases: %+v", r.Errors)
}

func TestIntrospectionOffIsForbiddenNotInternal(t *testing.T) {
	t.Parallel()
	h := newHarness(t, asProd(t))
	for _, q := range []string{
		"{ __schema { types { name } } }",
		`{ __type(name: "User") { name } }`,
		`query { serverInfo { version } ...I } fragment I on Query { __schema { queryType { name } } }`,
	} {
		r := h.fails("", q, nil, "FORBIDDEN")
		must(t, r.Errors[0].Extensions["reason"] == "INTROSPECTION_DISABLED", "%s: %+v", q, r.Errors)
		must(t, len(r.Data) == 0 || string(r.Data) == "null", "%s: data %s", q, r.Data)
	}
	var tn struct {
		Typename string `json:"__typename"`
	}
	h.ok("", "{ __typename }", nil, &tn)
	must(t, tn.Typename == "Query", "__typename: %q", tn.Typename)
	must(t, !strings.Contains(h.logs.String(), "level=ERROR"), "introspection was logged as an error:\n%s", h.logs.String())
}

func TestMalformedBodyIsNotEchoed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const pin = "482913"
	for _, body := range []string{
		`{"query": "mutation { signInWithPin(input: {phone: \"+447911123456\", pin: \"` + pin + `\", deviceId: \"d\"}) { __typename } }"`,
		`{"query": "mutation S($p: String!) { x }", "variables": {"pin": "` + pin + `"}`,
		`{"query": "{ x }", "variables": "` + pin + `"}`,
		`{"query": ` + pin + `}`,
		`pin=` + pin,
	} {
		res, err := h.srv.Client().Post(h.srv.URL+"/graphql", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		must(t, !strings.Contains(string(raw), pin), "the answer repeats the body: %s", raw)
		var out gqlResponse
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("answer %q: %v", raw, err)
		}
		must(t, res.StatusCode == http.StatusBadRequest, "status %d", res.StatusCode)
		must(t, out.code() == "VALIDATION_FAILED" && out.Errors[0].Extensions["reason"] == "BAD_REQUEST", "answer %s", raw)
	}
	must(t, !strings.Contains(h.logs.String(), pin), "the body reached the logs:\n%s", h.logs.String())
}

// holdUsers locks the users table in a transaction until the returned
// release is called (or the test ends): operations reading users wait.
func holdUsers(t *testing.T, db *bun.DB) (release func()) {
	t.Helper()
	tx, err := db.BeginTx(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			_ = tx.Rollback()
		}
	}
	t.Cleanup(release)
	return release
}

// lockWaiters counts the statements of this database waiting for a lock.
func lockWaiters(t *testing.T, db *bun.DB) int {
	t.Helper()
	var n int
	if err := db.NewRaw("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").
		Scan(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond for up to limit.
func waitFor(limit time.Duration, cond func() bool) bool {
	for deadline := time.Now().Add(limit); ; time.Sleep(20 * time.Millisecond) {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
	}
}

const qSignupStatus = `query S($phone: String!) { phoneSignupStatus(phone: $phone) }`

// postCtx is harness.post with the client's own context.
func (h *harness) postCtx(ctx context.Context, query string, vs map[string]any) (gqlResponse, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vs})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := h.srv.Client().Do(req)
	if err != nil {
		return gqlResponse{}, err
	}
	defer res.Body.Close()
	var out gqlResponse
	err = json.NewDecoder(res.Body).Decode(&out)
	return out, err
}

func TestSlowOperationIsCutAtTheDeadline(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	h := newHarness(t, func(c *app.Config) { c.RequestTimeout = timeout })
	release := holdUsers(t, h.db)
	// Without a deadline the operation would wait for the lock: the
	// client gives up after 5 s, so that a failure does not hang.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	r, err := h.postCtx(ctx, qSignupStatus, vars("phone", "+447911123470"))
	took := time.Since(start)
	if err != nil {
		t.Fatalf("no answer after %v: %v", took, err)
	}
	t.Logf("cut after %v (deadline %v)", took, timeout)
	must(t, r.code() == "UNAVAILABLE" && r.Errors[0].Extensions["reason"] == "DEADLINE_EXCEEDED", "answer %+v", r.Errors)
	must(t, len(r.Errors) == 1, "errors %+v", r.Errors)
	must(t, took < timeout+2*time.Second, "answered after %v", took)
	// The statement itself was stopped, not left waiting for the lock.
	must(t, waitFor(3*time.Second, func() bool { return lockWaiters(t, h.db) == 0 }), "the statement still waits for the lock")
	release()
	var st struct{ PhoneSignupStatus string }
	h.ok("", qSignupStatus, vars("phone", "+447911123470"), &st)
	must(t, st.PhoneSignupStatus == "NOT_REGISTERED", "status %q", st.PhoneSignupStatus)
}

func TestClientGoneStopsTheOperation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.RequestTimeout = time.Minute })
	holdUsers(t, h.db)
	ctx, cancel := context.WithCancel(context.Background())
	gone := make(chan error, 1)
	go func() {
		_, err := h.postCtx(ctx, qSignupStatus, vars("phone", "+447911123471"))
		gone <- err
	}()
	must(t, waitFor(5*time.Second, func() bool { return lockWaiters(t, h.db) == 1 }), "the operation never reached the database")
	cancel()
	<-gone
	// The lock is still held, the deadline a minute away: only the client
	// going away can have stopped the statement.
	must(t, waitFor(3*time.Second, func() bool { return lockWaiters(t, h.db) == 0 }),
		"the statement still waits for the lock after the client left")
}

// asProd turns the harness's configuration into a production one (as
// GATEHOUSE_ENV=prod loads it, with the keys and providers it demands),
// keeping the harness's database, folders, address and cheap hashing.
func asProd(t *testing.T) func(*app.Config) {
	return func(c *app.Config) {
		if _, err := token.LoadOrCreateKey(c.SigningKeyFile, true); err != nil {
			t.Fatal(err)
		}
		env := map[string]string{"GATEHOUSE_ENV": "prod", "DATABASE_URL": c.DatabaseURL,
			"GATEHOUSE_SIGNING_KEY_FILE": c.SigningKeyFile, "GATEHOUSE_OTP_HMAC_KEY": strings.Repeat("0a", 32),
			"GATEHOUSE_TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "GATEHOUSE_TWILIO_AUTH_TOKEN": "t",
			"GATEHOUSE_TWILIO_FROM": "+15005550006", "GATEHOUSE_DATA_KEY": strings.Repeat("0b", 32),
			"GATEHOUSE_SMTP_HOST": "smtp.example.com", "GATEHOUSE_SMTP_FROM": "no-reply@example.com",
			"GATEHOUSE_BLOB_KEYS": "k1:" + strings.Repeat("ab", 32), "GATEHOUSE_WALLET_SEED": strings.Repeat("0c", 32)}
		p, err := app.Load(func(k string) string { return env[k] })
		if err != nil {
			t.Fatal(err)
		}
		p.DataDir, p.BlobDir, p.HTTPAddr, p.LogLevel, p.DevAdminPhone = c.DataDir, c.BlobDir, c.HTTPAddr, c.LogLevel, c.DevAdminPhone
		p.Argon2MemoryKiB, p.Argon2Iterations, p.Argon2Parallelism = c.Argon2MemoryKiB, c.Argon2Iterations, c.Argon2Parallelism
		*c = p
	}
}
