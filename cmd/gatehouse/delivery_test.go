package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/adapters/token"
)

// fakeTwilio answers as Twilio's Messages API does (form POST, basic
// auth, 201 with a message sid; errors as Twilio's JSON), in the mode the
// test sets: down (503), slow, or refusing some numbers (400, 21211).
type fakeTwilio struct {
	mu       sync.Mutex
	down     bool
	slow     time.Duration
	invalid  map[string]bool
	got      map[string][]string // bodies by number
	tries    atomic.Int64
	inflight atomic.Int32
}

func newFakeTwilio() *fakeTwilio {
	return &fakeTwilio{invalid: map[string]bool{}, got: map[string][]string{}}
}

func (f *fakeTwilio) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, pass, _ := r.BasicAuth()
	if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/Accounts/"+twilioSID+"/Messages.json") ||
		user != twilioSID || pass != "secret-token" {
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	_ = r.ParseForm()
	to, body := r.PostForm.Get("To"), r.PostForm.Get("Body")
	f.tries.Add(1)
	f.mu.Lock()
	down, slow, invalid := f.down, f.slow, f.invalid[to]
	f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch {
	case down:
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"code":20503,"message":"Service Unavailable","status":503}`)
		return
	case invalid:
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"code":21211,"message":"The 'To' number %s is not a valid phone number.","status":400}`, to)
		return
	}
	if slow > 0 {
		f.inflight.Add(1)
		time.Sleep(slow)
		f.inflight.Add(-1)
	}
	f.mu.Lock()
	f.got[to] = append(f.got[to], body)
	f.mu.Unlock()
	w.WriteHeader(http.StatusCreated)
	_, _ = io.WriteString(w, `{"sid":"SM0123456789abcdef0123456789abcdef","status":"queued"}`)
}

func (f *fakeTwilio) set(fn func(f *fakeTwilio)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

// received is how many messages each number got.
func (f *fakeTwilio) received() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string]int{}
	for to, b := range f.got {
		out[to] = len(b)
	}
	return out
}

// instance is one `gatehouse serve` on a shared database.
type instance struct {
	addr   string
	cmd    *exec.Cmd
	out    *lockedBuffer
	exited <-chan struct{} // closed when the process has exited (and been waited for)
}

// serveWith starts a production instance on db sending SMS through the
// fake Twilio at twilioURL; instances on one database share its keys.
func serveWith(t *testing.T, db, keyFile, twilioURL string, extra ...string) *instance {
	t.Helper()
	envs := append(append(prodEnv(t), "DATABASE_URL="+db, "GATEHOUSE_DATA_DIR="+t.TempDir(),
		"GATEHOUSE_SIGNING_KEY_FILE="+keyFile, "GATEHOUSE_TWILIO_BASE_URL="+twilioURL,
		"GATEHOUSE_TWILIO_MAX_ATTEMPTS=1", "GATEHOUSE_OTP_CLIENT_SENDS_PER_HOUR=100000",
		"GATEHOUSE_RATE_SIGNUP_STARTS_PER_HOUR=100000", "GATEHOUSE_DELIVERY_POLL_INTERVAL=50ms"), extra...)
	if up, out := gatehouse(t, envs, "migrate", "up"); up.Run() != nil {
		t.Fatalf("migrate up:\n%s", out)
	}
	// The port is picked just before the start, and picked again should
	// a parallel test's process have taken it meanwhile.
	for try := 1; ; try++ {
		addr := freeAddr(t)
		cmd, out := gatehouse(t, append(envs, "GATEHOUSE_HTTP_ADDR="+addr), "serve")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
		if serving("http://"+addr+"/readyz", exited) {
			return &instance{addr: addr, cmd: cmd, out: out, exited: exited}
		}
		if try < 3 && strings.Contains(out.String(), "address already in use") {
			continue
		}
		t.Fatalf("gatehouse serve did not start:\n%s", out)
	}
}

// serving waits until url answers 200 (true), or exited is closed (the
// process is gone; nil: never) or 30 s passed (false).
func serving(url string, exited <-chan struct{}) bool {
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 2 * time.Second}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		select {
		case <-exited:
			return false
		case <-time.After(50 * time.Millisecond):
		}
		if res, err := client.Get(url); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return true
			}
		}
	}
	return false
}

func signingKey(t *testing.T) string {
	t.Helper()
	keyFile := filepath.Join(t.TempDir(), "signing.pem")
	if _, err := token.LoadOrCreateKey(keyFile, true); err != nil {
		t.Fatal(err)
	}
	return keyFile
}

// gql posts query with vars and decodes data into dst; it returns the
// first error's code ("" when none).
func gql(t *testing.T, addr, query string, vars map[string]any, dst any) string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	var res struct {
		Data   json.RawMessage
		Errors []struct{ Extensions map[string]any }
	}
	if err := json.Unmarshal([]byte(postGraphQL(t, addr, string(body))), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) > 0 {
		code, _ := res.Errors[0].Extensions["code"].(string)
		return code
	}
	if dst != nil {
		if err := json.Unmarshal(res.Data, dst); err != nil {
			t.Fatal(err)
		}
	}
	return ""
}

const (
	mStartSignup = `mutation($p: String!) { startPhoneSignup(input: {phone: $p}) { id } }`
	qChallenge   = `query($id: ID!) { otpChallenge(input: {challengeId: $id}) { delivery { status failure } } }`
)

type challengeDelivery struct {
	OtpChallenge struct {
		Delivery *struct{ Status, Failure string }
	}
}

// startSignup asks instance i for a code to phone and returns the
// challenge id and how long the answer took.
func startSignup(t *testing.T, i *instance, phone string) (string, time.Duration) {
	t.Helper()
	var out struct{ StartPhoneSignup struct{ ID string } }
	start := time.Now()
	if code := gql(t, i.addr, mStartSignup, map[string]any{"p": phone}, &out); code != "" {
		t.Fatalf("startPhoneSignup(%s): %s", phone, code)
	}
	return out.StartPhoneSignup.ID, time.Since(start)
}

func deliveryOf(t *testing.T, i *instance, id string) (status, failure string) {
	t.Helper()
	var d challengeDelivery
	if code := gql(t, i.addr, qChallenge, map[string]any{"id": id}, &d); code != "" {
		t.Fatalf("otpChallenge: %s", code)
	}
	if d.OtpChallenge.Delivery == nil {
		return "", ""
	}
	return d.OtpChallenge.Delivery.Status, d.OtpChallenge.Delivery.Failure
}

func waitFor(t *testing.T, what string, limit time.Duration, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %s", what, limit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(start)
}

// TestDeliveryOutlivesAProviderOutage is the outage: the SMS
// provider is down while sign-ups come in on two instances sharing one
// database. Every request answers at once; when the provider comes back
// every code is delivered, none twice, by both instances' workers; a
// number the provider refuses for good is told to its user.
func TestDeliveryOutlivesAProviderOutage(t *testing.T) {
	t.Parallel()
	tw := newFakeTwilio()
	srv := httptest.NewServer(tw)
	defer srv.Close()
	const refused = "+447911149999"
	tw.set(func(f *fakeTwilio) { f.down, f.invalid[refused] = true, true })
	db, key := pgtest.URL(t), signingKey(t)
	a, b := serveWith(t, db, key, srv.URL), serveWith(t, db, key, srv.URL)

	const n = 40
	phones := make([]string, n)
	ids := make([]string, n)
	var mu sync.Mutex
	var slowest time.Duration
	outage := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		phones[i] = fmt.Sprintf("+4479111400%02d", i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			on := a
			if i%2 == 1 {
				on = b
			}
			id, took := startSignup(t, on, phones[i])
			mu.Lock()
			ids[i], slowest = id, max(slowest, took)
			mu.Unlock()
		}()
	}
	wg.Wait()
	must(t, slowest < 2*time.Second, "a sign-up waited %s on the provider that is down", slowest)
	// Every message is tried and fails; the user sees it being retried.
	waitFor(t, "a first try of every message", 20*time.Second, func() bool { return tw.tries.Load() >= n })
	waitFor(t, "the challenge shows RETRYING", 10*time.Second, func() bool {
		s, _ := deliveryOf(t, a, ids[0])
		return s == "RETRYING"
	})
	must(t, len(tw.received()) == 0, "sent while the provider was down")

	// The refused number, whatever the provider's state, fails for good
	// and says so: it is not an outage.
	tw.set(func(f *fakeTwilio) { f.down = false })
	refusedID, _ := startSignup(t, b, refused)
	waitFor(t, "the refused number's failure", 10*time.Second, func() bool {
		s, f := deliveryOf(t, a, refusedID)
		return s == "FAILED" && f == "INVALID_DESTINATION"
	})
	tw.set(func(f *fakeTwilio) { f.down = true })

	// Down for at least 3 s in all, then back.
	time.Sleep(time.Until(outage.Add(3 * time.Second)))
	down := time.Since(outage)
	triesDown := tw.tries.Load()
	tw.set(func(f *fakeTwilio) { f.down = false })
	drain := waitFor(t, "every code delivered after the outage", 60*time.Second, func() bool {
		got := tw.received()
		for _, p := range phones {
			if got[p] == 0 {
				return false
			}
		}
		return true
	})
	// None twice, even once the workers have had time for more.
	time.Sleep(1500 * time.Millisecond)
	got := tw.received()
	for _, p := range phones {
		must(t, got[p] == 1, "%s got %d messages", p, got[p])
	}
	must(t, got[refused] == 0, "the refused number was sent to")
	s, f := deliveryOf(t, b, ids[n-1])
	must(t, s == "SENT" && f == "", "after delivery: %s %s", s, f)

	// The code works, on either instance.
	tw.mu.Lock()
	code := codeIn(tw.got[phones[3]][0])
	tw.mu.Unlock()
	var ver struct{ VerifyPhoneSignup struct{ Ticket string } }
	c := gql(t, a.addr, `mutation($id: ID!, $c: String!) { verifyPhoneSignup(input: {challengeId: $id, code: $c}) { ticket } }`,
		map[string]any{"id": ids[3], "c": code}, &ver)
	must(t, c == "" && ver.VerifyPhoneSignup.Ticket != "", "the delivered code: %s", c)

	// Both instances' workers sent some: they share the queue.
	sentA, sentB := strings.Count(a.out.String(), "sms sent"), strings.Count(b.out.String(), "sms sent")
	must(t, sentA > 0 && sentB > 0 && sentA+sentB == n, "instance A sent %d, B %d, of %d", sentA, sentB, n)
	t.Logf("outage: %d messages queued on 2 instances (slowest answer %s); provider down %s (%d failed tries); "+
		"back: all %d delivered once in %s (A %d, B %d)", n, slowest.Round(time.Millisecond),
		down.Round(time.Millisecond), triesDown, n, drain.Round(time.Millisecond), sentA, sentB)
}

// TestSIGTERMDrainsTheDeliveryWorkers: a SIGTERM while a message is with
// a slow provider lets that try finish before the process exits.
func TestSIGTERMDrainsTheDeliveryWorkers(t *testing.T) {
	t.Parallel()
	tw := newFakeTwilio()
	tw.set(func(f *fakeTwilio) { f.slow = 2 * time.Second })
	srv := httptest.NewServer(tw)
	defer srv.Close()
	i := serveWith(t, pgtest.URL(t), signingKey(t), srv.URL, "GATEHOUSE_TWILIO_TIMEOUT=10s")
	const phone = "+447911149001"
	_, took := startSignup(t, i, phone)
	must(t, took < time.Second, "the answer waited on the slow provider: %s", took)
	waitFor(t, "the message with the provider", 10*time.Second, func() bool { return tw.inflight.Load() == 1 })
	start := time.Now()
	if err := i.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-i.exited:
		must(t, i.cmd.ProcessState.Success(), "exit after SIGTERM: %v\n%s", i.cmd.ProcessState, i.out)
	case <-time.After(30 * time.Second):
		t.Fatalf("no exit 30 s after SIGTERM\n%s", i.out)
	}
	must(t, tw.received()[phone] == 1, "the message under way was cut by the stop")
	log := i.out.String()
	server, workers := strings.Index(log, "draining in-flight requests"), strings.Index(log, "delivery workers drained")
	must(t, server >= 0 && workers > server, "the workers must stop after the HTTP server:\n%s", log)
	t.Logf("SIGTERM with a try under way: exited after %s, the message delivered", time.Since(start).Round(time.Millisecond))
}
