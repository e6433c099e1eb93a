// Package hydratest runs one real Ory Hydra per test binary, on the test
// PostgreSQL server (adapters/postgres/pgtest), for tests of the Hydra
// adapter and of the login/consent pages end to end.
//
// The binary is $GATEHOUSE_HYDRA_BIN, else the one `make hydra` builds
// (${GATEHOUSE_TOOLS:-~/.cache/gatehouse}/hydra-v2.3.0/hydra). Without it
// the test fails: a test that skipped would pass in CI having tested
// nothing.
//
// Hydra sends the browser to its login, consent and logout URLs, which
// are fixed when it starts; they point at a small redirector of this
// package that sends the browser on to the pages of the app's client
// (RoutePages, or CreateClient's Pages), so each test can run its own
// Gatehouse HTTP server against the one Hydra.
//
// Packages using it call pgtest.Main(m, hydratest.Stop) from TestMain.
package hydratest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	hydraclient "github.com/ory/hydra-client-go/v2"
	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/adapters/hydra"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
)

// Version is the Hydra release the tests run against.
const Version = "v2.3.0"

const (
	readyTimeout   = 90 * time.Second // migrations included, on a busy 2-core machine
	migrateTimeout = 2 * time.Minute
	stopTimeout    = 5 * time.Second
	maxLogBytes    = 4 << 20
)

// Hydra is the running server.
type Hydra struct {
	publicURL, adminURL string
	cmd                 *exec.Cmd
	exited              chan struct{}
	log                 *logBuffer
	pages               *redirector
	srv                 *http.Server // the redirector's
	api                 *hydraclient.APIClient
	started             time.Duration
	bin                 string
	env                 []string // Hydra's settings
}

var (
	once     sync.Once
	running  *Hydra
	startErr error
	announce sync.Once
)

// Start returns the test binary's Hydra, starting it on first use. If it
// cannot start the test fails (with Hydra's log).
func Start(t testing.TB) *Hydra {
	t.Helper()
	once.Do(func() { running, startErr = start() })
	if startErr != nil {
		t.Fatalf("hydratest: %v", startErr)
	}
	announce.Do(func() { t.Logf("hydratest: Hydra %s migrated and ready in %s", Version, running.started) })
	// On failure, what Hydra logged during the test.
	off := running.log.Len()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("hydratest: Hydra's log during this test:\n%s", running.log.Since(off))
		}
	})
	return running
}

// Stop ends Hydra; pass it to pgtest.Main so it runs before the database
// goes. Pdeathsig ends Hydra too if the test binary dies first.
func Stop() {
	if running == nil {
		return
	}
	h := running
	running = nil
	_ = h.srv.Close()
	h.kill()
}

// Binary is the Hydra the tests run.
func Binary() string {
	if b := os.Getenv("GATEHOUSE_HYDRA_BIN"); b != "" {
		return b
	}
	tools := os.Getenv("GATEHOUSE_TOOLS")
	if tools == "" {
		home, _ := os.UserHomeDir()
		tools = filepath.Join(home, ".cache", "gatehouse")
	}
	return filepath.Join(tools, "hydra-"+Version, "hydra")
}

func start() (*Hydra, error) {
	t0 := time.Now()
	bin := Binary()
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("no Hydra binary at %s (GATEHOUSE_HYDRA_BIN, else the build cache): run `make hydra` (or bash .ci/install-hydra.sh)", bin)
	}
	dsn, err := pgtest.EmptyDatabase(fmt.Sprintf("hydra_%d", os.Getpid()))
	if err != nil {
		return nil, fmt.Errorf("database for Hydra: %w", err)
	}
	h := &Hydra{bin: bin}

	// The redirector first: Hydra is told its address.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	pagesURL := "http://" + ln.Addr().String()
	h.pages = &redirector{routes: map[string]string{}}
	h.srv = &http.Server{Handler: h.pages, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = h.srv.Serve(ln) }()

	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	env := append(os.Environ(),
		"DSN="+withParam(dsn, "sslmode", "disable"),
		"SECRETS_SYSTEM="+hex.EncodeToString(secret),
		"URLS_LOGIN="+pagesURL+"/oauth2/login",
		"URLS_CONSENT="+pagesURL+"/oauth2/consent",
		"URLS_LOGOUT="+pagesURL+"/oauth2/logout",
		"SERVE_PUBLIC_HOST=127.0.0.1", "SERVE_ADMIN_HOST=127.0.0.1",
		"LOG_LEVEL=warn", "LOG_FORMAT=text",
		// No usage statistics sent to Ory from test runs.
		"SQA_OPT_OUT=true",
	)

	ctx, cancel := context.WithTimeout(context.Background(), migrateTimeout)
	defer cancel()
	migrate := exec.CommandContext(ctx, bin, "migrate", "sql", "up", "-e", "--yes")
	migrate.Env = env
	var out bytes.Buffer
	migrate.Stdout, migrate.Stderr = &out, &out
	if err := migrate.Run(); err != nil {
		_ = h.srv.Close()
		return nil, fmt.Errorf("hydra migrate sql up: %v\n%s", err, tail(out.String()))
	}

	if err := h.serveOnFreePorts(env); err != nil {
		_ = h.srv.Close()
		return nil, err
	}
	h.pages.setAdmin(h.api)
	h.started = time.Since(t0)
	return h, nil
}

// serveOnFreePorts starts `hydra serve all` with settings on two free
// loopback ports, its issuer its public URL, and waits until it is ready.
// A port taken between our pick and Hydra's bind is picked again.
func (h *Hydra) serveOnFreePorts(settings []string) error {
	for attempt := 1; ; attempt++ {
		ports, err := freePorts(2)
		if err != nil {
			return err
		}
		h.publicURL = fmt.Sprintf("http://127.0.0.1:%d", ports[0])
		h.adminURL = fmt.Sprintf("http://127.0.0.1:%d", ports[1])
		h.api = newAPI(h.adminURL)
		h.log, h.exited = &logBuffer{}, make(chan struct{})
		// The last of a repeated setting wins (os/exec keeps the last).
		h.env = append(slices.Clone(settings), "URLS_SELF_ISSUER="+h.publicURL+"/",
			fmt.Sprintf("SERVE_PUBLIC_PORT=%d", ports[0]), fmt.Sprintf("SERVE_ADMIN_PORT=%d", ports[1]))
		err = h.serve()
		if err == nil || attempt == 3 || !strings.Contains(err.Error(), "address already in use") {
			return err
		}
	}
}

// serve starts `hydra serve all` with h's settings and waits until it is
// ready.
func (h *Hydra) serve() error {
	h.cmd = exec.Command(h.bin, "serve", "all", "--dev", "--sqa-opt-out")
	h.cmd.Env = h.env
	h.cmd.Stdout, h.cmd.Stderr = h.log, h.log
	// Its own process group, and killed with us if the test binary dies
	// without reaching Stop.
	h.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := h.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", h.bin, err)
	}
	go func() { _ = h.cmd.Wait(); close(h.exited) }()
	if err := h.waitReady(); err != nil {
		_ = h.cmd.Process.Kill()
		<-h.exited
		return fmt.Errorf("%w\nHydra's log:\n%s", err, tail(h.log.Since(0)))
	}
	return nil
}

// kill ends the process: SIGTERM, then SIGKILL after stopTimeout.
func (h *Hydra) kill() {
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.exited:
	case <-time.After(stopTimeout):
		_ = h.cmd.Process.Kill()
		<-h.exited
	}
}

// Another starts a second Hydra on h's database and secret with settings
// added (e.g. "TTL_LOGIN_CONSENT_REQUEST=1s"), stopped when t ends. Each
// reads the challenges the other issued, so a test sees how Hydra answers
// under other settings without a database of its own. Its log goes to t's
// on failure.
func (h *Hydra) Another(t testing.TB, settings ...string) *Hydra {
	t.Helper()
	o := &Hydra{pages: h.pages, bin: h.bin}
	if err := o.serveOnFreePorts(append(slices.Clone(h.env), settings...)); err != nil {
		t.Fatalf("hydratest: another Hydra: %v", err)
	}
	t.Cleanup(func() {
		o.kill()
		if t.Failed() {
			t.Logf("hydratest: the other Hydra's log:\n%s", o.log.Since(0))
		}
	})
	return o
}

func newAPI(adminURL string) *hydraclient.APIClient {
	cfg := hydraclient.NewConfiguration()
	cfg.Servers = hydraclient.ServerConfigurations{{URL: adminURL}}
	cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	return hydraclient.NewAPIClient(cfg)
}

func (h *Hydra) waitReady() error {
	deadline := time.Now().Add(readyTimeout)
	c := &http.Client{Timeout: 2 * time.Second}
	ready := func(base string) bool {
		res, err := c.Get(base + "/health/ready")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}
	for !ready(h.adminURL) || !ready(h.publicURL) {
		if time.Now().After(deadline) {
			return fmt.Errorf("hydra was not ready within %s", readyTimeout)
		}
		select {
		case <-h.exited:
			return fmt.Errorf("hydra serve exited before it was ready (%v)", h.cmd.ProcessState)
		case <-time.After(100 * time.Millisecond):
		}
	}
	// The first id token makes Hydra generate its signing keys (RSA, a
	// few seconds here): done now, so that "ready" means ready to sign
	// and no test's timing carries it. Hydra's server cuts a response
	// after 10 s (its write timeout) while the generation goes on, so a
	// loaded machine sees EOF here: ask again until the keys are there.
	for {
		res, err := (&http.Client{Timeout: readyTimeout}).Get(h.publicURL + "/.well-known/jwks.json")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s", res.Status)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("hydra's keys: %w", err)
		}
		select {
		case <-h.exited:
			return fmt.Errorf("hydra serve exited while making its keys (%v)", h.cmd.ProcessState)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// PublicURL is Hydra's public (OAuth2) endpoint, also its issuer.
func (h *Hydra) PublicURL() string { return h.publicURL }

// AdminURL is Hydra's admin API.
func (h *Hydra) AdminURL() string { return h.adminURL }

// Issuer is the id tokens' iss.
func (h *Hydra) Issuer() string { return h.publicURL + "/" }

// Admin is the adapter under test bound to this Hydra.
func (h *Hydra) Admin(t testing.TB) *hydra.Admin {
	t.Helper()
	a, err := hydra.New(h.adminURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// ClientOptions describes an app to register.
type ClientOptions struct {
	Name         string
	RedirectURIs []string
	Scopes       []string
	// Confidential: a client with a secret (client_secret_basic); else a
	// public client that must use PKCE.
	Confidential bool
	// Pages: the base URL (e.g. a test's Gatehouse server) whose
	// /oauth2/login, /oauth2/consent and /oauth2/logout this client's
	// browsers are sent to; empty: the redirector answers 404 for it.
	Pages string
}

// Client is a registered app.
type Client struct {
	ID, Secret, Name string
	RedirectURIs     []string
	Scopes           []string
	h                *Hydra
}

// CreateClient registers an app, deleted when t ends.
func (h *Hydra) CreateClient(t testing.TB, o ClientOptions) Client {
	t.Helper()
	if len(o.RedirectURIs) == 0 {
		t.Fatal("hydratest: a client needs a redirect URI")
	}
	c := hydraclient.NewOAuth2Client()
	c.SetClientName(o.Name)
	c.RedirectUris = o.RedirectURIs
	c.SetScope(strings.Join(o.Scopes, " "))
	c.GrantTypes = []string{"authorization_code", "refresh_token"}
	c.ResponseTypes = []string{"code"}
	if o.Confidential {
		c.SetTokenEndpointAuthMethod("client_secret_basic")
	} else {
		c.SetTokenEndpointAuthMethod("none")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	got, res, err := h.api.OAuth2API.CreateOAuth2Client(ctx).OAuth2Client(*c).Execute()
	if res != nil {
		res.Body.Close()
	}
	if err != nil {
		t.Fatalf("hydratest: create client: %v", err)
	}
	out := Client{ID: got.GetClientId(), Secret: got.GetClientSecret(), Name: o.Name, RedirectURIs: o.RedirectURIs, Scopes: o.Scopes, h: h}
	if o.Pages != "" {
		h.RoutePages(t, out.ID, o.Pages)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if res, err := h.api.OAuth2API.DeleteOAuth2Client(ctx, out.ID).Execute(); err == nil {
			res.Body.Close()
		}
	})
	return out
}

// OAuth2Config is the app's side of the client (PKCE is the caller's:
// oauth2.GenerateVerifier, S256ChallengeOption, VerifierOption).
func (c Client) OAuth2Config() *oauth2.Config {
	style := oauth2.AuthStyleInParams
	if c.Secret != "" {
		style = oauth2.AuthStyleInHeader
	}
	return &oauth2.Config{ClientID: c.ID, ClientSecret: c.Secret, RedirectURL: c.RedirectURIs[0], Scopes: c.Scopes,
		Endpoint: oauth2.Endpoint{AuthURL: c.h.publicURL + "/oauth2/auth", TokenURL: c.h.publicURL + "/oauth2/token", AuthStyle: style}}
}

// VerifyIDToken checks raw's signature against Hydra's keys, its issuer,
// audience and expiry, and returns its claims.
func (h *Hydra) VerifyIDToken(t testing.TB, raw, clientID string) map[string]any {
	t.Helper()
	ctx := context.Background()
	p, err := oidc.NewProvider(ctx, h.Issuer())
	if err != nil {
		t.Fatalf("hydratest: discovery: %v", err)
	}
	tok, err := p.Verifier(&oidc.Config{ClientID: clientID}).Verify(ctx, raw)
	if err != nil {
		t.Fatalf("hydratest: id token: %v", err)
	}
	var claims map[string]any
	if err := tok.Claims(&claims); err != nil {
		t.Fatal(err)
	}
	return claims
}

// Introspect asks Hydra whether accessToken is active, and returns the
// claims the consent added to it (introspection's ext).
func (h *Hydra) Introspect(t testing.TB, accessToken string) (active bool, ext map[string]any) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	r, res, err := h.api.OAuth2API.IntrospectOAuth2Token(ctx).Token(accessToken).Execute()
	if res != nil {
		res.Body.Close()
	}
	if err != nil {
		t.Fatalf("hydratest: introspect: %v", err)
	}
	return r.Active, r.Ext
}

// RoutePages sends the browsers of clientID's flows to base's pages
// (base + /oauth2/login?login_challenge=… etc.) until t ends.
func (h *Hydra) RoutePages(t testing.TB, clientID, base string) {
	h.pages.mu.Lock()
	h.pages.routes[clientID] = strings.TrimRight(base, "/")
	h.pages.mu.Unlock()
	t.Cleanup(func() {
		h.pages.mu.Lock()
		delete(h.pages.routes, clientID)
		h.pages.mu.Unlock()
	})
}

// redirector is Hydra's login, consent and logout URL: it asks Hydra
// which app the challenge is for and redirects the browser to that app's
// pages, query string kept.
type redirector struct {
	mu     sync.Mutex
	admin  *hydraclient.APIClient
	routes map[string]string // client id → pages base URL
}

func (r *redirector) setAdmin(a *hydraclient.APIClient) {
	r.mu.Lock()
	r.admin = a
	r.mu.Unlock()
}

func (r *redirector) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 10*time.Second)
	defer cancel()
	r.mu.Lock()
	admin := r.admin
	r.mu.Unlock()
	if admin == nil {
		http.Error(w, "hydratest: Hydra is not ready", http.StatusServiceUnavailable)
		return
	}
	q := req.URL.Query()
	var clientID string
	var err error
	switch {
	case q.Get("login_challenge") != "":
		var lr *hydraclient.OAuth2LoginRequest
		var res *http.Response
		lr, res, err = admin.OAuth2API.GetOAuth2LoginRequest(ctx).LoginChallenge(q.Get("login_challenge")).Execute()
		closeBody(res)
		if err == nil {
			clientID = lr.Client.GetClientId()
		}
	case q.Get("consent_challenge") != "":
		var cr *hydraclient.OAuth2ConsentRequest
		var res *http.Response
		cr, res, err = admin.OAuth2API.GetOAuth2ConsentRequest(ctx).ConsentChallenge(q.Get("consent_challenge")).Execute()
		closeBody(res)
		if err == nil && cr.Client != nil {
			clientID = cr.Client.GetClientId()
		}
	case q.Get("logout_challenge") != "":
		var lr *hydraclient.OAuth2LogoutRequest
		var res *http.Response
		lr, res, err = admin.OAuth2API.GetOAuth2LogoutRequest(ctx).LogoutChallenge(q.Get("logout_challenge")).Execute()
		closeBody(res)
		if err == nil && lr.Client != nil {
			clientID = lr.Client.GetClientId()
		}
	default:
		err = errors.New("no challenge")
	}
	r.mu.Lock()
	base, ok := r.routes[clientID]
	if !ok && clientID == "" && len(r.routes) == 1 {
		// A logout the person started at Hydra names no app: with one
		// app's pages registered, those.
		for _, b := range r.routes {
			base, ok = b, true
		}
	}
	r.mu.Unlock()
	if !ok {
		http.Error(w, fmt.Sprintf("hydratest: no pages for client %q (%v): set ClientOptions.Pages or call RoutePages", clientID, err),
			http.StatusNotFound)
		return
	}
	http.Redirect(w, req, base+req.URL.RequestURI(), http.StatusFound)
}

func closeBody(res *http.Response) {
	if res != nil && res.Body != nil {
		res.Body.Close()
	}
}

func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, l := range lns {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func withParam(u, k, v string) string {
	if strings.Contains(u, k+"=") {
		return u
	}
	if strings.Contains(u, "?") {
		return u + "&" + k + "=" + v
	}
	return u + "?" + k + "=" + v
}

func tail(s string) string {
	const max = 8 << 10
	if len(s) > max {
		return "…" + s[len(s)-max:]
	}
	return s
}

// logBuffer keeps Hydra's output for failed tests: the last maxLogBytes,
// addressed by offsets from the start of the output.
type logBuffer struct {
	mu      sync.Mutex
	b       []byte
	dropped int // offset of b[0]
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	if over := len(l.b) - maxLogBytes; over > 0 {
		l.b = append(l.b[:0], l.b[over:]...)
		l.dropped += over
	}
	return len(p), nil
}

func (l *logBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dropped + len(l.b)
}

func (l *logBuffer) Since(off int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	if off < l.dropped {
		return "…" + string(l.b)
	}
	return string(l.b[min(off-l.dropped, len(l.b)):])
}
