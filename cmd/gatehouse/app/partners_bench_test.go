package app_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

func partnerBenchHarness(b *testing.B) *harness {
	return newHarness(b, func(c *app.Config) {
		c.SignInsPerMinute, c.StatusChecksPerMinute = 1000000, 1000000
		c.PartnerTokensPerMinute, c.PartnerTokensPerMinutePerIP = 100000, 100000
		c.LogLevel = slog.LevelInfo
	})
}

// BenchmarkPartnerToken is one client credentials grant over HTTP: two
// rate-limit counts, the app's read, a SHA-256, a signature and the
// activity row.
func BenchmarkPartnerToken(b *testing.B) {
	h := partnerBenchHarness(b)
	admin := h.staff("ADMIN", "+447911126171")
	pa := h.createPartnerApp(admin.token, "Bench", "users:read")
	body := url.Values{"grant_type": {"client_credentials"}}.Encode()
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/oauth2/token", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.SetBasicAuth(pa.ClientID, pa.ClientSecret)
			res, err := h.srv.Client().Do(req)
			if err != nil || res.StatusCode != http.StatusOK {
				b.Errorf("token: %v %v", err, res)
				return
			}
			res.Body.Close()
		}
	})
}

// BenchmarkPartnerUsers is a partner's read of users with its token: the
// token's check, the app's read, the rows and scopes, an audited query.
func BenchmarkPartnerUsers(b *testing.B) {
	h := partnerBenchHarness(b)
	admin := h.staff("ADMIN", "+447911126181")
	h.signUp("+447911126182", "4831", "phone")
	pa := h.createPartnerApp(admin.token, "Bench", "users:read")
	cfg, ctx := h.partnerClient(pa, oauth2.AuthStyleInHeader)
	tok, err := cfg.Token(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := h.post(tok.AccessToken, qPartnerUsers, nil)
			if len(r.Errors) > 0 {
				b.Errorf("users: %+v", r.Errors)
				return
			}
		}
	})
}
