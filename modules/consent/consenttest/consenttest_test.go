package consenttest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/modules/consent/consenttest"
)

// TestContract runs the suite adapters/hydra passes against a real Hydra.
func TestContract(t *testing.T) {
	consenttest.Run(t, consenttest.NewDriver(consenttest.New(consenttest.Options{})))
}

// TestExpiredChallengeIsGone: a challenge older than the TTL is gone, as
// Hydra's are (the suite cannot wait 30 minutes for a real one).
func TestExpiredChallengeIsGone(t *testing.T) {
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	s := consenttest.New(consenttest.Options{TTL: 10 * time.Minute, Now: func() time.Time { return now }})
	ch := s.NewLogin(consent.Client{Name: "Budget Planner"}, []string{"openid"})
	if _, err := s.LoginRequest(context.Background(), ch); err != nil {
		t.Fatalf("fresh challenge: %v", err)
	}
	now = now.Add(11 * time.Minute)
	if _, err := s.LoginRequest(context.Background(), ch); !errors.Is(err, consent.ErrChallengeGone) {
		t.Fatalf("expired challenge: want ErrChallengeGone, got %v", err)
	}
	if _, err := s.AcceptLogin(context.Background(), ch, consent.LoginAcceptance{Subject: "u1"}); !errors.Is(err, consent.ErrChallengeGone) {
		t.Fatalf("accepting an expired challenge: want ErrChallengeGone, got %v", err)
	}
}

// TestServeHTTP: a browser that is an HTTP client follows an answer's URL
// through the fake's handler to the next page.
func TestServeHTTP(t *testing.T) {
	srv := httptest.NewServer(nil)
	defer srv.Close()
	s := consenttest.New(consenttest.Options{PublicURL: srv.URL})
	srv.Config.Handler = s
	ch := s.NewLogin(consent.Client{Name: "Budget Planner"}, []string{"openid"})
	to, err := s.AcceptLogin(context.Background(), ch, consent.LoginAcceptance{Subject: "u1"})
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	next := consenttest.ParseStep(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound || next.Consent == "" {
		t.Fatalf("want a redirect to the consent page, got %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if _, err := s.ConsentRequest(context.Background(), next.Consent); err != nil {
		t.Fatalf("the consent challenge: %v", err)
	}
	// The verifier works once.
	res, err = c.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("a used verifier: want 403, got %d", res.StatusCode)
	}
}
