package consenttest

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/modules/consent"
)

// NewDriver drives s for Run, and for tests of the pages that play the
// browser and the app themselves.
func NewDriver(s *Server) Driver { return fakeDriver{s} }

type fakeDriver struct{ s *Server }

func (d fakeDriver) Admin() Admin { return d.s }

func (d fakeDriver) Unreachable(*testing.T) Admin {
	down := New(d.s.o)
	down.SetDown(true)
	return down
}

func (d fakeDriver) NewApp(_ *testing.T, name string, scopes []string) consent.Client {
	return d.s.AddClient(App{Client: clientNamed(name), Scopes: scopes}).Client
}

func (d fakeDriver) NewBrowser(*testing.T) Browser {
	return &fakeBrowser{s: d.s, name: "browser-" + token()}
}

func (d fakeDriver) Introspect(_ *testing.T, accessToken string) (bool, map[string]any) {
	d.s.mu.Lock()
	defer d.s.mu.Unlock()
	g, ok := d.s.tokens[accessToken]
	if !ok || g.revoked {
		return false, nil
	}
	return true, g.accepted.AccessToken
}

type fakeBrowser struct {
	s    *Server
	name string
	app  consent.Client
}

func (b *fakeBrowser) Authorize(t *testing.T, app consent.Client, scopes []string) Step {
	t.Helper()
	state := token()
	u, err := b.s.Authorize(Authorization{ClientID: app.ID, Scopes: scopes, State: state, Browser: b.name})
	if err != nil {
		t.Fatalf("authorize: %v", err)
	}
	b.app = app
	st := ParseStep(u)
	st.App, st.State = app, state
	return st
}

func (b *fakeBrowser) Follow(t *testing.T, redirectTo string) Step {
	t.Helper()
	next, err := b.s.Follow(redirectTo)
	if err != nil {
		t.Fatalf("follow %s: %v", redirectTo, err)
	}
	st := ParseStep(next)
	st.App = b.app
	if u, err := url.Parse(next); err == nil && strings.HasSuffix(u.Path, "/logout/callback") {
		st.LoggedOut = true
	}
	return st
}

func (b *fakeBrowser) Exchange(t *testing.T, step Step) Tokens {
	t.Helper()
	tok, err := b.s.Exchange(step.Code)
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}

func (b *fakeBrowser) Logout(t *testing.T) Step {
	t.Helper()
	u, err := b.s.Logout(b.name)
	if err != nil {
		t.Fatalf("logout: %v", err)
	}
	return ParseStep(u)
}

func clientNamed(name string) consent.Client {
	return consent.Client{ID: "app-" + token()[:12], Name: name}
}
