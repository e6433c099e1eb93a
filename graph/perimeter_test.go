package graph

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/ports"
)

// TestLoginFieldsAreEveryWayIn: every mutation that hands out a session
// (AuthPayload, SignInPayload) is a login field but refreshSession, which
// keeps a session that exists; and every login field is a mutation of the
// schema, so a renamed one cannot slip out of BLOCKLOGIN unnoticed.
func TestLoginFieldsAreEveryWayIn(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	mutations := map[string]bool{}
	for _, f := range schema.Mutation.Fields {
		mutations[f.Name] = true
		opens := f.Type.Name() == "AuthPayload" || f.Type.Name() == "SignInPayload"
		if opens && f.Name != "refreshSession" && !LoginFields[f.Name] {
			t.Errorf("%s returns a session but BLOCKLOGIN does not refuse it: add it to LoginFields", f.Name)
		}
	}
	for name := range LoginFields {
		if !mutations[name] {
			t.Errorf("LoginFields names %s, which is no mutation", name)
		}
	}
	if LoginFields["refreshSession"] {
		t.Error("refreshSession is a login field: block-login would sign out everyone whose token expires")
	}
}

// recordingPerimeter refuses every client and remembers what it judged.
type recordingPerimeter struct {
	ip    string
	login bool
}

func (p *recordingPerimeter) Check(ctx context.Context, login bool) error {
	p.ip, p.login = ports.RequestMetaFrom(ctx).IP, login
	e := ports.Refusal(ports.CodeMaintenance, perimeter.ReasonMaintenance, "down for maintenance")
	e.RestrictionCode = 503
	return e
}

func TestGuardRouteAnswersRefusalsAsJSON(t *testing.T) {
	p := &recordingPerimeter{}
	called := false
	h := GuardRoute(p, []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")}, true,
		http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true }))
	req := httptest.NewRequest(http.MethodPost, "/oauth2/token", nil)
	req.RemoteAddr = "192.0.2.10:4000"
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if called {
		t.Fatal("the refused request reached the handler")
	}
	if rec.Code != http.StatusServiceUnavailable || p.ip != "203.0.113.7" || !p.login {
		t.Fatalf("status %d, judged %q login %v", rec.Code, p.ip, p.login)
	}
	var body map[string]any
	if err := json.NewDecoder(rec.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if body["code"] != "MAINTENANCE" || body["reason"] != "MAINTENANCE" || body["restrictionCode"] != float64(503) {
		t.Fatalf("body %v", body)
	}
}
