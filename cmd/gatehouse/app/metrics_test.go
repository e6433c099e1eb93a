package app_test

import (
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const qAdminMetrics = `query($from: Time!, $to: Time!, $interval: MetricInterval) {
	adminMetrics(from: $from, to: $to, interval: $interval) { from to interval
		totals { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers }
		series { start signUps signInsSucceeded signInsFailed otpsSent kycPending kycApproved kycRejected activeUsers } } }`

type gqlMetricPoint struct {
	Start            time.Time
	SignUps          int
	SignInsSucceeded int
	SignInsFailed    int
	OtpsSent         int
	KycPending       int
	KycApproved      int
	KycRejected      int
	ActiveUsers      int
}

type gqlAdminMetrics struct {
	From, To time.Time
	Interval string
	Totals   gqlMetricPoint
	Series   []gqlMetricPoint
}

// scrape GETs /metrics at base and returns the body.
func scrape(t testing.TB, base string) (int, string) {
	t.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatalf("GET /metrics: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(body)
}

// sample is the value of the series written exactly as series (name and
// labels in exposition order) in body, -1 when absent.
func sample(body, series string) float64 {
	for _, line := range strings.Split(body, "\n") {
		if rest, ok := strings.CutPrefix(line, series+" "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			if err != nil {
				return -1
			}
			return v
		}
	}
	return -1
}

func TestOperationsMetricsOverHTTP(t *testing.T) {
	h := newHarness(t)
	// The staff sign-in is a new-device sign-in verified by SMS.
	h.staff("ADMIN", "+447911200001")
	member := h.signUp("+447911200002", "4831", "phone-2")

	_, before := scrape(t, h.srv.URL)
	pinFailed := `gatehouse_sign_ins_total{method="pin",result="failed"}`
	must(t, sample(before, pinFailed) == 0, "pin failures before any: %v", sample(before, pinFailed))
	must(t, sample(before, `gatehouse_sign_ins_total{method="device",result="succeeded"}`) == 1,
		"the staff device sign-in was not counted:\n%s", grep(before, "gatehouse_sign_ins_total"))

	h.fails("", mSignIn, vars("phone", "+447911200002", "pin", "9999", "device", "phone-2"), "UNAUTHENTICATED")
	// A client-chosen operation name never becomes a label value.
	h.fails(member.AccessToken, `query EvilOperationName { adminMetrics(from: "2026-11-23T00:00:00Z", to: "2026-11-24T00:00:00Z") { from } }`,
		nil, "FORBIDDEN")
	h.fails("", `query { noSuchField }`, nil, "VALIDATION_FAILED")
	// Several root fields are one "multiple" label, whatever their mix.
	h.fails("", `query { users { totalCount } labelKeys { key } permissions { id } }`, nil, "UNAUTHENTICATED")

	status, body := scrape(t, h.srv.URL)
	must(t, status == http.StatusOK, "GET /metrics in dev: %d", status)
	for series, want := range map[string]float64{
		pinFailed: 1,
		`gatehouse_graphql_operations_total{operation="signInWithPin",outcome="UNAUTHENTICATED"}`:  1,
		`gatehouse_graphql_operations_total{operation="adminMetrics",outcome="FORBIDDEN"}`:         1,
		`gatehouse_graphql_operations_total{operation="unknown",outcome="VALIDATION_FAILED"}`:      1,
		`gatehouse_graphql_operations_total{operation="multiple",outcome="UNAUTHENTICATED"}`:       1,
		`gatehouse_graphql_operations_total{operation="completePhoneSignup",outcome="ok"}`:         1,
		`gatehouse_graphql_operation_duration_seconds_count{operation="signInWithPin"}`:            2,
		`gatehouse_otp_sends_total{channel="SMS",purpose="SIGN_IN_NEW_DEVICE",result="succeeded"}`: 1,
		`gatehouse_otp_sends_total{channel="SMS",purpose="SIGNUP",result="succeeded"}`:             1,
		`gatehouse_sign_ins_total{method="device",result="succeeded"}`:                             1,
	} {
		must(t, sample(body, series) == want, "%s = %v, want %v\n%s", series, sample(body, series), want,
			grep(body, "gatehouse_"))
	}
	must(t, !strings.Contains(body, "EvilOperationName"), "a client-chosen operation name is a label value")
	// Sign-ins and sign-ups hashed PINs, each after waiting for a slot.
	must(t, sample(body, "gatehouse_argon2_wait_seconds_count") >= 3, "argon2 waits: %v", sample(body, "gatehouse_argon2_wait_seconds_count"))
	for _, series := range []string{`go_sql_open_connections{db_name="gatehouse"}`, `go_sql_max_open_connections{db_name="gatehouse"}`,
		`go_sql_in_use_connections{db_name="gatehouse"}`, `go_sql_wait_count_total{db_name="gatehouse"}`} {
		must(t, sample(body, series) >= 0, "no %s in /metrics", series)
	}
	must(t, sample(body, `go_sql_max_open_connections{db_name="gatehouse"}`) > 0, "the pool has no connection limit in /metrics")
	must(t, strings.Contains(body, "go_goroutines ") && strings.Contains(body, "process_"), "Go and process collectors missing")
}

// grep keeps the lines of body that contain s, for failure messages.
func grep(body, s string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, s) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestMetricsHaveAListenerOfTheirOwnWhenConfigured(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	h := newHarness(t, func(c *app.Config) { c.MetricsAddr = addr })
	h.post("", `{ __typename }`, nil)

	status, _ := scrape(t, h.srv.URL)
	must(t, status == http.StatusNotFound, "GET /metrics on the main listener with GATEHOUSE_METRICS_ADDR set: %d", status)
	status, body := scrape(t, "http://"+addr)
	must(t, status == http.StatusOK && strings.Contains(body, "gatehouse_graphql_operations_total"),
		"GET /metrics on the metrics listener: %d\n%s", status, body)
	must(t, sample(body, `gatehouse_graphql_operations_total{operation="introspection",outcome="ok"}`) == 1,
		"the operation is not counted:\n%s", grep(body, "gatehouse_graphql"))
	res, err := http.Post("http://"+addr+"/graphql", "application/json", strings.NewReader(`{"query":"{ __typename }"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	must(t, res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed,
		"the metrics listener serves more than /metrics: %d", res.StatusCode)
}

func TestMetricsConfig(t *testing.T) {
	c, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev"}))
	must(t, err == nil && c.MetricsAddr == "", "default metrics address: %q %v", c.MetricsAddr, err)
	c, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_METRICS_ADDR": "127.0.0.1:9090"}))
	must(t, err == nil && c.MetricsAddr == "127.0.0.1:9090", "metrics address: %q %v", c.MetricsAddr, err)
	for _, bad := range []string{"9090", "localhost", ":8080"} {
		_, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_METRICS_ADDR": bad}))
		must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_METRICS_ADDR"), "%q accepted: %v", bad, err)
	}
}

func TestAdminMetricsCountsAScriptedDay(t *testing.T) {
	h := newHarness(t)
	// 09:00 on the harness clock: one staff user (created and signed in on
	// a new device by SMS), two phone sign-ups, one wrong PIN, one KYC
	// submission.
	admin := h.staff("ADMIN", "+447911200011")
	u1 := h.signUp("+447911200012", "4831", "phone-1")
	h.signUp("+447911200013", "4831", "phone-2")
	h.fails("", mSignIn, vars("phone", "+447911200013", "pin", "9999", "device", "phone-2"), "UNAUTHENTICATED")
	h.submitKYC(u1.AccessToken, "Ada", newKYCFiles(t, 7))
	sent := h.sms.count("+447911200011") + h.sms.count("+447911200012") + h.sms.count("+447911200013")
	must(t, sent == 3, "SMS codes sent: %d", sent)

	var d struct{ AdminMetrics gqlAdminMetrics }
	// from is aligned down to the hour; to is exclusive.
	h.ok(admin.token, qAdminMetrics, vars("from", "2026-11-23T08:30:00Z", "to", "2026-11-23T11:00:00Z", "interval", "HOUR"), &d)
	m := d.AdminMetrics
	hour := func(n int) time.Time { return time.Date(2026, 11, 23, n, 0, 0, 0, time.UTC) }
	must(t, m.From.Equal(hour(8)) && m.To.Equal(hour(11)) && m.Interval == "HOUR", "range: %+v", m)
	want := gqlMetricPoint{Start: hour(9), SignUps: 3, SignInsSucceeded: 1, SignInsFailed: 1, OtpsSent: 3, KycPending: 1, ActiveUsers: 1}
	must(t, len(m.Series) == 3, "series: %+v", m.Series)
	must(t, m.Series[0] == gqlMetricPoint{Start: hour(8)} && m.Series[2] == gqlMetricPoint{Start: hour(10)},
		"empty hours: %+v", m.Series)
	must(t, m.Series[1] == want, "09:00:\n got %+v\nwant %+v", m.Series[1], want)
	want.Start = hour(8)
	must(t, m.Totals == want, "totals:\n got %+v\nwant %+v", m.Totals, want)

	// By day (the default interval).
	h.ok(admin.token, qAdminMetrics, vars("from", "2026-11-22T17:00:00Z", "to", "2026-11-24T00:00:00Z"), &d)
	must(t, d.AdminMetrics.Interval == "DAY" && len(d.AdminMetrics.Series) == 2 && d.AdminMetrics.Series[0].SignUps == 0 &&
		d.AdminMetrics.Series[1].SignUps == 3 && d.AdminMetrics.Totals.KycPending == 1, "by day: %+v", d.AdminMetrics)

	// Members may not read it; bad ranges are refused by field.
	h.fails(u1.AccessToken, qAdminMetrics, vars("from", "2026-11-23T00:00:00Z", "to", "2026-11-24T00:00:00Z"), "FORBIDDEN")
	for _, bad := range []map[string]any{
		vars("from", "2026-11-23T00:00:00Z", "to", "2026-11-23T00:00:00Z"),
		vars("from", "2026-11-23T00:00:00Z", "to", "2026-11-22T00:00:00Z"),
		vars("from", "2025-01-01T00:00:00Z", "to", "2026-11-24T00:00:00Z"),
		vars("from", "2026-10-01T00:00:00Z", "to", "2026-11-24T00:00:00Z", "interval", "HOUR"),
	} {
		r := h.fails(admin.token, qAdminMetrics, bad, "VALIDATION_FAILED")
		fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
		must(t, fields["to"] != nil, "%v: no problem named on to: %+v", bad, r.Errors[0])
	}
	// A year PostgreSQL cannot store is refused as input, not INTERNAL.
	h.fails(admin.token, qAdminMetrics, vars("from", "0000-01-01T00:00:00Z", "to", "0000-01-02T00:00:00Z"), "VALIDATION_FAILED")
}
