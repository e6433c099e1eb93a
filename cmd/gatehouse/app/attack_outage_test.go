package app_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/ports"
)

// signedTry is try for a request signed with k over nonce.
func (h *harness) signedTry(k apiKey, nonce string) answer {
	start := time.Now()
	a := h.rawRequest(http.MethodPost, "/graphql", "application/json", `{"query":"{ me { id } }"}`,
		signedHeaders(k.KeyID, nonce, sign(k.Secret, nonce, k.KeyID)))
	var out gqlResponse
	err := json.Unmarshal([]byte(a.body), &out)
	out.Status = a.status
	return answer{res: out, took: time.Since(start), err: err}
}

// assertTokenUnavailable: a token request while the database is out is
// RFC 6749's temporarily_unavailable (503, Retry-After), saying nothing of
// the database.
func assertTokenUnavailable(t *testing.T, what string, a rawAnswer) {
	t.Helper()
	must(t, a.status == http.StatusServiceUnavailable && oauthOf(t, a) == "temporarily_unavailable",
		"%s: %d %s", what, a.status, a.body)
	s, err := strconv.Atoi(a.header.Get("Retry-After"))
	must(t, err == nil && s >= 1, "%s: Retry-After %q", what, a.header.Get("Retry-After"))
	must(t, driverText.FindString(a.body) == "", "%s: the body leaks %q", what, driverText.FindString(a.body))
}

func TestProgramPathsWhileTheDatabaseIsOut(t *testing.T) {
	const stmt, lock, wait = time.Second, 500 * time.Millisecond, time.Second
	h, proxy, _ := outageHarness(t, func(c *app.Config) {
		c.DBStatementTimeout, c.DBLockTimeout, c.DBPoolWait = stmt, lock, wait
	})
	admin := h.staff("ADMIN", "+447911129501")
	partner := h.createPartnerApp(admin.token, "Outage", "users:read")
	u := h.totpUser("outage@example.com")
	k := u.createKey("read")
	body := "grant_type=client_credentials"
	auth := map[string][]string{"Authorization": {basicOf(partner.ClientID, partner.ClientSecret)}}
	issued := h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded", body, auth)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	must(t, json.Unmarshal([]byte(issued.body), &tok) == nil && tok.AccessToken != "", "token: %s", issued.body)
	for _, outage := range []struct {
		name       string
		start, end func()
	}{
		{"stopped", proxy.stop, proxy.start},
		{"frozen", proxy.freeze, proxy.unfreeze},
	} {
		outage.start()
		n := h.nonce(0)
		a := h.signedTry(k, n)
		assertUnavailable(t, outage.name+": a signed request", a)
		must(t, a.took < wait+stmt+3*time.Second, "%s: a signed request took %s", outage.name, a.took)
		start := time.Now()
		ta := h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded", body, auth)
		assertTokenUnavailable(t, outage.name+": a token request", ta)
		must(t, time.Since(start) < wait+stmt+3*time.Second, "%s: a token request took %s", outage.name, time.Since(start))
		// A partner's token in hand: its app is read on every request.
		assertUnavailable(t, outage.name+": a partner's call", h.try(tok.AccessToken, "", qPartnerUsers, nil))
		outage.end()

		// Back: the nonce the failed request carried was not half-spent
		// (the bot's retry with it passes), and tokens are issued again.
		deadline := time.Now().Add(15 * time.Second)
		for {
			a := h.signedTry(k, n)
			if a.err == nil && len(a.res.Errors) == 0 {
				break
			}
			must(t, time.Now().Before(deadline), "%s: no recovery: %+v %v", outage.name, a.res.Errors, a.err)
			time.Sleep(100 * time.Millisecond)
		}
		ta = h.rawRequest(http.MethodPost, "/oauth2/token", "application/x-www-form-urlencoded", body, auth)
		must(t, ta.status == http.StatusOK, "%s: token after: %d %s", outage.name, ta.status, ta.body)
		h.clock.Advance(time.Millisecond)
	}
	logs := h.logs.String()
	for _, secret := range []string{k.Secret, partner.ClientSecret} {
		must(t, !strings.Contains(logs, secret), "a secret reached the logs")
	}
}

func basicOf(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

// hangupApps holds each read of a partner app, while on, until the test
// has made its client hang up.
type hangupApps struct {
	partners.Apps
	on      atomic.Bool
	arrived chan struct{}
	proceed chan struct{}
}

func (s *hangupApps) Get(ctx context.Context, id uuid.UUID) (partners.App, error) {
	a, err := s.Apps.Get(ctx, id)
	if s.on.Load() {
		s.arrived <- struct{}{}
		<-s.proceed
	}
	return a, err
}

// Every wrong client secret is in the activity log, even when the client
// hangs up in the middle of its token request: hanging up is no way to
// guess unseen.
func TestWrongClientSecretsOfClientsThatHangUpAreAllLogged(t *testing.T) {
	t.Parallel()
	hs := &hangupApps{arrived: make(chan struct{}, 1), proceed: make(chan struct{})}
	h := newHarnessWith(t, []fx.Option{fx.Decorate(func(in partners.Apps) partners.Apps {
		hs.Apps = in
		return hs
	})})
	admin := h.staff("ADMIN", "+447911129601")
	app := h.createPartnerApp(admin.token, "Hung up", "users:read")
	hs.on.Store(true)
	const tries = 10
	for i := range tries {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, h.srv.URL+"/oauth2/token",
			strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", basicOf(app.ClientID, "ghps_guess"))
		done := make(chan error, 1)
		go func() {
			res, err := h.srv.Client().Do(req)
			if err == nil {
				res.Body.Close()
			}
			done <- err
		}()
		select {
		case <-hs.arrived:
		case err := <-done:
			t.Fatalf("try %d answered before the app was read: %v", i+1, err)
		}
		cancel()
		<-done
		time.Sleep(20 * time.Millisecond)
		hs.proceed <- struct{}{}
	}
	hs.on.Store(false)

	var logged int
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := h.db.NewRaw(`SELECT count(*) FROM activities WHERE action = 'partner_app.token' AND result = ?`,
			string(ports.ActivityFailed)).Scan(t.Context(), &logged); err != nil {
			t.Fatal(err)
		}
		if logged >= tries || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	must(t, logged == tries, "%d of %d wrong secrets of clients that hung up are in the activity log", logged, tries)
}
