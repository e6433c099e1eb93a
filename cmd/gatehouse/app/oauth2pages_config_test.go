package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

func TestHydraSettings(t *testing.T) {
	c, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev"}))
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.HydraAdminURL == "" && c.OAuth2RememberFor == 30*24*time.Hour && c.OAuth2PagesPerMinute == 60,
		"defaults: %q %v %d", c.HydraAdminURL, c.OAuth2RememberFor, c.OAuth2PagesPerMinute)
	c, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_HYDRA_ADMIN_URL": "http://hydra:4445/",
		"GATEHOUSE_OAUTH2_REMEMBER_FOR": "24h"}))
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.HydraAdminURL == "http://hydra:4445" && c.OAuth2RememberFor == 24*time.Hour, "set: %q %v",
		c.HydraAdminURL, c.OAuth2RememberFor)
	for _, bad := range []string{"hydra:4445", "ftp://hydra:4445", "http://", "http://u:p@hydra:4445",
		"http://hydra:4445/?x=1", "http://hydra:4445/#f", "::"} {
		_, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_HYDRA_ADMIN_URL": bad,
			"GATEHOUSE_OAUTH2_REMEMBER_FOR": "0s", "GATEHOUSE_OAUTH2_PAGES_PER_MINUTE": "0"}))
		must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_HYDRA_ADMIN_URL") &&
			strings.Contains(err.Error(), "GATEHOUSE_OAUTH2_REMEMBER_FOR") &&
			strings.Contains(err.Error(), "GATEHOUSE_OAUTH2_PAGES_PER_MINUTE"), "%q: %v", bad, err)
		must(t, !strings.Contains(err.Error(), "u:p"), "the error repeats the credentials: %v", err)
	}
}
