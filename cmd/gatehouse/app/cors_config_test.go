package app_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

func TestCORSOriginsAreExactOrigins(t *testing.T) {
	c, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev"}))
	must(t, err == nil && len(c.CORSOrigins) == 0, "by default no other origin is allowed: %v %v", c.CORSOrigins, err)

	c, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev",
		"GATEHOUSE_CORS_ORIGINS": " https://App.Example.com , http://localhost:5173,http://[::1]:8081"}))
	must(t, err == nil, "good origins refused: %v", err)
	must(t, slices.Equal(c.CORSOrigins, []string{"https://app.example.com", "http://localhost:5173", "http://[::1]:8081"}),
		"origins as browsers write them: %q", c.CORSOrigins)

	bad := []string{"*", "https://*.example.com", "https://app.example.com/", "https://app.example.com/console",
		"https://app.example.com?x=1", "ftp://files.example.com", "app.example.com", "null", "https://user@app.example.com",
		"https://app.example.com:443", "http://app.example.com:80", "http://localhost:99999"}
	_, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_CORS_ORIGINS": strings.Join(bad, ","),
		"GATEHOUSE_OTP_TTL": "forever"}))
	var ce *app.ConfigError
	must(t, errors.As(err, &ce), "bad origins accepted: %v", err)
	// Each bad entry is named, with the other problems, at once.
	must(t, len(ce.Problems) == len(bad)+1, "want %d problems, got %d:\n%v", len(bad)+1, len(ce.Problems), err)
	for _, o := range bad {
		found := false
		for _, p := range ce.Problems {
			if strings.HasPrefix(p, "GATEHOUSE_CORS_ORIGINS ") && strings.Contains(p, `"`+o+`"`) {
				found = true
			}
		}
		must(t, found, "no problem names %q:\n%v", o, err)
	}
}
