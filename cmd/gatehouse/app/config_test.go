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
		strings.Contains(err.Error(), "GATEHOUSE_DATA_KEY") && strings.Contains(err.Error(), "GATEHOUSE_SMTP_HOST") &&
		strings.Contains(err.Error(), "GATEHOUSE_BLOB_KEYS") && strings.Contains(err.Error(), "GATEHOUSE_WALLET_SEED"),
		"prod without keys: %v", err)
}

func TestBlobStoreConfig(t *testing.T) {
	c, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_DATA_DIR": "/srv/gh"}))
	if err != nil {
		t.Fatal(err)
	}
	must(t, c.BlobStore == "local" && c.BlobDir == "/srv/gh/blobs" && c.KYCMaxFileBytes == 10<<20 && c.KYCMaxFiles == 3,
		"blob defaults: %+v", c)

	_, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_BLOB_STORE": "s3"}))
	must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_S3_BUCKET") && strings.Contains(err.Error(), "GATEHOUSE_S3_SECRET_KEY"),
		"s3 without settings: %v", err)

	key := strings.Repeat("ab", 32)
	old := strings.Repeat("cd", 32)
	keys, current, err := app.ParseBlobKeys("k2:"+key+", k1:"+old, "")
	must(t, err == nil && current == "k2" && len(keys) == 2 && len(keys["k1"]) == 32, "two keys: %v %q %v", err, current, keys)
	_, current, err = app.ParseBlobKeys("k2:"+key+",k1:"+old, "k1")
	must(t, err == nil && current == "k1", "chosen key: %v %q", err, current)
	for _, bad := range []string{"k1", "k1:abcd", ":" + key, "k1:" + key + ",k1:" + old} {
		_, _, err := app.ParseBlobKeys(bad, "")
		must(t, err != nil && !strings.Contains(err.Error(), key), "%q accepted or key echoed: %v", bad, err)
	}
	_, _, err = app.ParseBlobKeys("k1:"+key, "k9")
	must(t, err != nil, "unknown current key id accepted")
	_, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_BLOB_KEYS": "k1:short"}))
	must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_BLOB_KEYS"), "bad blob key accepted: %v", err)
}
