package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/hydra/hydratest"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// Hydra (hydratest) starts on first use, for the OAuth2 pages end to end,
// and stops before the database goes.
func TestMain(m *testing.M) { pgtest.Main(m, hydratest.Stop) }

// harness is one Gatehouse on its own fresh database, reached over real
// HTTP, with a recording SMS sender and a clock the test moves.
type harness struct {
	t        testing.TB
	srv      *httptest.Server
	sms      *recordingSMS
	emails   *portsfake.EmailSender
	clock    *settlingClock
	logs     *syncBuffer
	db       *bun.DB
	platform *platform.Service
	ids      *identity.StaffService
	blobs    ports.BlobStore
	cfg      app.Config

	mu      sync.Mutex
	secrets map[string]string // device secrets by phone|device, as clients keep them
}

func newHarness(t testing.TB, tweak ...func(*app.Config)) *harness {
	t.Helper()
	return newHarnessWith(t, nil, tweak...)
}

// newHarnessWith is newHarness with extra fx options (decorators of ports
// a test wants to watch).
func newHarnessWith(t testing.TB, extra []fx.Option, tweak ...func(*app.Config)) *harness {
	t.Helper()
	cfg, err := app.Load(func(k string) string { return map[string]string{"GATEHOUSE_ENV": "dev"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Env = "dev"
	cfg.DatabaseURL = pgtest.URL(t)
	cfg.DataDir = t.TempDir()
	cfg.BlobDir = filepath.Join(cfg.DataDir, "blobs")
	cfg.SigningKeyFile = cfg.DataDir + "/keys/signing.pem"
	cfg.HTTPAddr = "127.0.0.1:0"
	cfg.LogLevel = slog.LevelDebug
	cfg.DevAdminPhone = "" // no dev admin printed into test output
	// Cheap argon2id parameters keep the suite fast; the benchmarks use
	// the production defaults.
	cfg.Argon2MemoryKiB, cfg.Argon2Iterations, cfg.Argon2Parallelism = 8*1024, 1, 1
	// Every test client is 127.0.0.1: the codes one client may have sent
	// in all are lifted here (TestStrangersCannotSpendTheOwnersCodes uses
	// the default, with clients of their own addresses).
	cfg.OTPClientSendsPerHour = 100000
	// Messages are sent by the delivery workers after the answer: they
	// look at the queue often here, and reading a code waits for them.
	cfg.Delivery.PollInterval = 10 * time.Millisecond
	for _, f := range tweak {
		f(&cfg)
	}
	first, sibling := siblings.Load(cfg.DatabaseURL)
	h := &harness{t: t, sms: &recordingSMS{}, emails: portsfake.NewEmailSender(), clock: &settlingClock{Manual: clock.NewManual(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))},
		logs: &syncBuffer{}, secrets: map[string]string{}}
	if sibling {
		// Another instance on the same database shares its queue: any
		// instance's workers may send a message, so the instances share
		// the recorders and the data directory's keys (as a deployment's
		// instances share GATEHOUSE_DATA_KEY and the OTP key).
		f := first.(*harness)
		h.sms, h.emails = f.sms, f.emails
		cfg.DataDir, cfg.BlobDir = f.cfg.DataDir, f.cfg.BlobDir
	}
	// Timestamps are dropped so that a secret can't collide with their digits.
	log := slog.New(slog.NewTextHandler(h.logs, &slog.HandlerOptions{Level: cfg.LogLevel,
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{}
			}
			return a
		}}))
	var handler http.Handler
	a := fx.New(
		app.Options(cfg, log),
		fx.Options(extra...),
		fx.Decorate(func(ports.SMSSender) ports.SMSSender { return h.sms }),
		fx.Decorate(func(ports.EmailSender) ports.EmailSender { return h.emails }),
		fx.Decorate(func(ports.Clock) ports.Clock { return h.clock }),
		fx.Populate(&handler, &h.db, &h.platform, &h.ids, &h.blobs, &h.cfg),
	)
	if err := a.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() {
		if err := a.Stop(context.Background()); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	h.srv = httptest.NewServer(handler)
	t.Cleanup(h.srv.Close)
	h.sms.settle = h.settle
	h.clock.settle = h.settle
	if !sibling {
		siblings.Store(cfg.DatabaseURL, h)
		t.Cleanup(func() { siblings.Delete(cfg.DatabaseURL) })
	}
	return h
}

// siblings is the first harness on each database (by its URL).
var siblings sync.Map

// settlingClock is the harness's clock: moving it first lets the delivery
// workers try what is queued, as time passing would.
type settlingClock struct {
	*clock.Manual
	settle func()
}

// Advance waits for the workers, then moves the clock.
func (c *settlingClock) Advance(d time.Duration) {
	if c.settle != nil {
		c.settle()
	}
	c.Manual.Advance(d)
}

// settle waits (up to 10 s) until the delivery workers have made the
// first try of every queued message: a code is read after it was sent, as
// a user reads it on their phone.
func (h *harness) settle() {
	h.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, err := h.db.NewSelect().Table("deliveries").Where("status = 'QUEUED' AND attempts = 0").Count(context.Background())
		if err == nil && n == 0 {
			return
		}
		if time.Now().After(deadline) {
			h.t.Logf("settle: %d message(s) still waiting for their first try (err %v)", n, err)
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// gqlError is one entry of a GraphQL response's errors.
type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
	Status int             `json:"-"`
}

// code is the first error's extensions.code, "" when none.
func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// post sends one GraphQL request, optionally with a bearer token.
func (h *harness) post(token, query string, vars map[string]any) gqlResponse {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "gatehouse-test/1.0")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		h.t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	out.Status = res.StatusCode
	return out
}

// ok posts and decodes data into dst, failing the test on any error.
func (h *harness) ok(token, query string, vars map[string]any, dst any) {
	h.t.Helper()
	r := h.post(token, query, vars)
	if len(r.Errors) > 0 {
		h.t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data, dst); err != nil {
		h.t.Fatalf("decode data %s: %v", r.Data, err)
	}
}

// fails posts and asserts the first error's code.
func (h *harness) fails(token, query string, vars map[string]any, code string) gqlResponse {
	h.t.Helper()
	r := h.post(token, query, vars)
	if r.code() != code {
		h.t.Fatalf("want error code %s, got %+v (data %s)", code, r.Errors, r.Data)
	}
	return r
}

// recordingSMS stands in for the SMS provider and keeps every message.
type recordingSMS struct {
	mu     sync.Mutex
	sent   []sms
	settle func() // waits for the delivery workers (the harness's)
	refuse map[string]error
}

// refuseTo makes sends to phone fail with err (nil: sent again).
func (r *recordingSMS) refuseTo(phone string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refuse == nil {
		r.refuse = map[string]error{}
	}
	r.refuse[phone] = err
}

type sms struct{ to, text string }

// wait lets the delivery workers send what is queued first.
func (r *recordingSMS) wait() {
	if r.settle != nil {
		r.settle()
	}
}

func (r *recordingSMS) SendSMS(_ context.Context, to, text string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.refuse[to]; err != nil {
		return err
	}
	r.sent = append(r.sent, sms{to, text})
	return nil
}

// emailCode is the code in the newest email to addr. Some flows hand the
// email over in the background, after answering: it waits (briefly) for it.
func (h *harness) emailCode(addr string) string {
	h.t.Helper()
	h.settle()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if code, ok := h.emails.LastCode(addr); ok {
			return code
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("no code was emailed to %s", addr)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

var codeRE = regexp.MustCompile(`\b(\d{6})\b`)

// lastCode is the code in the newest message to phone.
func (r *recordingSMS) lastCode(t testing.TB, phone string) string {
	t.Helper()
	r.wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	for i := len(r.sent) - 1; i >= 0; i-- {
		if r.sent[i].to == phone {
			if m := codeRE.FindStringSubmatch(r.sent[i].text); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no code was sent to %s", phone)
	return ""
}

func (r *recordingSMS) count(phone string) int {
	r.wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, m := range r.sent {
		if m.to == phone {
			n++
		}
	}
	return n
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// queued is how many messages were ever written to the delivery queue.
func (h *harness) queued() int {
	h.t.Helper()
	n, err := h.db.NewSelect().Table("deliveries").Count(context.Background())
	if err != nil {
		h.t.Fatal(err)
	}
	return int(n)
}

// mailCount is how many e-mails addr got, once the workers sent what is
// queued.
func (h *harness) mailCount(addr string) int {
	h.settle()
	return len(h.emails.MessagesTo(addr))
}
