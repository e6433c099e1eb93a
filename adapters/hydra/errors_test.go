package hydra_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/hydra"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/ports"
)

// secret stands for whatever Hydra puts in an error: it must stay out of
// the error a page shows (ports.Error's Message), and out of the error
// text too, which is logged.
const secret = "pq: relation hydra_oauth2_flow at 10.0.0.7"

// canned is an admin API that answers every request with status and body,
// counting the requests.
func canned(t *testing.T, status int, body string) (*hydra.Admin, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	a, err := hydra.New(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.SetTimeouts(2*time.Second, time.Millisecond)
	return a, &n
}

func oauthBody(code string) string {
	return `{"error":"` + code + `","error_description":"` + secret + `","status_code":400}`
}

func TestChallengeGoneAnswers(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		body   string
	}{
		{"unknown", http.StatusNotFound, oauthBody("Not Found")},
		{"handled", http.StatusGone, `{"redirect_to":"http://127.0.0.1:4444/oauth2/auth?client_id=x"}`},
		{"conflict", http.StatusConflict, oauthBody("conflict")},
		{"expired", http.StatusUnauthorized, oauthBody("request_unauthorized")},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, n := canned(t, c.status, c.body)
			_, err := a.LoginRequest(context.Background(), "a-challenge")
			if !errors.Is(err, consent.ErrChallengeGone) {
				t.Fatalf("%d: want ErrChallengeGone, got %v", c.status, err)
			}
			_, err = a.AcceptConsent(context.Background(), "a-challenge", consent.ConsentAcceptance{})
			if !errors.Is(err, consent.ErrChallengeGone) {
				t.Fatalf("%d on accept: want ErrChallengeGone, got %v", c.status, err)
			}
			if strings.Contains(err.Error(), secret) {
				t.Fatalf("Hydra's text in the error: %v", err)
			}
			if n.Load() != 2 {
				t.Fatalf("%d requests for 2 calls: a gone challenge is not retried", n.Load())
			}
		})
	}
}

// TestUnauthorizedIsNotGone: a 401 that is not Hydra's expired request
// (a proxy asking for credentials) is a misconfiguration, not a gone
// challenge the page would explain to the person.
func TestUnauthorizedIsNotGone(t *testing.T) {
	a, _ := canned(t, http.StatusUnauthorized, `{"error":"unauthorized"}`)
	_, err := a.LoginRequest(context.Background(), "a-challenge")
	if err == nil || errors.Is(err, consent.ErrChallengeGone) || ports.ErrorCodeOf(err) != ports.CodeInternal {
		t.Fatalf("want an internal error, got %v", err)
	}
}

func TestServerErrorsAreUnavailable(t *testing.T) {
	for _, status := range []int{http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout, http.StatusTooManyRequests} {
		a, n := canned(t, status, oauthBody("server_error"))
		_, err := a.ConsentRequest(context.Background(), "a-challenge")
		unavailable(t, err)
		// A proxy's "Hydra is not there" (502-504) is tried once more; a
		// 500 or 429 from Hydra itself is not.
		want := int32(1)
		if status >= 502 {
			want = 2
		}
		if n.Load() != want {
			t.Fatalf("%d: %d requests, want %d", status, n.Load(), want)
		}
	}
}

func unavailable(t *testing.T, err error) {
	t.Helper()
	var pe *ports.Error
	if !errors.As(err, &pe) || pe.Code != ports.CodeUnavailable || pe.RetryAfter <= 0 {
		t.Fatalf("want UNAVAILABLE with a retry, got %v", err)
	}
	if strings.Contains(pe.Message, "hydra") || strings.Contains(err.Error(), secret) {
		t.Fatalf("Hydra's answer leaks: %q / %v", pe.Message, err)
	}
}

// TestSlowHydraIsUnavailable: a Hydra that does not answer within the
// call's deadline is UNAVAILABLE once the deadline passes, not a page
// hanging.
func TestSlowHydraIsUnavailable(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	a, err := hydra.New(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.SetTimeouts(300*time.Millisecond, time.Millisecond)
	t0 := time.Now()
	_, err = a.LoginRequest(context.Background(), "a-challenge")
	unavailable(t, err)
	if d := time.Since(t0); d > 2*time.Second {
		t.Fatalf("took %s for a 300ms deadline", d)
	}
}

// TestRefusedIsRetriedOnce: a connection refused is tried once more (Hydra
// restarting), even for an accept, since the request never reached it.
func TestRefusedIsRetriedOnce(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	a, err := hydra.New(url, nil)
	if err != nil {
		t.Fatal(err)
	}
	a.SetTimeouts(2*time.Second, 200*time.Millisecond)
	t0 := time.Now()
	_, err = a.AcceptLogin(context.Background(), "a-challenge", consent.LoginAcceptance{Subject: "u1"})
	unavailable(t, err)
	if d := time.Since(t0); d < 200*time.Millisecond {
		t.Fatalf("answered in %s: no retry after the wait", d)
	}
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:4445", "ftp://h/", "http://", "http://h/?x=1", "::"} {
		if _, err := hydra.New(u, nil); err == nil {
			t.Errorf("New(%q): no error", u)
		}
	}
	if _, err := hydra.New("http://127.0.0.1:4445/", nil); err != nil {
		t.Errorf("a plain admin URL: %v", err)
	}
}

func TestChallengeLimits(t *testing.T) {
	a, n := canned(t, http.StatusOK, `{}`)
	for _, ch := range []string{"", strings.Repeat("x", 5000)} {
		if _, err := a.LoginRequest(context.Background(), ch); !errors.Is(err, consent.ErrChallengeGone) {
			t.Fatalf("challenge of %d bytes: want ErrChallengeGone, got %v", len(ch), err)
		}
	}
	if n.Load() != 0 {
		t.Fatalf("%d requests for challenges that cannot be Hydra's", n.Load())
	}
}

// TestConsentsPages: the consent sessions are read page by page (Link
// rel="next"), sorted newest first, one per app.
func TestConsentsPages(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	session := func(client string, at time.Time) string {
		return `{"consent_request":{"challenge":"c","client":{"client_id":"` + client + `","client_name":"App ` + client +
			`"}},"grant_scope":["openid"],"handled_at":"` + at.Format(time.RFC3339) + `","remember":true,"remember_for":3600}`
	}
	var tokens []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tokens = append(tokens, r.URL.Query().Get("page_token"))
		w.Header().Set("Content-Type", "application/json")
		var items []string
		if r.URL.Query().Get("page_token") == "" {
			w.Header().Set("Link", `</admin/oauth2/auth/sessions/consent?page_size=500&page_token=p2&subject=u1>; rel="next"`)
			for i := range 500 {
				items = append(items, session("a", t0.Add(time.Duration(i)*time.Second)))
			}
		} else {
			items = append(items, session("b", t0.Add(time.Hour)), session("c", t0.Add(-time.Hour)))
		}
		_, _ = w.Write([]byte("[" + strings.Join(items, ",") + "]"))
	}))
	defer srv.Close()
	a, err := hydra.New(srv.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	list, err := a.Consents(context.Background(), "u1")
	if err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 2 || tokens[1] != "p2" {
		t.Fatalf("pages asked: %q", tokens)
	}
	var ids []string
	for _, c := range list {
		ids = append(ids, c.Client.ID)
	}
	if strings.Join(ids, ",") != "b,a,c" {
		t.Fatalf("apps %v, want b,a,c (newest first, one each)", ids)
	}
	if a0 := list[1]; !a0.GrantedAt.Equal(t0.Add(499*time.Second)) || !a0.ExpiresAt.Equal(a0.GrantedAt.Add(time.Hour)) ||
		a0.Client.Name != "App a" || !a0.Remembered {
		t.Fatalf("app a: want its newest consent, got %+v", a0)
	}
}
