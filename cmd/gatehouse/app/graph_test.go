package app_test

import (
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/token"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// TestAppGraphIsComplete fails when a constructor's dependency has no
// provider, without starting anything: for the server in either
// environment, and for the one-shot commands' smaller configuration.
func TestAppGraphIsComplete(t *testing.T) {
	keyFile := filepath.Join(t.TempDir(), "signing.pem")
	if _, err := token.LoadOrCreateKey(keyFile, true); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, env := range []string{"dev", "prod"} {
		getenv := func(k string) string {
			return map[string]string{"GATEHOUSE_ENV": env, "DATABASE_URL": "postgres://x@127.0.0.1/x",
				"GATEHOUSE_SIGNING_KEY_FILE": keyFile, "GATEHOUSE_OTP_HMAC_KEY": strings.Repeat("0a", 32),
				"GATEHOUSE_TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "GATEHOUSE_TWILIO_AUTH_TOKEN": "t",
				"GATEHOUSE_TWILIO_FROM": "+15005550006", "GATEHOUSE_DATA_KEY": strings.Repeat("0b", 32),
				"GATEHOUSE_SMTP_HOST": "smtp.example.com", "GATEHOUSE_SMTP_FROM": "no-reply@example.com",
				"GATEHOUSE_BLOB_KEYS": "k1:" + strings.Repeat("ab", 32), "GATEHOUSE_WALLET_SEED": strings.Repeat("0c", 32)}[k]
		}
		cfg, err := app.Load(getenv)
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.ValidateApp(app.Options(cfg, log)); err != nil {
			t.Errorf("%s: %v", env, err)
		}
		cmd, err := app.LoadFor(func(k string) string {
			return map[string]string{"GATEHOUSE_ENV": env, "DATABASE_URL": "postgres://x@127.0.0.1/x"}[k]
		}, app.ScopeAccounts)
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.ValidateApp(app.CoreOptions(cmd, log)); err != nil {
			t.Errorf("%s, admin create: %v", env, err)
		}
	}
}
