package main

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	for _, c := range []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{ms(7), 50, 7 * time.Millisecond},
		{ms(7), 99, 7 * time.Millisecond},
		{ms(1, 2), 50, 1 * time.Millisecond}, // nearest rank: ceil(0.5·2) = 1st
		{ms(1, 2, 3), 50, 2 * time.Millisecond},
		{ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{ms(hundred...), 50, 50 * time.Millisecond},
		{ms(hundred...), 99, 99 * time.Millisecond}, // not 100: 0.99·100 is exactly 99
		{ms(hundred...), 100, 100 * time.Millisecond},
		{ms(append(hundred, 1000)...), 99, 100 * time.Millisecond}, // ceil(0.99·101) = 100th
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 99, 10 * time.Millisecond},
	} {
		if got := percentile(c.sorted, c.p); got != c.want {
			t.Errorf("p%v of %v = %v, want %v", c.p, c.sorted, got, c.want)
		}
	}
	r := result{elapsed: 2 * time.Second, samples: []sample{{3 * time.Millisecond, ""}, {1 * time.Millisecond, "UNAVAILABLE"},
		{2 * time.Millisecond, "UNAVAILABLE"}, {9 * time.Millisecond, "TRANSPORT"}}}
	if got := r.latencies(); got[0] != time.Millisecond || got[3] != 9*time.Millisecond {
		t.Errorf("latencies not sorted: %v", got)
	}
	if got := describeErrors(r.errors()); got != "TRANSPORT×1, UNAVAILABLE×2" {
		t.Errorf("errors: %q", got)
	}
	if got := r.perSecond(); got != 2 {
		t.Errorf("req/s = %v, want 2 (failures count as requests)", got)
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, ok := range []string{"127.0.0.1:0", "127.0.0.1:8080", "127.1.2.3:9", "[::1]:8080", "localhost:0"} {
		if err := checkLoopback(ok); err != nil {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{":8080", "0.0.0.0:8080", "[::]:8080", "10.0.0.5:8080", "192.168.1.2:80",
		"example.com:80", "localhost.example.com:80", "127.0.0.1", "[::ffff:10.0.0.1]:80", "127.0.0.1:"} {
		if err := checkLoopback(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if _, err := parseFlags([]string{"-addr", "0.0.0.0:8080"}, io.Discard); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("-addr 0.0.0.0:8080: %v", err)
	}
	for _, ok := range []string{"", "postgres://u:p@127.0.0.1:5432/gatehouse?sslmode=disable", "postgres://localhost/db",
		"postgres://u@[::1]:5433/db", "host=/var/run/postgresql dbname=gatehouse"} {
		if err := checkDatabaseURL(ok); err != nil {
			t.Errorf("DATABASE_URL %s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"postgres://u:p@db.internal:5432/gatehouse", "postgres://u@10.1.2.3/db",
		"postgres://u@127.0.0.1,10.1.2.3/db", "host=db.example.com dbname=x"} {
		if err := checkDatabaseURL(bad); err == nil {
			t.Errorf("DATABASE_URL %s accepted", bad)
		}
	}
	addr, err := listenAddr("127.0.0.1:0")
	if err != nil || strings.HasSuffix(addr, ":0") || checkLoopback(addr) != nil {
		t.Errorf("listenAddr: %q, %v", addr, err)
	}
}

func TestFlags(t *testing.T) {
	c, err := parseFlags(nil, io.Discard)
	if err != nil || c.conns != 16 || len(c.only) != 5 || c.addr != "127.0.0.1:0" || c.out != "docs/bench/load.md" {
		t.Errorf("defaults: %+v, %v", c, err)
	}
	c, err = parseFlags([]string{"-only", "me, otp", "-conns", "8", "-duration", "3s"}, io.Discard)
	if err != nil || strings.Join(c.only, ",") != "me,otp" || c.conns != 8 || c.duration != 3*time.Second {
		t.Errorf("-only me, otp: %+v, %v", c, err)
	}
	for _, bad := range [][]string{{"-only", "me,whoami"}, {"-only", ","}, {"-conns", "0"}, {"-duration", "0s"},
		{"-timeout", "48h"}, {"-portfolios", "21"}, {"extra"}} {
		if _, err := parseFlags(bad, io.Discard); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func TestErrorCode(t *testing.T) {
	for _, c := range []struct {
		status int
		body   string
		want   string
	}{
		{200, `{"data":{"me":{"id":"u1"}}}`, ""},
		{200, `{"errors":[{"message":"no","extensions":{"code":"UNAUTHENTICATED"}},{"message":"x","extensions":{"code":"FORBIDDEN"}}],"data":null}`, "UNAUTHENTICATED"},
		{200, `{"errors":[{"message":"db","extensions":{"code":"UNAVAILABLE","retryAfterSeconds":5}}],"data":{"me":null}}`, "UNAVAILABLE"},
		{422, `{"errors":[{"message":"the query could not be parsed","extensions":{"code":"VALIDATION_FAILED","reason":"GRAPHQL_PARSE_FAILED"}}]}`, "VALIDATION_FAILED"},
		{200, `{"errors":[{"message":"odd"}]}`, "NO_CODE"},
		{502, `<html>Bad Gateway</html>`, "HTTP_502"},
		{500, `{"data":{}}`, "HTTP_500"},
		{200, ``, "HTTP_200"},
	} {
		_, oe := errorCode(c.status, []byte(c.body))
		got := ""
		if oe != nil {
			got = oe.code
		}
		if got != c.want {
			t.Errorf("HTTP %d %s: code %q, want %q", c.status, c.body, got, c.want)
		}
	}
	if got := codeOf(&opError{"LOCKED", "x"}); got != "LOCKED" {
		t.Errorf("codeOf(opError) = %q", got)
	}
	if got := codeOf(io.ErrUnexpectedEOF); got != "TRANSPORT" {
		t.Errorf("codeOf(transport error) = %q", got)
	}
	check := signedIn("signInWithPin")
	if err := check([]byte(`{"signInWithPin":{"status":"SIGNED_IN","auth":{"accessToken":"eyJ"}}}`)); err != nil {
		t.Errorf("SIGNED_IN: %v", err)
	}
	if err := check([]byte(`{"signInWithPin":{"status":"DEVICE_VERIFICATION_REQUIRED","auth":null}}`)); codeOf(err) != "STATUS_DEVICE_VERIFICATION_REQUIRED" {
		t.Errorf("a challenge on a trusted device: %v", err)
	}
}

// The lines are as the console senders write them (README, readme_test).
func TestDevMessages(t *testing.T) {
	sms := `time=2026-12-06T23:21:52Z level=INFO msg="dev sms (console adapter, not delivered)" to=+447911123456 text="Gatehouse: your code is 043970. It expires in 2 minutes. Never share it with anyone."`
	email := `time=2026-12-06T23:21:52Z level=INFO msg="dev email (console adapter, not delivered)" to=ada@example.com subject="Gatehouse verification code" text="Your Gatehouse verification code is 318204.\r\n\r\nIt expires in 2 minutes."`
	for _, c := range []struct{ line, to, code string }{
		{sms, "+447911123456", "043970"},
		{email, "ada@example.com", "318204"},
		{`level=INFO msg="dev email (console adapter, not delivered)" to="odd name@example.com" subject=x text="code 123456"`, "odd name@example.com", "123456"},
	} {
		to, code, ok := parseDevMessage(c.line)
		if !ok || to != c.to || code != c.code {
			t.Errorf("%s: %q %q %v", c.line, to, code, ok)
		}
	}
	for _, line := range []string{`level=INFO msg="gatehouse listening" addr=127.0.0.1:8080`,
		`level=INFO msg="dev sms (console adapter, not delivered)" to=+447911123456 text="Your PIN was changed."`} {
		if _, _, ok := parseDevMessage(line); ok {
			t.Errorf("a code read from %s", line)
		}
	}

	b := newCodeBook()
	first := b.expect("+447911123456")
	other := b.expect("ada@example.com")
	b.line(sms)
	b.line(sms) // nobody waits any more: dropped, not blocking
	select {
	case c := <-first:
		if c != "043970" {
			t.Errorf("code %q", c)
		}
	default:
		t.Error("the SMS code was not handed over")
	}
	select {
	case c := <-other:
		t.Errorf("the email waiter got %q from an SMS", c)
	default:
	}
	b.forget("ada@example.com")
	b.line(email)
	select {
	case c := <-other:
		t.Errorf("a forgotten waiter got %q", c)
	default:
	}
}

func TestStatusKiB(t *testing.T) {
	status := "Name:\tgatehouse\nVmPeak:\t 1300000 kB\nVmHWM:\t  163840 kB\nVmRSS:\t   90000 kB\n"
	if got, err := statusKiB(status, "VmHWM"); err != nil || got != 160<<20 {
		t.Errorf("VmHWM = %d, %v", got, err)
	}
	if _, err := statusKiB("Name:\tx\n", "VmHWM"); err == nil {
		t.Error("a missing VmHWM read as a number")
	}
}

// The OTP journey signs up a new number each time: every number handed
// out must be one the service takes as a mobile, and none may repeat
// within a run.
func TestPhones(t *testing.T) {
	seen := map[string]bool{}
	p := &phones{}
	p.next.Store(phoneRange - 500) // across the wrap
	for range 1000 {
		n := p.take()
		if seen[n] {
			t.Fatalf("%s handed out twice", n)
		}
		seen[n] = true
	}
	for i := int64(0); i < phoneRange; i += 7919 {
		n := phoneAt(i)
		num, err := phonenumbers.Parse(n, "")
		if err != nil || !phonenumbers.IsValidNumber(num) || phonenumbers.GetNumberType(num) != phonenumbers.MOBILE {
			t.Errorf("%s is not a valid mobile number (%v)", n, err)
		}
	}
}

// The report's command runs the same tool again when pasted into a shell.
func TestCommandLine(t *testing.T) {
	got := commandLine([]string{"-bin", "bin/gatehouse", "-note", "smoke run — don't quote me", "-only", "me,users", "-out", ""})
	want := `go run ./cmd/gatehouse-load -bin bin/gatehouse -note 'smoke run — don'\''t quote me' -only me,users -out ''`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
