package email

import (
	"bytes"
	"crypto/x509"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSMTPConfigValidate(t *testing.T) {
	t.Parallel()
	valid := SMTPConfig{Host: "smtp.example.com", Username: testUser, Password: testPassword, From: testFrom}
	tests := []struct {
		name   string
		edit   func(*SMTPConfig)
		errHas []string // empty: valid
	}{
		{"valid starttls default", func(*SMTPConfig) {}, nil},
		{"valid explicit starttls, any case", func(c *SMTPConfig) { c.TLS = "STARTTLS" }, nil},
		{"valid implicit", func(c *SMTPConfig) { c.TLS = TLSImplicit; c.Port = 465 }, nil},
		{"valid without credentials", func(c *SMTPConfig) { c.Username, c.Password = "", "" }, nil},
		{"valid bare From", func(c *SMTPConfig) { c.From = "no-reply@example.com" }, nil},
		{"valid non-ASCII display name", func(c *SMTPConfig) { c.From = "Gâtehouse <no-reply@example.com>" }, nil},
		{"valid IPv4 host", func(c *SMTPConfig) { c.Host = "192.0.2.10" }, nil},
		{"valid IPv6 host", func(c *SMTPConfig) { c.Host = "2001:db8::25" }, nil},
		{"valid none on localhost", func(c *SMTPConfig) { c.Host, c.TLS, c.Username, c.Password = "localhost", TLSNone, "", "" }, nil},
		{"valid none on 127.0.0.1", func(c *SMTPConfig) { c.Host, c.TLS, c.Username, c.Password = "127.0.0.1", TLSNone, "", "" }, nil},
		{"valid none on ::1", func(c *SMTPConfig) { c.Host, c.TLS, c.Username, c.Password = "::1", TLSNone, "", "" }, nil},
		{"valid helo name", func(c *SMTPConfig) { c.HeloName = "app-1.internal.example.com" }, nil},
		{"valid helo literal", func(c *SMTPConfig) { c.HeloName = "[192.0.2.1]" }, nil},
		{"valid timeout and port", func(c *SMTPConfig) { c.Timeout, c.Port = 3*time.Second, 2525 }, nil},

		{"missing host", func(c *SMTPConfig) { c.Host = "" }, []string{"GATEHOUSE_SMTP_HOST"}},
		{"host with port", func(c *SMTPConfig) { c.Host = "smtp.example.com:587" }, []string{"GATEHOUSE_SMTP_HOST"}},
		{"host with scheme", func(c *SMTPConfig) { c.Host = "smtp://smtp.example.com" }, []string{"GATEHOUSE_SMTP_HOST"}},
		{"host with space", func(c *SMTPConfig) { c.Host = "smtp example.com" }, []string{"GATEHOUSE_SMTP_HOST"}},
		{"negative port", func(c *SMTPConfig) { c.Port = -1 }, []string{"GATEHOUSE_SMTP_PORT"}},
		{"port too large", func(c *SMTPConfig) { c.Port = 65536 }, []string{"GATEHOUSE_SMTP_PORT"}},
		{"unknown tls mode", func(c *SMTPConfig) { c.TLS = "ssl" }, []string{"GATEHOUSE_SMTP_TLS"}},
		{"none on a remote host", func(c *SMTPConfig) { c.TLS, c.Username, c.Password = TLSNone, "", "" }, []string{"GATEHOUSE_SMTP_TLS", "localhost"}},
		{"none on a loopback-looking name", func(c *SMTPConfig) { c.Host, c.TLS, c.Username, c.Password = "127.0.0.1.evil.example", TLSNone, "", "" }, []string{"GATEHOUSE_SMTP_TLS"}},
		{"none with credentials", func(c *SMTPConfig) { c.Host, c.TLS = "127.0.0.1", TLSNone }, []string{"GATEHOUSE_SMTP_TLS", "credentials"}},
		{"password without username", func(c *SMTPConfig) { c.Username = "" }, []string{"GATEHOUSE_SMTP_USERNAME"}},
		{"username without password", func(c *SMTPConfig) { c.Password = "" }, []string{"GATEHOUSE_SMTP_PASSWORD"}},
		{"password with newline", func(c *SMTPConfig) { c.Password = testPassword + "\n" }, []string{"GATEHOUSE_SMTP_PASSWORD"}},
		{"password with NUL", func(c *SMTPConfig) { c.Password = testPassword + "\x00x" }, []string{"GATEHOUSE_SMTP_PASSWORD"}},
		{"username with CR", func(c *SMTPConfig) { c.Username = "user\r" }, []string{"GATEHOUSE_SMTP_USERNAME"}},
		{"missing From", func(c *SMTPConfig) { c.From = "" }, []string{"GATEHOUSE_SMTP_FROM"}},
		{"From not an address", func(c *SMTPConfig) { c.From = "Gatehouse" }, []string{"GATEHOUSE_SMTP_FROM"}},
		{"From with line break", func(c *SMTPConfig) { c.From = "Gatehouse <no-reply@example.com>\r\nBcc: x@example.net" }, []string{"GATEHOUSE_SMTP_FROM"}},
		{"From with two addresses", func(c *SMTPConfig) { c.From = "a@example.com, b@example.com" }, []string{"GATEHOUSE_SMTP_FROM"}},
		{"From non-ASCII address", func(c *SMTPConfig) { c.From = "nö-reply@example.com" }, []string{"GATEHOUSE_SMTP_FROM", "ASCII"}},
		{"negative timeout", func(c *SMTPConfig) { c.Timeout = -time.Second }, []string{"GATEHOUSE_SMTP_TIMEOUT"}},
		{"bad helo name", func(c *SMTPConfig) { c.HeloName = "my host" }, []string{"GATEHOUSE_SMTP_HELO_NAME"}},
		{"helo name with CRLF", func(c *SMTPConfig) { c.HeloName = "host\r\nMAIL FROM:<x@y>" }, []string{"GATEHOUSE_SMTP_HELO_NAME"}},
		{"everything missing", func(c *SMTPConfig) { *c = SMTPConfig{} }, []string{"GATEHOUSE_SMTP_HOST", "GATEHOUSE_SMTP_FROM"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := valid
			tt.edit(&cfg)
			err := cfg.Validate()
			if len(tt.errHas) == 0 {
				require.NoError(t, err)
				_, err := NewSMTP(cfg, nil)
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			for _, want := range tt.errHas {
				assert.Contains(t, err.Error(), want)
			}
			assert.NotContains(t, err.Error(), testPassword, "the password is never echoed")
			_, nerr := NewSMTP(cfg, nil)
			assert.Error(t, nerr, "NewSMTP accepts an invalid config")
		})
	}
}

func TestSMTPConfigDefaults(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		tls, mode string
		port      int
	}{
		{"", TLSStartTLS, DefaultSMTPPortStartTLS},
		{TLSStartTLS, TLSStartTLS, 587},
		{" Implicit ", TLSImplicit, DefaultSMTPPortImplicit},
		{TLSNone, TLSNone, DefaultSMTPPortNone},
	} {
		s, err := NewSMTP(SMTPConfig{Host: "localhost", From: testFrom, TLS: tt.tls}, nil)
		require.NoError(t, err, tt.tls)
		assert.Equal(t, tt.mode, s.cfg.TLS)
		assert.Equal(t, tt.port, s.cfg.Port, tt.tls)
		assert.Equal(t, "localhost:"+fmt.Sprint(tt.port), s.addr, tt.tls)
		assert.Equal(t, DefaultSMTPTimeout, s.cfg.Timeout)
		assert.Equal(t, DefaultSMTPHeloName, s.cfg.HeloName)
	}
	s, err := NewSMTP(SMTPConfig{Host: "::1", Port: 2525, From: testFrom, TLS: TLSNone, Timeout: time.Second, HeloName: "me.example"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "[::1]:2525", s.addr)
	assert.Equal(t, time.Second, s.cfg.Timeout)
	assert.Equal(t, "me.example", s.cfg.HeloName)
	assert.Equal(t, "example.com", s.fromDomain)
	assert.Equal(t, "::1", s.tlsConfig.ServerName)
}

func TestSMTPConfigNeverPrintsPassword(t *testing.T) {
	t.Parallel()
	cfg := SMTPConfig{Host: "smtp.example.com", Username: testUser, Password: testPassword, From: testFrom, RootCAs: x509.NewCertPool()}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("config", "smtp", cfg)
	for _, s := range []string{buf.String(), fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), fmt.Sprintf("%#v", cfg), fmt.Sprintf("%v", &cfg)} {
		assert.NotContains(t, s, testPassword)
		assert.Contains(t, s, testUser)
		assert.Contains(t, s, "smtp.example.com")
		assert.Contains(t, s, "[REDACTED]")
	}
}
