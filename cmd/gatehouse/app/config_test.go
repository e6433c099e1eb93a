package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestConfigDefaultsInDev(t *testing.T) {
	c, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev"}))
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.HTTPAddr == ":8080" && c.DataDir == "./.gatehouse" && c.DatabaseURL == "", "defaults: %+v", c)
	must(t, c.OTPTTL == 120*time.Second && c.OTPMaxAttempts == 5 && c.OTPResendAfter == time.Minute && c.OTPSendsPerHour == 5,
		"OTP defaults: %+v", c)
	must(t, c.SigningKeyFile == ".gatehouse/keys/signing.pem", "signing key %q", c.SigningKeyFile)
}

func TestConfigNamesEveryBadValue(t *testing.T) {
	_, err := app.Load(env(map[string]string{
		"GATEHOUSE_ENV":              "staging",
		"GATEHOUSE_OTP_TTL":          "forever",
		"GATEHOUSE_OTP_MAX_ATTEMPTS": "0",
		"GATEHOUSE_MAINTENANCE":      "maybe",
		"GATEHOUSE_LOG_LEVEL":        "loud",
	}))
	must(t, err != nil, "bad values accepted")
	for _, name := range []string{"GATEHOUSE_ENV", "GATEHOUSE_OTP_TTL", "GATEHOUSE_OTP_MAX_ATTEMPTS", "GATEHOUSE_MAINTENANCE", "GATEHOUSE_LOG_LEVEL"} {
		must(t, strings.Contains(err.Error(), name), "error does not name %s:\n%v", name, err)
	}
}

func TestProdRequiresKeys(t *testing.T) {
	_, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "prod"}))
	must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_SIGNING_KEY_FILE") && strings.Contains(err.Error(), "DATABASE_URL") &&
		strings.Contains(err.Error(), "GATEHOUSE_OTP_HMAC_KEY") && strings.Contains(err.Error(), "GATEHOUSE_TWILIO_ACCOUNT_SID") &&
		strings.Contains(err.Error(), "GATEHOUSE_DATA_KEY") && strings.Contains(err.Error(), "GATEHOUSE_SMTP_HOST"),
		"prod without keys: %v", err)
}
