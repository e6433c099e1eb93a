package consent

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// Config is the pages' settings.
type Config struct {
	// ProductName is what the pages call the service (the operator's
	// GATEHOUSE_PRODUCT_NAME); "" is Gatehouse.
	ProductName string
	// CSRFKey keys the forms' tokens (at least 32 bytes; derived from the
	// data key by the app).
	CSRFKey []byte
	// SecureCookies marks the cookies Secure (everywhere but dev, where the
	// pages are served over plain HTTP on localhost).
	SecureCookies bool
	// RememberFor is how long a remembered login or consent lasts at the
	// OAuth2 server; 0: as long as the server keeps its own session.
	RememberFor time.Duration
	// PagesPerMinute bounds the page requests of one client (IPv4 address
	// or IPv6 /64) a minute: each one asks the OAuth2 server about its
	// challenge, so a client must not be able to make the pages hammer it.
	// The sign-in and sign-up steps have identity's own limits besides.
	PagesPerMinute int
	// RequestTimeout bounds each page's work (the OAuth2 server's calls, the
	// sign-in, the database); 0: no bound of the pages' own. A frozen
	// database or a hung server must not hold a browser, and a connection,
	// until the listener's write timeout.
	RequestTimeout time.Duration
}

// Validate refuses a config the pages cannot work with.
func (c Config) Validate() error {
	if len(c.CSRFKey) < 32 {
		return errors.New("consent: the CSRF key must be at least 32 bytes")
	}
	if c.RememberFor < 0 {
		return errors.New("consent: RememberFor must not be negative")
	}
	if c.RequestTimeout < 0 {
		return errors.New("consent: RequestTimeout must not be negative")
	}
	if c.PagesPerMinute < 1 {
		return errors.New("consent: PagesPerMinute must be at least 1")
	}
	return nil
}

// Limits of what a form may send. The largest legitimate form (the
// consent page with every scope) is a few kilobytes; a Hydra challenge is
// an encrypted flow of around a kilobyte.
const (
	maxFormBytes  = 32 << 10
	maxChallenge  = 4096
	maxFieldChars = 512
	maxScopes     = 64
	maxFieldName  = 64
)

//go:embed templates/*.html templates/pages.css
var templatesFS embed.FS

// Pages serves the login, registration, consent and logout pages an OAuth2
// server (Ory Hydra) sends people to. Every page reads its challenge from
// the server first: a challenge the server no longer knows is a clear
// "go back to the app" page (410), never the server's text.
type Pages struct {
	cfg        Config
	server     Challenges
	signIn     SignIn
	signup     Signup
	codes      Codes
	handOff    HandOff
	users      Users
	gate       Gate
	maint      Maintenance
	limiter    ports.RateLimiter
	activities ports.ActivityLog
	clock      ports.Clock
	log        *slog.Logger
	csrf       csrf
	pages      map[string]*template.Template
	css        []byte
}

// NewPages returns the pages; gate and maint may be nil (no restrictions,
// no maintenance).
func NewPages(cfg Config, server Challenges, signIn SignIn, signup Signup, codes Codes, handOff HandOff, users Users,
	gate Gate,
	maint Maintenance, limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) (*Pages, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.ProductName == "" {
		cfg.ProductName = "Gatehouse"
	}
	p := &Pages{cfg: cfg, server: server, signIn: signIn, signup: signup, codes: codes, handOff: handOff, users: users, gate: gate,
		maint: maint, limiter: limiter, activities: activities, clock: clock, log: log, csrf: csrf{key: cfg.CSRFKey},
		pages: map[string]*template.Template{}}
	for _, name := range []string{"login", "code", "register", "register_pin", "consent", "logout", "message"} {
		t, err := template.New("layout.html").ParseFS(templatesFS, "templates/layout.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("consent: page %s: %w", name, err)
		}
		p.pages[name] = t
	}
	css, err := templatesFS.ReadFile("templates/pages.css")
	if err != nil {
		return nil, err
	}
	p.css = css
	return p, nil
}

// Handler routes the pages: /oauth2/login, /oauth2/register,
// /oauth2/consent, /oauth2/logout (GET shows, POST answers) and the one
// style sheet.
func (p *Pages) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /oauth2/pages.css", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Del("Pragma")
		w.Header().Set("Cache-Control", "public, max-age=3600")
		_, _ = w.Write(p.css)
	})
	for path, h := range map[string]func(*request){
		"/oauth2/login": p.login, "/oauth2/register": p.register, "/oauth2/consent": p.consent,
		"/oauth2/logout": p.logout,
	} {
		mux.Handle("GET "+path, p.serve(h))
		mux.Handle("POST "+path, p.serve(h))
	}
	// The mux's own answers (405 to a PUT, 404) carry the headers too.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secureHeaders(w.Header())
		mux.ServeHTTP(w, r)
	})
}

// secureHeaders are on every answer of the pages: never framed, never
// sniffed, never kept, never a Referer (the URLs carry challenges).
func secureHeaders(hdr http.Header) {
	hdr.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	hdr.Set("X-Frame-Options", "DENY")
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Pragma", "no-cache")
}

// request is one page request: the form read and checked, the browser's
// CSRF nonce, and how to answer.
type request struct {
	w     http.ResponseWriter
	r     *http.Request
	ctx   context.Context
	post  bool
	form  url.Values
	nonce string
}

// value is the form's single value of name ("" when absent).
func (q *request) value(name string) string { return q.form.Get(name) }

// serve refuses what a form must never be (too large, NUL, invalid UTF-8,
// a POST without its CSRF token), checks the restrictions and maintenance,
// and runs h. The headers every page carries are set by Handler, around
// the whole mux.
func (p *Pages) serve(h func(*request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr := w.Header()
		q := &request{w: w, r: r, ctx: r.Context(), post: r.Method == http.MethodPost}
		q.nonce = cookieValue(r, csrfCookie)
		if q.nonce == "" {
			q.nonce = randomValue()
			http.SetCookie(w, p.cookie(csrfCookie, q.nonce, 0))
		}
		if q.post {
			r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		}
		if err := r.ParseForm(); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				hdr.Set("Connection", "close")
				p.message(q, http.StatusRequestEntityTooLarge, "Too much data", "The form sent more than this page accepts.")
				return
			}
			p.message(q, http.StatusBadRequest, "Something is wrong with this link",
				"The page could not read what was sent. Go back to the app and start again.")
			return
		}
		// The page's bound runs once the body is read, as GraphQL's does (the
		// listener's read timeout bounds a slow body).
		if p.cfg.RequestTimeout > 0 {
			var cancel context.CancelFunc
			q.ctx, cancel = context.WithTimeout(q.ctx, p.cfg.RequestTimeout)
			defer cancel()
		}
		// A POST is read from its body only: the forms never put anything in
		// the URL, and a PIN, password, code or CSRF token there would be in
		// every proxy's and browser's history.
		q.form = r.Form
		if q.post {
			q.form = r.PostForm
		}
		if field, problem := formProblem(q.form); problem != "" {
			p.message(q, http.StatusBadRequest, "Something is wrong with what was sent",
				fmt.Sprintf("The field %q %s.", field, problem))
			return
		}
		if p.gate != nil {
			if err := p.gate.Check(q.ctx, true); err != nil {
				p.refused(q, err)
				return
			}
		}
		if p.maint != nil {
			if on, msg, err := p.maint.Maintenance(q.ctx); err == nil && on {
				if msg == "" {
					msg = "the service is down for maintenance; try again later"
				}
				p.refused(q, ports.Errorf(ports.CodeMaintenance, "%s", msg))
				return
			}
		}
		ok, retry, err := p.limiter.Allow(q.ctx, "oauth2_pages:ip:"+ports.ClientKey(ports.RequestMetaFrom(q.ctx).IP),
			p.cfg.PagesPerMinute, time.Minute)
		if err != nil {
			p.serverFailed(q, err)
			return
		}
		if !ok {
			secs := int((retry + time.Second - 1) / time.Second)
			hdr.Set("Retry-After", strconv.Itoa(max(secs, 1)))
			p.message(q, http.StatusTooManyRequests, "Too many requests",
				"Too many requests, try again later. Try again in "+wait(retry)+".")
			return
		}
		h(q)
	})
}

// formProblem says which field of form is unfit and why ("" when none):
// the rules of GraphQL's text inputs (no NUL, valid UTF-8, no U+FFFD), a
// bound on every value and on how many there are.
func formProblem(form url.Values) (string, string) {
	n := 0
	for name, vals := range form {
		n += len(vals)
		if n > maxScopes+32 {
			return "form", "has too many fields"
		}
		if len(name) > maxFieldName {
			// Not echoed: a field of these forms has a short name.
			return "form", "has a field no page has"
		}
		for _, v := range append([]string{name}, vals...) {
			switch {
			case strings.IndexByte(v, 0) >= 0:
				return name, "must not contain NUL characters"
			case !utf8.ValidString(v):
				return name, "is not valid UTF-8 text"
			case strings.ContainsRune(v, utf8.RuneError):
				return name, "is not valid text"
			}
		}
		limit := maxFieldChars
		if strings.HasSuffix(name, "_challenge") {
			limit = maxChallenge
		}
		for _, v := range vals {
			if len(v) > limit {
				return name, "is too long"
			}
		}
	}
	return "", ""
}

// challenge is the form's or the link's challenge, bounded to printable
// ASCII ("" when missing or malformed).
func challengeOf(q *request, name string) string {
	c := q.value(name)
	if len(c) == 0 || len(c) > maxChallenge {
		return ""
	}
	for i := 0; i < len(c); i++ {
		if c[i] <= ' ' || c[i] > '~' {
			return ""
		}
	}
	return c
}

// checkCSRF refuses a POST whose token does not match the browser's
// cookie and the challenge (403 page); true when the request may go on.
func (p *Pages) checkCSRF(q *request, challenge string) bool {
	if !q.post {
		return true
	}
	// A browser says where a request comes from: a form posted from another
	// site, or from a sibling subdomain (which could also have tossed a
	// cookie of its own onto /oauth2/), is refused whatever its token. A
	// client that does not say (an older browser, a script) still needs the
	// token.
	site := q.r.Header.Get("Sec-Fetch-Site")
	if (site == "" || site == "same-origin" || site == "none") &&
		p.csrf.valid(cookieValue(q.r, csrfCookie), challenge, q.value("csrf_token")) {
		return true
	}
	p.message(q, http.StatusForbidden, "This form has expired",
		"The form could not be verified (it may be old, or come from another site). Go back to the app and start again.")
	return false
}

// cookie is one of the pages' cookies; maxAge 0 lasts the browser session.
func (p *Pages) cookie(name, value string, maxAge time.Duration) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: cookiePath, MaxAge: int(maxAge.Seconds()), HttpOnly: true,
		Secure: p.cfg.SecureCookies, SameSite: http.SameSiteLaxMode}
}

// view is what a page template shows.
type view struct {
	Product    string // the service's name (Config.ProductName)
	Title      string
	Action     string // the form's URL
	ParamName  string // login_challenge, consent_challenge or logout_challenge
	Challenge  string
	CSRF       string
	Error      string            // the page's error, tied to no field
	Fields     map[string]string // field → its error
	Values     map[string]string // what to fill back in (never a secret)
	ClientName string
	Scopes     []scopeView
	Step       string
	CodeID     string
	CodeTo     string
	CodeHow    string
	// CodeSent: the code was sent (SMS, email), so it can be sent again;
	// false for the authenticator app's.
	CodeSent    bool
	Ticket      string
	Remember    bool
	Message     string
	RegisterURL string
	LoginURL    string
}

type scopeView struct {
	Name, Words, ID string
	Checked         bool
}

// Err is the error of field, "" when none (templates tie it with
// aria-describedby).
func (v view) Err(field string) string { return v.Fields[field] }

// Val is the value to fill field with.
func (v view) Val(field string) string { return v.Values[field] }

func (p *Pages) render(q *request, status int, page string, v view) {
	if v.Challenge != "" {
		v.CSRF = p.csrf.token(q.nonce, v.Challenge)
	}
	v.Product = p.cfg.ProductName
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.WriteHeader(status)
	if err := p.pages[page].Execute(q.w, v); err != nil {
		p.log.ErrorContext(q.ctx, "oauth2 page not rendered", "page", page, "err", err)
	}
}

// message is a page that only says something (gone, refused, broken).
func (p *Pages) message(q *request, status int, title, msg string) {
	p.render(q, status, "message", view{Title: title, Message: msg})
}

// gone answers a challenge the server no longer knows.
func (p *Pages) gone(q *request) {
	p.message(q, http.StatusGone, "This sign-in link has expired",
		"It was used already or is too old. Go back to the app and start again.")
}

// missing answers a page opened without its challenge.
func (p *Pages) missing(q *request) {
	p.message(q, http.StatusBadRequest, "Open this page from an app",
		"This page is part of signing in to an app. Go back to the app and start again.")
}

// serverFailed answers a failure of the OAuth2 server or a dependency:
// the challenge gone, unavailable (503 with Retry-After), or internal
// (500, logged). Never the error's own text.
func (p *Pages) serverFailed(q *request, err error) {
	switch {
	case errors.Is(err, ErrChallengeGone):
		p.gone(q)
	case ports.ErrorCodeOf(err) == ports.CodeUnavailable, errors.Is(err, context.DeadlineExceeded):
		// A deadline passed is the page's bound on a slow server or a frozen
		// database: try again, as for a server that is down.
		p.log.WarnContext(q.ctx, "oauth2 page: dependency unavailable", "request_id", ports.RequestID(q.ctx),
			"err", q.redact(err))
		q.w.Header().Set("Retry-After", strconv.Itoa(int(ports.UnavailableRetry.Seconds())))
		p.message(q, http.StatusServiceUnavailable, "Temporarily unavailable",
			"Signing in is not possible right now. Try again in a few seconds.")
	default:
		p.log.ErrorContext(q.ctx, "oauth2 page failed", "request_id", ports.RequestID(q.ctx), "err", q.redact(err))
		p.message(q, http.StatusInternalServerError, "Something went wrong",
			"Your request could not be completed. Go back to the app and try again.")
	}
}

// redact is err's text for the logs without the page's challenge: an
// error of the HTTP client names the URL it called, and the admin API's
// URLs carry the challenge, which lets whoever reads it take over the
// person's sign-in until it expires.
func (q *request) redact(err error) string {
	msg := err.Error()
	if q.form == nil {
		return msg
	}
	for _, name := range []string{loginParam, consentParam, logoutParam} {
		if c := q.form.Get(name); c != "" {
			msg = strings.ReplaceAll(msg, url.QueryEscape(c), "[challenge]")
			msg = strings.ReplaceAll(msg, url.PathEscape(c), "[challenge]")
			msg = strings.ReplaceAll(msg, c, "[challenge]")
		}
	}
	return msg
}

// refused answers the restrictions' or maintenance's refusal as a page.
func (p *Pages) refused(q *request, err error) {
	var e *ports.Error
	if !errors.As(err, &e) {
		p.serverFailed(q, err)
		return
	}
	status := http.StatusForbidden
	if e.Code == ports.CodeMaintenance {
		status = http.StatusServiceUnavailable
	}
	msg := sentence(e.Message)
	if e.RestrictionCode != 0 {
		msg += fmt.Sprintf(" (restriction %d)", e.RestrictionCode)
	}
	p.message(q, status, "Access is not possible", msg)
}

// problem turns a sign-in or sign-up error into what the page shows: the
// very message GraphQL gives (one for an unknown account and a wrong
// secret alike), when to retry for RATE_LIMITED and LOCKED, and the field
// errors of VALIDATION_FAILED. ok false: not the person's problem (the
// page failed; already answered).
func (p *Pages) problem(q *request, err error, v *view) (ok bool) {
	var e *ports.Error
	if ourFault(err) || !errors.As(err, &e) {
		p.serverFailed(q, err)
		return false
	}
	switch e.Code {
	case ports.CodeValidationFailed:
		v.Fields = map[string]string{}
		for f, m := range e.Fields {
			v.Fields[f] = sentence(m)
		}
		v.Error = "Some fields need your attention."
	case ports.CodeRateLimited, ports.CodeLocked:
		v.Error = sentence(e.Message)
		if e.RetryAfter > 0 {
			v.Error += " Try again in " + wait(e.RetryAfter) + "."
		}
	default:
		v.Error = sentence(e.Message)
	}
	return true
}

// ourFault: err is a failure of the service or a dependency (INTERNAL,
// UNAVAILABLE, or no ports.Error at all), not a refusal of the person.
func ourFault(err error) bool {
	code := ports.ErrorCodeOf(err)
	return code == ports.CodeInternal || code == ports.CodeUnavailable
}

// sentence capitalises a service message for a page.
func sentence(m string) string {
	if m == "" {
		return m
	}
	r, n := utf8.DecodeRuneInString(m)
	m = strings.ToUpper(string(r)) + m[n:]
	if !strings.HasSuffix(m, ".") {
		m += "."
	}
	return m
}

// wait says a duration as a person reads it, rounded up.
func wait(d time.Duration) string {
	s := int((d + time.Second - 1) / time.Second)
	switch {
	case s < 60:
		return plural(s, "second")
	case s < 3600:
		return plural((s+59)/60, "minute")
	}
	return plural((s+3599)/3600, "hour")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// record writes a page's activity; failures are logged (the person's
// outcome is decided already).
func (p *Pages) record(ctx context.Context, userID *uuid.UUID, action string, err error, details map[string]string) {
	a := ports.NewActivity(ctx, userID, "SESSION", action, err, details, p.clock.Now())
	if rerr := p.activities.Record(context.WithoutCancel(ctx), a); rerr != nil {
		p.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}

// subject is the active user a challenge names; an error when the id is
// not a user's or the user may no longer sign in (blocked, deleted).
func (p *Pages) subject(ctx context.Context, id string) (identity.User, error) {
	uid, err := uuid.Parse(id)
	if err != nil {
		return identity.User{}, ports.ErrNotFound
	}
	u, err := p.users.Subject(ctx, uid)
	if err != nil {
		return identity.User{}, err
	}
	return u, identity.ActiveCheck(u)
}

// redirect sends the browser on to the server after an answer. Only an
// absolute http(s) URL is followed: the server's answer is the one place
// a page's Location comes from, and a javascript:, data: or relative URL
// there (a misconfigured or hostile server) would be an open redirect or
// script in the pages' name.
func (p *Pages) redirect(q *request, to string) {
	u, err := url.Parse(to)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		strings.ContainsAny(to, "\r\n") {
		p.serverFailed(q, fmt.Errorf("consent: the OAuth2 server answered a redirect that is not an http(s) URL (%d bytes)",
			len(to)))
		return
	}
	http.Redirect(q.w, q.r, to, http.StatusSeeOther)
}
