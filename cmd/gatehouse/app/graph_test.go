package app_test

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// TestAppGraphIsComplete fails when a constructor's dependency has no
// provider, without starting anything.
func TestAppGraphIsComplete(t *testing.T) {
	for _, env := range []string{"dev", "prod"} {
		cfg, err := app.Load(func(k string) string {
			return map[string]string{"GATEHOUSE_ENV": env, "DATABASE_URL": "postgres://x@127.0.0.1/x",
				"GATEHOUSE_SIGNING_KEY_FILE": "k.pem", "GATEHOUSE_OTP_HMAC_KEY": "k",
				"GATEHOUSE_TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef", "GATEHOUSE_TWILIO_AUTH_TOKEN": "t",
				"GATEHOUSE_TWILIO_FROM": "+15005550006", "GATEHOUSE_DATA_KEY": "k",
				"GATEHOUSE_SMTP_HOST": "smtp.example.com", "GATEHOUSE_SMTP_FROM": "no-reply@example.com",
				"GATEHOUSE_BLOB_KEYS": "k1:" + strings.Repeat("ab", 32), "GATEHOUSE_WALLET_SEED": "s"}[k]
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.ValidateApp(app.Options(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))); err != nil {
			t.Errorf("%s: %v", env, err)
		}
	}
}
