package sms

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestTwilioConfigNeverPrintsToken(t *testing.T) {
	cfg := TwilioConfig{AccountSID: testAccountSID, AuthToken: testAuthToken, From: testFrom}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "twilio", cfg)
	for _, s := range []string{buf.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg)} {
		if strings.Contains(s, testAuthToken) {
			t.Errorf("%q leaks the auth token", s)
		}
		if !strings.Contains(s, testAccountSID) {
			t.Errorf("%q lacks the account sid", s)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":      0,
		"1":     time.Second,
		" 2 ":   2 * time.Second,
		"0":     0,
		"-3":    0,
		"99999": 5 * time.Second,
		"soon":  0,
		now.Add(3 * time.Second).Format(http.TimeFormat):  3 * time.Second,
		now.Add(-3 * time.Second).Format(http.TimeFormat): 0,
		now.Add(time.Hour).Format(http.TimeFormat):        5 * time.Second,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestTwilioConfigValidate(t *testing.T) {
	valid := TwilioConfig{AccountSID: testAccountSID, AuthToken: testAuthToken, From: testFrom}
	tests := []struct {
		name   string
		edit   func(*TwilioConfig)
		errHas []string // empty: valid
	}{
		{"valid with From", func(*TwilioConfig) {}, nil},
		{"valid with messaging service", func(c *TwilioConfig) { c.From, c.MessagingServiceSID = "", testService }, nil},
		{"valid with both senders", func(c *TwilioConfig) { c.MessagingServiceSID = testService }, nil},
		{"valid alphanumeric sender", func(c *TwilioConfig) { c.From = "Gatehouse" }, nil},
		{"valid https base", func(c *TwilioConfig) { c.BaseURL = "https://sms.example.com/twilio" }, nil},
		{"valid http on 127.0.0.1", func(c *TwilioConfig) { c.BaseURL = "http://127.0.0.1:8080" }, nil},
		{"valid http on ::1", func(c *TwilioConfig) { c.BaseURL = "http://[::1]:8080" }, nil},
		{"valid http on localhost", func(c *TwilioConfig) { c.BaseURL = "http://localhost:8080" }, nil},
		{"missing account sid", func(c *TwilioConfig) { c.AccountSID = "" }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"short account sid", func(c *TwilioConfig) { c.AccountSID = "AC123" }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"account sid of wrong kind", func(c *TwilioConfig) { c.AccountSID = "SK" + testAccountSID[2:] }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"account sid not hex", func(c *TwilioConfig) { c.AccountSID = "AC" + strings.Repeat("z", 32) }, []string{"GATEHOUSE_TWILIO_ACCOUNT_SID"}},
		{"missing auth token", func(c *TwilioConfig) { c.AuthToken = "" }, []string{"GATEHOUSE_TWILIO_AUTH_TOKEN"}},
		{"auth token with newline", func(c *TwilioConfig) { c.AuthToken = testAuthToken + "\n" }, []string{"GATEHOUSE_TWILIO_AUTH_TOKEN"}},
		{"no sender", func(c *TwilioConfig) { c.From = "" }, []string{"GATEHOUSE_TWILIO_FROM", "GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID"}},
		{"bad From", func(c *TwilioConfig) { c.From = "+0123" }, []string{"GATEHOUSE_TWILIO_FROM"}},
		{"bad messaging service", func(c *TwilioConfig) { c.MessagingServiceSID = "MGnope" }, []string{"GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID"}},
		{"http on a public host", func(c *TwilioConfig) { c.BaseURL = "http://api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL", "https"}},
		{"http on a loopback-looking name", func(c *TwilioConfig) { c.BaseURL = "http://127.0.0.1.evil.example" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"other scheme", func(c *TwilioConfig) { c.BaseURL = "ftp://api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"relative base", func(c *TwilioConfig) { c.BaseURL = "api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"credentials in base", func(c *TwilioConfig) { c.BaseURL = "https://u:p@api.twilio.com" }, []string{"GATEHOUSE_TWILIO_BASE_URL"}},
		{"negative timeout", func(c *TwilioConfig) { c.Timeout = -time.Second }, []string{"GATEHOUSE_TWILIO_TIMEOUT"}},
		{"negative attempts", func(c *TwilioConfig) { c.MaxAttempts = -1 }, []string{"GATEHOUSE_TWILIO_MAX_ATTEMPTS"}},
		{"everything missing", func(c *TwilioConfig) { *c = TwilioConfig{} }, []string{
			"GATEHOUSE_TWILIO_ACCOUNT_SID", "GATEHOUSE_TWILIO_AUTH_TOKEN", "GATEHOUSE_TWILIO_FROM", "GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := valid
			tt.edit(&cfg)
			err := cfg.Validate()
			if len(tt.errHas) == 0 {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				if _, err := NewTwilio(cfg, nil, nil); err != nil {
					t.Fatalf("NewTwilio: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("want an error naming %v", tt.errHas)
			}
			for _, want := range tt.errHas {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q lacks %q", err, want)
				}
			}
			if strings.Contains(err.Error(), testAuthToken) {
				t.Errorf("error %q leaks the auth token", err)
			}
			if _, nerr := NewTwilio(cfg, nil, nil); nerr == nil {
				t.Error("NewTwilio accepted an invalid config")
			}
		})
	}
}
