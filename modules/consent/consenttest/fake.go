// Package consenttest is an in-memory OAuth2 server for tests of the
// login, consent and logout pages (Server, a consent.Challenges and
// consent.Grants), and the contract suite (Run) that it and
// adapters/hydra's Admin against a real Ory Hydra both pass, so a page
// tested against the fake behaves the same against Hydra.
//
// The fake follows Hydra v2.3's flow: an app's authorization request sends
// the browser to the login page with a login challenge; accepting it gives
// a URL on the server (with a verifier) that, followed, sends the browser
// to the consent page with a consent challenge; accepting that gives a URL
// that, followed, lands on the app's redirect URI with a code (or, after a
// refusal, with error=access_denied).
//
// As in Hydra v2.3, whose login and consent challenges carry the flow
// itself (encrypted) rather than name a row, a login or consent challenge
// can be read and answered again until its TTL ends: only one answer takes
// effect, the first whose URL the browser follows; following another gives
// the app an error, never a second code. A page must not count on
// ErrChallengeGone to stop a double submit. Unknown or expired challenges,
// and logout challenges once answered, are consent.ErrChallengeGone.
package consenttest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/ports"
)

// Options configures a Server; every field has a default.
type Options struct {
	// PublicURL is the server's own base URL: the accept/reject answers
	// point there (default http://oauth2.test).
	PublicURL string
	// LoginURL, ConsentURL, LogoutURL: the pages the server sends the
	// browser to, with ?login_challenge= etc. (defaults under
	// http://gatehouse.test/oauth2/).
	LoginURL, ConsentURL, LogoutURL string
	// TTL of a challenge (default 30 minutes, as Hydra's).
	TTL time.Duration
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Server is the in-memory OAuth2 server. Safe for concurrent use.
type Server struct {
	o  Options
	mu sync.Mutex

	clients  map[string]App
	logins   map[string]*flow       // by login challenge
	consents map[string]*consentReq // by consent challenge
	verifier map[string]*answer     // login and consent verifiers, used once
	logouts  map[string]*logout
	sessions map[string]string // browser → subject of its remembered login
	grants   []*grant          // accepted consents, oldest first
	codes    map[string]*grant
	tokens   map[string]*grant // access token → the grant it was issued under
	down     bool
}

// App is a client registered on the Server.
type App struct {
	consent.Client
	RedirectURI string
	Scopes      []string
}

// Authorization is an app's authorization request, made by Browser (an
// opaque name standing for the browser's cookies at the server: the same
// name is the same remembered login).
type Authorization struct {
	ClientID  string
	Scopes    []string
	Audience  []string
	State     string
	Browser   string
	LoginHint string
	Prompt    string // "login" forces the login page even when remembered
}

// flow is one authorization request.
type flow struct {
	auth      Authorization
	app       App
	requested time.Time
	// remembered: the subject of the browser's remembered login, if any
	// (the login request's Skip).
	remembered string
	// done: the app got its answer (a code or an error); later answers
	// of the same flow give it an error.
	done bool
}

// consentReq is one consent challenge, made when a login answer is
// followed.
type consentReq struct {
	f         *flow
	login     consent.LoginAcceptance
	skip      bool
	requested time.Time
}

// answer is what a verifier in an Accept… or Reject… URL stands for.
type answer struct {
	f        *flow
	consent  *consentReq // nil for a login answer
	login    consent.LoginAcceptance
	accepted consent.ConsentAcceptance
	refusal  *consent.Refusal
}

type grant struct {
	subject  string
	app      App
	accepted consent.ConsentAcceptance
	skipped  bool // a remembered consent reused: not listed, as in Hydra
	at       time.Time
	revoked  bool
}

type logout struct {
	challenge, browser, subject, session, verifier string
	requested                                      time.Time
	done                                           bool
}

// New returns an empty Server.
func New(o Options) *Server {
	if o.PublicURL == "" {
		o.PublicURL = "http://oauth2.test"
	}
	if o.LoginURL == "" {
		o.LoginURL = "http://gatehouse.test/oauth2/login"
	}
	if o.ConsentURL == "" {
		o.ConsentURL = "http://gatehouse.test/oauth2/consent"
	}
	if o.LogoutURL == "" {
		o.LogoutURL = "http://gatehouse.test/oauth2/logout"
	}
	if o.TTL == 0 {
		o.TTL = 30 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Server{o: o, clients: map[string]App{}, logins: map[string]*flow{}, consents: map[string]*consentReq{},
		verifier: map[string]*answer{}, logouts: map[string]*logout{}, sessions: map[string]string{},
		codes: map[string]*grant{}, tokens: map[string]*grant{}}
}

var (
	_ consent.Challenges = (*Server)(nil)
	_ consent.Grants     = (*Server)(nil)
)

// AddClient registers app (its ID made up when empty; RedirectURI defaults
// to http://app.test/callback) and returns it.
func (s *Server) AddClient(app App) App {
	s.mu.Lock()
	defer s.mu.Unlock()
	if app.ID == "" {
		app.ID = "app-" + token()
	}
	if app.RedirectURI == "" {
		app.RedirectURI = "http://app.test/callback"
	}
	s.clients[app.ID] = app
	return app
}

// NewLogin starts an authorization request of client for scopes from a new
// browser (registering the client, or letting it ask for scopes, as
// needed) and returns the login challenge.
func (s *Server) NewLogin(client consent.Client, scopes []string) string {
	s.mu.Lock()
	app, known := s.clients[client.ID]
	s.mu.Unlock()
	if !known || client.ID == "" {
		app = App{Client: client}
	}
	for _, sc := range scopes {
		if !slices.Contains(app.Scopes, sc) {
			app.Scopes = append(app.Scopes, sc)
		}
	}
	client = s.AddClient(app).Client
	u, err := s.Authorize(Authorization{ClientID: client.ID, Scopes: scopes, Browser: "browser-" + token(), State: token()})
	if err != nil {
		panic(err) // the client was just registered
	}
	return challengeIn(u, "login_challenge")
}

// Authorize is the app's authorization request arriving at the server:
// it returns the login page's URL with a new login challenge (Skip set
// when the browser's login is remembered).
func (s *Server) Authorize(a Authorization) (loginPage string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	app, ok := s.clients[a.ClientID]
	if !ok {
		return "", fmt.Errorf("consenttest: unknown client %q", a.ClientID)
	}
	for _, sc := range a.Scopes {
		if !slices.Contains(app.Scopes, sc) {
			return "", fmt.Errorf("consenttest: client %q may not ask for scope %q", a.ClientID, sc)
		}
	}
	f := &flow{auth: a, app: app, requested: s.o.Now()}
	if sub, ok := s.sessions[a.Browser]; ok && a.Browser != "" && a.Prompt != "login" {
		f.remembered = sub
	}
	ch := token()
	s.logins[ch] = f
	return s.o.LoginURL + "?login_challenge=" + ch, nil
}

// Follow is the browser following redirectTo (an answer of Accept… or
// Reject…) to the server: it returns where the server sends it next, the
// consent page, the app's redirect URI with a code or an error, or the
// page after logout. A verifier is used once.
func (s *Server) Follow(redirectTo string) (string, error) {
	u, err := url.Parse(redirectTo)
	if err != nil {
		return "", err
	}
	q := u.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	if v := q.Get("logout_verifier"); v != "" {
		for _, l := range s.logouts {
			if l.verifier == v {
				l.verifier = ""
				delete(s.sessions, l.browser)
				return s.o.PublicURL + "/oauth2/fallbacks/logout/callback", nil
			}
		}
		return "", errors.New("consenttest: unknown or used logout verifier")
	}
	v := q.Get("login_verifier") + q.Get("consent_verifier")
	ans, ok := s.verifier[v]
	if v == "" || !ok {
		return "", errors.New("consenttest: unknown or used verifier")
	}
	delete(s.verifier, v)
	f := ans.f
	if f.done {
		return s.callback(f, url.Values{"error": {"access_denied"},
			"error_description": {"The request was answered already."}}), nil
	}
	if ans.refusal != nil {
		f.done = true
		return s.callback(f, url.Values{"error": {ans.refusal.Error}, "error_description": {ans.refusal.Description}}), nil
	}
	if ans.consent == nil {
		if ans.login.Remember && f.auth.Browser != "" {
			s.sessions[f.auth.Browser] = ans.login.Subject
		}
		cr := &consentReq{f: f, login: ans.login, requested: s.o.Now()}
		cr.skip = s.rememberedConsent(cr)
		ch := token()
		s.consents[ch] = cr
		return s.o.ConsentURL + "?consent_challenge=" + ch, nil
	}
	f.done = true
	g := &grant{subject: ans.consent.login.Subject, app: f.app, accepted: ans.accepted, skipped: ans.consent.skip, at: s.o.Now()}
	s.grants = append(s.grants, g)
	code := token()
	s.codes[code] = g
	return s.callback(f, url.Values{"code": {code}}), nil
}

// ServeHTTP serves Follow at PublicURL, for tests whose browser is an HTTP
// client: each answer's URL redirects (302) to the next page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	next, err := s.Follow(s.o.PublicURL + r.URL.RequestURI())
	if err != nil {
		http.Error(w, "the request is unknown or was used", http.StatusForbidden)
		return
	}
	http.Redirect(w, r, next, http.StatusFound)
}

func (s *Server) callback(f *flow, v url.Values) string {
	if f.auth.State != "" {
		v.Set("state", f.auth.State)
	}
	return f.app.RedirectURI + "?" + v.Encode()
}

// rememberedConsent: the subject consented to every requested scope of
// this app before, with Remember, and that consent has not ended.
func (s *Server) rememberedConsent(cr *consentReq) bool {
	now, f := s.o.Now(), cr.f
	for _, g := range slices.Backward(s.grants) {
		if g.revoked || g.subject != cr.login.Subject || g.app.ID != f.app.ID || !g.accepted.Remember {
			continue
		}
		if g.accepted.RememberFor > 0 && now.After(g.at.Add(g.accepted.RememberFor)) {
			continue
		}
		if containsAll(g.accepted.GrantScopes, f.auth.Scopes) {
			return true
		}
	}
	return false
}

// Tokens is what the app gets for a code.
type Tokens struct {
	AccessToken string
	// IDToken is the id token's claims: sub, aud (the client id), amr, and
	// the claims the consent added.
	IDToken map[string]any
	Scopes  []string
}

// Exchange is the app trading code for tokens; a code works once.
func (s *Server) Exchange(code string) (Tokens, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.codes[code]
	if !ok || g.revoked {
		return Tokens{}, errors.New("consenttest: invalid_grant")
	}
	delete(s.codes, code)
	claims := map[string]any{}
	for k, v := range g.accepted.IDToken {
		claims[k] = v
	}
	claims["sub"], claims["aud"] = g.subject, []any{g.app.ID}
	at := token()
	s.tokens[at] = g
	return Tokens{AccessToken: at, IDToken: claims, Scopes: slices.Clone(g.accepted.GrantScopes)}, nil
}

// Active is introspection: whether accessToken is valid (not revoked).
func (s *Server) Active(accessToken string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.tokens[accessToken]
	return ok && !g.revoked
}

// Logout is the browser going to the server's logout endpoint: it
// returns the logout page's URL with a new challenge, or an error when the
// browser has no remembered login.
func (s *Server) Logout(browser string) (logoutPage string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, ok := s.sessions[browser]
	if !ok {
		return "", errors.New("consenttest: no login session to log out of")
	}
	l := &logout{challenge: token(), browser: browser, subject: sub, session: "sid-" + browser, requested: s.o.Now()}
	s.logouts[l.challenge] = l
	return s.o.LogoutURL + "?logout_challenge=" + l.challenge, nil
}

// SetDown makes every call fail as an unreachable server does (ports.Error
// UNAVAILABLE), or work again.
func (s *Server) SetDown(down bool) {
	s.mu.Lock()
	s.down = down
	s.mu.Unlock()
}

func (s *Server) unavailable() error {
	if s.down {
		return ports.Unavailable(errors.New("consenttest: the server is down"))
	}
	return nil
}

// login finds a login challenge (answered or not: see the package
// comment); the caller holds mu.
func (s *Server) login(challenge string) (*flow, error) {
	if err := s.unavailable(); err != nil {
		return nil, err
	}
	f, ok := s.logins[challenge]
	if !ok || s.o.Now().After(f.requested.Add(s.o.TTL)) {
		return nil, consent.ErrChallengeGone
	}
	return f, nil
}

func (s *Server) consent(challenge string) (*consentReq, error) {
	if err := s.unavailable(); err != nil {
		return nil, err
	}
	cr, ok := s.consents[challenge]
	if !ok || s.o.Now().After(cr.requested.Add(s.o.TTL)) {
		return nil, consent.ErrChallengeGone
	}
	return cr, nil
}

func (s *Server) LoginRequest(_ context.Context, challenge string) (consent.LoginRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.login(challenge)
	if err != nil {
		return consent.LoginRequest{}, err
	}
	return consent.LoginRequest{Challenge: challenge, Client: f.app.Client, Skip: f.remembered != "", Subject: f.remembered,
		RequestedScopes: slices.Clone(f.auth.Scopes), RequestURL: s.o.PublicURL + "/oauth2/auth?client_id=" + url.QueryEscape(f.app.ID),
		LoginHint: f.auth.LoginHint}, nil
}

func (s *Server) AcceptLogin(_ context.Context, challenge string, a consent.LoginAcceptance) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.login(challenge)
	if err != nil {
		return "", err
	}
	if a.Subject == "" {
		return "", errors.New("consenttest: accept login without a subject")
	}
	if f.remembered != "" && a.Subject != f.remembered {
		return "", errors.New("consenttest: a remembered login accepted for another subject")
	}
	return s.verify(&answer{f: f, login: a}, "login_verifier"), nil
}

func (s *Server) RejectLogin(_ context.Context, challenge string, r consent.Refusal) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, err := s.login(challenge)
	if err != nil {
		return "", err
	}
	return s.verify(&answer{f: f, refusal: &r}, "login_verifier"), nil
}

func (s *Server) verify(a *answer, param string) string {
	v := token()
	s.verifier[v] = a
	return s.o.PublicURL + "/oauth2/auth?client_id=" + url.QueryEscape(a.f.app.ID) + "&" + param + "=" + v
}

func (s *Server) ConsentRequest(_ context.Context, challenge string) (consent.ConsentRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr, err := s.consent(challenge)
	if err != nil {
		return consent.ConsentRequest{}, err
	}
	return consent.ConsentRequest{Challenge: challenge, Client: cr.f.app.Client, Skip: cr.skip, Subject: cr.login.Subject,
		Browser: cr.login.Browser, RequestedScopes: slices.Clone(cr.f.auth.Scopes), RequestedAudience: slices.Clone(cr.f.auth.Audience)}, nil
}

func (s *Server) AcceptConsent(_ context.Context, challenge string, a consent.ConsentAcceptance) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr, err := s.consent(challenge)
	if err != nil {
		return "", err
	}
	for _, sc := range a.GrantScopes {
		if !slices.Contains(cr.f.auth.Scopes, sc) {
			return "", fmt.Errorf("consenttest: scope %q granted but not requested", sc)
		}
	}
	a.IDToken = withAMR(a.IDToken, cr.login.AMR)
	return s.verify(&answer{f: cr.f, consent: cr, accepted: a}, "consent_verifier"), nil
}

// withAMR adds the login's amr to the id token claims, as Hydra does.
func withAMR(claims map[string]any, amr []string) map[string]any {
	out := map[string]any{}
	for k, v := range claims {
		out[k] = v
	}
	if len(amr) > 0 {
		vs := make([]any, len(amr))
		for i, m := range amr {
			vs[i] = m
		}
		out["amr"] = vs
	}
	return out
}

func (s *Server) RejectConsent(_ context.Context, challenge string, r consent.Refusal) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cr, err := s.consent(challenge)
	if err != nil {
		return "", err
	}
	return s.verify(&answer{f: cr.f, consent: cr, refusal: &r}, "consent_verifier"), nil
}

func (s *Server) logoutReq(challenge string) (*logout, error) {
	if err := s.unavailable(); err != nil {
		return nil, err
	}
	l, ok := s.logouts[challenge]
	if !ok || l.done || s.o.Now().After(l.requested.Add(s.o.TTL)) {
		return nil, consent.ErrChallengeGone
	}
	return l, nil
}

func (s *Server) LogoutRequest(_ context.Context, challenge string) (consent.LogoutRequest, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.logoutReq(challenge)
	if err != nil {
		return consent.LogoutRequest{}, err
	}
	return consent.LogoutRequest{Challenge: challenge, Subject: l.subject, SessionID: l.session}, nil
}

func (s *Server) AcceptLogout(_ context.Context, challenge string) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.logoutReq(challenge)
	if err != nil {
		return "", err
	}
	l.done, l.verifier = true, token()
	return s.o.PublicURL + "/oauth2/sessions/logout?logout_verifier=" + l.verifier, nil
}

func (s *Server) RejectLogout(_ context.Context, challenge string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, err := s.logoutReq(challenge)
	if err != nil {
		return err
	}
	l.done = true
	return nil
}

// Consents lists the subject's consents as Hydra does: one per app (the
// newest), without consents that only reused a remembered one, without
// remembered ones that ended.
func (s *Server) Consents(_ context.Context, subject string) ([]consent.AppConsent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.unavailable(); err != nil {
		return nil, err
	}
	out := []consent.AppConsent{}
	seen := map[string]bool{}
	now := s.o.Now()
	for _, g := range slices.Backward(s.grants) {
		if g.revoked || g.skipped || g.subject != subject || seen[g.app.ID] {
			continue
		}
		c := consent.AppConsent{Client: g.app.Client, Scopes: slices.Clone(g.accepted.GrantScopes),
			Audience: slices.Clone(g.accepted.GrantAudience), GrantedAt: g.at, Remembered: g.accepted.Remember}
		if g.accepted.Remember && g.accepted.RememberFor > 0 {
			c.ExpiresAt = g.at.Add(g.accepted.RememberFor)
			if now.After(c.ExpiresAt) {
				continue
			}
		}
		seen[g.app.ID] = true
		out = append(out, c)
	}
	return out, nil
}

// Revoke withdraws every consent of subject to clientID, and the tokens
// issued under them.
func (s *Server) Revoke(_ context.Context, subject, clientID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.unavailable(); err != nil {
		return err
	}
	for _, g := range s.grants {
		if g.subject == subject && g.app.ID == clientID {
			g.revoked = true
		}
	}
	return nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}

func challengeIn(u, param string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Query().Get(param)
}

func token() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
