package app_test

import (
	"errors"
	"os"
	"path/filepath"
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
	must(t, c.HTTPAddr == "127.0.0.1:8080" && c.DataDir == "./.gatehouse" && c.DatabaseURL == "", "defaults: %+v", c)
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
		// Renamed: set, it would be ignored without a word.
		"GATEHOUSE_KYC_MAX_UPLOADS_PER_CLIENT": "4",
	}))
	must(t, err != nil, "bad values accepted")
	for _, name := range []string{"GATEHOUSE_ENV", "GATEHOUSE_OTP_TTL", "GATEHOUSE_OTP_MAX_ATTEMPTS", "GATEHOUSE_MAINTENANCE", "GATEHOUSE_LOG_LEVEL",
		"GATEHOUSE_KYC_MAX_UPLOADS_PER_CLIENT"} {
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

func TestDevListensOnLoopbackProdOnEveryInterface(t *testing.T) {
	dev, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev"}))
	must(t, err == nil && dev.HTTPAddr == "127.0.0.1:8080", "dev address %q: %v", dev.HTTPAddr, err)
	prod, _ := app.Load(env(map[string]string{"GATEHOUSE_ENV": "prod"}))
	must(t, prod.HTTPAddr == ":8080", "prod address %q", prod.HTTPAddr)
	_, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_HTTP_ADDR": "8080"}))
	must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_HTTP_ADDR"), "a bare port accepted: %v", err)
	_, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_METRICS_ADDR": "0.0.0.0:8080"}))
	must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_METRICS_ADDR"), "a metrics port that collides accepted: %v", err)
}

// TestEachCommandAsksOnlyForWhatItUses: migrate needs the database alone,
// admin create the hashing parameters too; neither reads, nor trips on,
// the server's providers and keys.
func TestEachCommandAsksOnlyForWhatItUses(t *testing.T) {
	prod := map[string]string{"GATEHOUSE_ENV": "prod", "DATABASE_URL": "postgres://gh@db.internal/gatehouse",
		"GATEHOUSE_OTP_TTL": "forever", "GATEHOUSE_SMS_PROVIDER": "console"}
	c, err := app.LoadFor(env(prod), app.ScopeDatabase)
	must(t, err == nil && !c.Serving() && c.OTPTTL == 120*time.Second && c.SMSProvider == "",
		"migrate in prod: %v (%+v)", err, c)
	prod["GATEHOUSE_ARGON2_ITERATIONS"] = "0"
	_, err = app.LoadFor(env(prod), app.ScopeDatabase)
	must(t, err == nil, "migrate reads the hashing parameters: %v", err)
	_, err = app.LoadFor(env(prod), app.ScopeAccounts)
	must(t, err != nil && strings.Contains(err.Error(), "GATEHOUSE_ARGON2_ITERATIONS") && !strings.Contains(err.Error(), "TWILIO") &&
		!strings.Contains(err.Error(), "GATEHOUSE_OTP_TTL"), "admin create: %v", err)
	_, err = app.LoadFor(env(map[string]string{"GATEHOUSE_ENV": "prod"}), app.ScopeDatabase)
	must(t, err != nil && strings.Contains(err.Error(), "DATABASE_URL"), "migrate without a database: %v", err)
}

// TestProviderProblemsJoinTheList: what used to fail while the providers
// were built (a console sender in prod, a key that does not decode, a key
// file that is not a key) is reported with the rest, without the secret.
func TestProviderProblemsJoinTheList(t *testing.T) {
	dir := t.TempDir()
	notAKey := filepath.Join(dir, "signing.pem")
	must(t, os.WriteFile(notAKey, []byte("hello"), 0o600) == nil, "write")
	const shortKey = "c2VjcmV0LXNlY3JldA"
	_, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "prod", "DATABASE_URL": "postgres://gh@db/gatehouse",
		"GATEHOUSE_SMS_PROVIDER": "console", "GATEHOUSE_EMAIL_PROVIDER": "console",
		"GATEHOUSE_SIGNING_KEY_FILE": notAKey, "GATEHOUSE_OTP_HMAC_KEY": shortKey,
		"GATEHOUSE_DATA_KEY": strings.Repeat("ab", 40), "GATEHOUSE_BLOB_KEYS": "k1:" + strings.Repeat("ef", 32),
		"GATEHOUSE_WALLET_SEED": strings.Repeat("12", 32), "GATEHOUSE_PREVIOUS_PUBLIC_KEY_FILES": filepath.Join(dir, "missing.pem")}))
	var cfgErr *app.ConfigError
	must(t, errors.As(err, &cfgErr), "not a configuration error: %v", err)
	for _, want := range []string{"GATEHOUSE_SMS_PROVIDER console is refused", "GATEHOUSE_EMAIL_PROVIDER console is refused",
		"GATEHOUSE_SIGNING_KEY_FILE cannot be used", "GATEHOUSE_OTP_HMAC_KEY must be at least 32 bytes",
		"GATEHOUSE_DATA_KEY must be exactly 32 bytes", "GATEHOUSE_PREVIOUS_PUBLIC_KEY_FILES cannot be used"} {
		must(t, strings.Contains(err.Error(), want), "%q missing from:\n%v", want, err)
	}
	must(t, len(cfgErr.Problems) == 6, "%d problems, want 6:\n%v", len(cfgErr.Problems), err)
	must(t, !strings.Contains(err.Error(), shortKey) && !strings.Contains(err.Error(), strings.Repeat("ab", 40)), "a secret echoed: %v", err)
}

func TestPartnerSettings(t *testing.T) {
	c, err := app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev"}))
	must(t, err == nil, "defaults: %v", err)
	must(t, c.PartnerSecretGrace == 24*time.Hour && c.PartnerTokenTTL == 15*time.Minute && c.PartnerTokensPerMinute == 60 &&
		c.PartnerTokensPerMinutePerIP == 120 && c.PartnerMaxApps == 1000, "partner defaults: %+v", c)
	c, err = app.Load(env(map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_PARTNER_SECRET_GRACE": "0s",
		"GATEHOUSE_PARTNER_TOKEN_TTL": "5m"}))
	must(t, err == nil && c.PartnerSecretGrace == 0 && c.PartnerTokenTTL == 5*time.Minute, "set: %+v %v", c, err)
	bad := map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_PARTNER_SECRET_GRACE": "-1h",
		"GATEHOUSE_PARTNER_TOKEN_TTL": "2s", "GATEHOUSE_PARTNER_TOKENS_PER_MINUTE": "0",
		"GATEHOUSE_PARTNER_TOKENS_PER_MINUTE_PER_IP": "lots", "GATEHOUSE_PARTNER_MAX_APPS": "0"}
	_, err = app.Load(env(bad))
	must(t, err != nil, "bad partner settings accepted")
	for name := range bad {
		if name != "GATEHOUSE_ENV" {
			must(t, strings.Contains(err.Error(), name+" "), "error does not name %s:\n%v", name, err)
		}
	}
}
