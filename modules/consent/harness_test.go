package consent_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/consent/consenttest"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/modules/otp/otptest"
	"github.com/gatehouse/gatehouse/modules/platform"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

var t0 = time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)

// pagesPerMinute is the pages' limit in these tests: more than any test
// but the limit's own makes in a minute.
const pagesPerMinute = 200

type termsV1 struct{}

func (termsV1) CurrentTerms(ctx context.Context, kind string) (platform.TermsDocument, error) {
	return platform.TermsDocument{Kind: "GENERAL", Version: "v1", Title: "Terms", PublishedAt: t0.Add(-time.Hour)}, nil
}

// maintenance is a switchable maintenance state.
type maintenance struct{ on bool }

func (m *maintenance) Maintenance(context.Context) (bool, string, error) { return m.on, "", nil }

// gate refuses every client while err is set.
type gate struct{ err error }

func (g *gate) Check(context.Context, bool) error { return g.err }

// env is the pages over identity's real services (on its fakes) and the
// in-memory OAuth2 server, served by httptest.
type env struct {
	t          *testing.T
	clock      *clock.Manual
	users      *identitytest.UserStore
	creds      *identitytest.CredentialStore
	sessions   *identitytest.SessionStore
	sms        *portsfake.SMSSender
	emails     *portsfake.EmailSender
	activities *portsfake.ActivityLog
	svc        identity.Services
	server     *consenttest.Server
	maint      *maintenance
	gate       *gate
	apps       *consent.Apps
	// pageLimiter counts the pages' requests (apart from identity's
	// limits, so a test of the pages' limit does not trip those).
	pageLimiter *portsfake.RateLimiter
	http        *httptest.Server
}

func newEnv(t *testing.T) *env { return newEnvLimited(t, pagesPerMinute) }

// newEnvLimited is newEnv with the pages' limit at perMinute.
func newEnvLimited(t *testing.T, perMinute int) *env {
	return newEnvWith(t, envOptions{perMinute: perMinute})
}

// envOptions change what newEnvWith builds the pages over.
type envOptions struct {
	perMinute int
	// server wraps the in-memory OAuth2 server (an outage, a hostile answer).
	server func(consent.Challenges) consent.Challenges
	// users wraps the subject reads (a frozen database).
	users func(consent.Users) consent.Users
	// log receives the pages' log (io.Discard when nil).
	log     io.Writer
	timeout time.Duration
	// product is the service's name on the pages ("": the default).
	product string
}

// newEnvWith is newEnv as o says.
func newEnvWith(t *testing.T, o envOptions) *env {
	t.Helper()
	if o.perMinute == 0 {
		o.perMinute = pagesPerMinute
	}
	perMinute := o.perMinute
	e := &env{t: t, clock: clock.NewManual(t0), creds: identitytest.NewCredentialStore(),
		sessions: identitytest.NewSessionStore(), sms: portsfake.NewSMSSender(), emails: portsfake.NewEmailSender(),
		activities: portsfake.NewActivityLog(), maint: &maintenance{}, gate: &gate{}}
	e.users = identitytest.NewUserStore(e.creds)
	e.pageLimiter = portsfake.NewRateLimiter(e.clock)
	logTo := o.log
	if logTo == nil {
		logTo = io.Discard
	}
	log := slog.New(slog.NewTextHandler(logTo, nil))
	tx := portsfake.NewTxRunner()
	otpCfg := otp.DefaultConfig()
	otpCfg.HMACKey = []byte("0123456789abcdef0123456789abcdef")
	otpCfg.ClientSendsPerHour = 0
	otpSvc := otp.NewService(otpCfg, otptest.NewStore(), tx, portsfake.NewOutbox(e.sms, e.emails), e.clock, e.activities, log)
	tokens, limiter, box := portsfake.NewTokenSigner(), portsfake.NewRateLimiter(e.clock), portsfake.NewSecretBox()
	rules, acts, clk, cfg := portsfake.DefaultRules(), e.activities, e.clock, identity.DefaultConfig()
	hasher := portsfake.NewSecretHasher()
	var s identity.Services
	s.Viewer = identity.NewViewerService(cfg, identitytest.SessionReads{Sessions: e.sessions, Users: e.users}, tokens,
		rules, nil, identity.Programs{}, limiter, acts, clk, log)
	s.Sessions = identity.NewSessionService(cfg, e.users, e.users, e.sessions, tokens, s.Viewer, tx, acts, clk, log)
	s.MFA = identity.NewMFAService(cfg, e.creds, e.sessions, box, s.Viewer, tx, limiter, acts, clk, log)
	s.Signup = identity.NewSignupService(cfg, e.users, e.users, e.creds, e.creds, identitytest.NewTicketStore(),
		s.Sessions, tx, hasher, otpSvc, termsV1{}, nil, limiter, acts, clk, log)
	s.SignIn = identity.NewSignInService(cfg, e.users, e.users, e.users, e.creds, e.creds, hasher, s.Sessions,
		s.MFA, otpSvc, nil, limiter, acts, clk, log)
	s.Reads = identity.NewReadService(e.users, e.users, s.Viewer, rules)
	e.svc = s

	mux := http.NewServeMux()
	e.http = httptest.NewServer(mux)
	t.Cleanup(e.http.Close)
	e.server = consenttest.New(consenttest.Options{LoginURL: e.http.URL + "/oauth2/login",
		ConsentURL: e.http.URL + "/oauth2/consent", LogoutURL: e.http.URL + "/oauth2/logout",
		PublicURL: e.http.URL + "/hydra", Now: e.clock.Now})
	var server consent.Challenges = e.server
	if o.server != nil {
		server = o.server(e.server)
	}
	var users consent.Users = s.Reads
	if o.users != nil {
		users = o.users(s.Reads)
	}
	pages, err := consent.NewPages(consent.Config{CSRFKey: []byte("pages-test-key-pages-test-key-32"),
		ProductName: o.product, PagesPerMinute: perMinute, RequestTimeout: o.timeout}, server, s.SignIn, s.Signup, otpSvc, s.Sessions, users,
		e.gate, e.maint,
		e.pageLimiter, acts, clk, log)
	require.NoError(t, err)
	mux.Handle("/oauth2/", withMeta(pages.Handler()))
	mux.Handle("/hydra/", http.StripPrefix("/hydra", e.server))
	e.apps = consent.NewApps(e.server, s.Viewer, acts, clk, log)
	return e
}

// withMeta is the app's glue: every request has its client's address.
func withMeta(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(ports.WithRequestMeta(r.Context(),
			ports.RequestMeta{IP: "203.0.113.9", UserAgent: "browser"})))
	})
}

// addUser stores an active user with phone (and pin) directly.
func (e *env) addUser(phone, pin string) identity.User {
	e.t.Helper()
	u := identity.User{ID: uuid.New(), Phone: phone, State: identity.StateActive, Role: identity.RoleMember,
		Level: 2, ReferralCode: uuid.NewString()[:8], CreatedAt: t0, UpdatedAt: t0}
	require.NoError(e.t, e.users.Create(context.Background(), u))
	if pin != "" {
		require.NoError(e.t, e.creds.SetPIN(context.Background(), u.ID, "h:"+pin, t0))
		u.HasPIN = true
	}
	return u
}

// app registers an app allowed scopes.
func (e *env) app(name string, scopes ...string) consent.Client {
	return e.server.AddClient(consenttest.App{Client: consent.Client{Name: name}, Scopes: scopes}).Client
}

// browser is a person's browser: a cookie jar, and a name for its
// cookies at the OAuth2 server (remembered logins).
type browser struct {
	e    *env
	c    *http.Client
	name string
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	require.NoError(e.t, err)
	return &browser{e: e, name: "b-" + uuid.NewString(), c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is an answer the browser got.
type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (b *browser) do(req *http.Request) page {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	require.NoError(b.e.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(b.e.t, err)
	return page{status: res.StatusCode, body: string(body), location: res.Header.Get("Location"), header: res.Header}
}

func (b *browser) get(u string) page {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(b.e.t, err)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) page {
	req, err := http.NewRequest(http.MethodPost, b.e.http.URL+path, strings.NewReader(form.Encode()))
	require.NoError(b.e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// authorize is the app sending the browser to the server; it returns the
// login page's URL.
func (b *browser) authorize(app consent.Client, scopes ...string) string {
	b.e.t.Helper()
	u, err := b.e.server.Authorize(consenttest.Authorization{ClientID: app.ID, Scopes: scopes, State: "st",
		Browser: b.name})
	require.NoError(b.e.t, err)
	return u
}

// follow sends the browser where a page's answer redirects it (through
// the server) and returns the next URL.
func (b *browser) follow(p page) string {
	b.e.t.Helper()
	require.Equal(b.e.t, http.StatusSeeOther, p.status, "want a redirect, got %d: %s", p.status, p.body)
	next, err := b.e.server.Follow(p.location)
	require.NoError(b.e.t, err)
	return next
}

var (
	formRE   = regexp.MustCompile(`(?s)<form[^>]*>.*?</form>`)
	hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// form is the hidden fields of the page's form whose step (or, without
// one, whose first form) is step, with extra set.
func form(t *testing.T, body, step string, extra url.Values) url.Values {
	t.Helper()
	for _, f := range formRE.FindAllString(body, -1) {
		v := url.Values{}
		for _, m := range hiddenRE.FindAllStringSubmatch(f, -1) {
			v.Set(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
		if step == "" || v.Get("step") == step {
			for k, vals := range extra {
				v[k] = vals
			}
			return v
		}
	}
	t.Fatalf("no form for step %q in:\n%s", step, body)
	return nil
}

// signInWithPIN posts the login page's PIN form.
func (b *browser) signInWithPIN(loginURL, phone, pin string, remember bool) page {
	b.e.t.Helper()
	p := b.get(loginURL)
	require.Equal(b.e.t, http.StatusOK, p.status, p.body)
	extra := url.Values{"phone": {phone}, "pin": {pin}}
	if remember {
		extra.Set("remember", "1")
	}
	return b.post("/oauth2/login", form(b.e.t, p.body, "pin", extra))
}

// answerCode posts the code page's form with code.
func (b *browser) answerCode(path string, p page, code string) page {
	b.e.t.Helper()
	require.Contains(b.e.t, p.body, "Enter your code", "want the code page, got %d: %s", p.status, p.body)
	return b.post(path, form(b.e.t, p.body, "", url.Values{"code": {code}}))
}

func (e *env) lastSMS(to string) string {
	e.t.Helper()
	code, ok := e.sms.LastCode(to)
	require.True(e.t, ok, "no code sent to %s", to)
	return code
}
