package email

import (
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/adapters/internal/delivery"
)

// TLS modes of SMTPConfig.TLS.
const (
	// TLSStartTLS connects in plain text and upgrades with STARTTLS before
	// anything else; a server that does not offer STARTTLS is refused.
	TLSStartTLS = "starttls"
	// TLSImplicit speaks TLS from the first byte (SMTPS, port 465).
	TLSImplicit = "implicit"
	// TLSNone never encrypts. Allowed only towards a loopback host (a
	// local dev relay such as Mailpit) and without credentials.
	TLSNone = "none"
)

// Defaults of SMTPConfig.
const (
	DefaultSMTPTLS          = TLSStartTLS
	DefaultSMTPPortStartTLS = 587 // submission
	DefaultSMTPPortImplicit = 465 // submissions
	DefaultSMTPPortNone     = 25
	DefaultSMTPTimeout      = 10 * time.Second
	DefaultSMTPHeloName     = "localhost"
)

const (
	smtpMaxHostnameLen          = 253
	smtpMaxCredentialLen        = 1024
	smtpMaxDisplayNameLen       = 256
	smtpMaxAddressLen           = 254 // RFC 5321 path limit, minus the brackets
	smtpCredentialProblemDetail = "must not contain line breaks or NUL characters, and must be at most 1024 bytes"
)

// hostnameRe matches a DNS hostname (labels of letters, digits and inner
// hyphens; underscores tolerated as some internal names use them).
var hostnameRe = regexp.MustCompile(`^(?i)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$`)

// SMTPConfig configures the SMTP adapter. Each setting is named after the
// environment variable that carries it.
type SMTPConfig struct {
	// Host is GATEHOUSE_SMTP_HOST: the relay's host name or IP address,
	// without a port. It is also the name its TLS certificate must carry.
	Host string
	// Port is GATEHOUSE_SMTP_PORT; 0 means the TLS mode's default: 587 for
	// starttls, 465 for implicit, 25 for none.
	Port int
	// Username (GATEHOUSE_SMTP_USERNAME) and Password
	// (GATEHOUSE_SMTP_PASSWORD, a secret) authenticate with AUTH PLAIN,
	// only ever over TLS. Both empty: no authentication.
	Username, Password string
	// From is GATEHOUSE_SMTP_FROM: the sender address, optionally with a
	// display name, e.g. "Gatehouse <no-reply@example.com>". It is also the
	// envelope sender and the domain of Message-IDs.
	From string
	// TLS is GATEHOUSE_SMTP_TLS: "starttls" (default), "implicit" or
	// "none" (loopback Host only).
	TLS string
	// Timeout bounds one attempt, dial to QUIT (GATEHOUSE_SMTP_TIMEOUT,
	// default 10s). The context's deadline, if earlier, wins.
	Timeout time.Duration
	// RootCAs verifies the server's certificate; nil means the system pool.
	RootCAs *x509.CertPool
	// HeloName is GATEHOUSE_SMTP_HELO_NAME: the name this client gives in
	// EHLO, default "localhost".
	HeloName string
}

// Validate reports every missing or malformed setting, each named by its
// environment variable. Zero Port, TLS, Timeout and HeloName mean the
// defaults and are valid. The password is described, never echoed.
func (c SMTPConfig) Validate() error {
	var errs []error
	bad := func(name, problem string) { errs = append(errs, fmt.Errorf("%s %s", name, problem)) }

	switch {
	case c.Host == "":
		bad("GATEHOUSE_SMTP_HOST", "is required")
	case !validHost(c.Host):
		bad("GATEHOUSE_SMTP_HOST", "must be a host name or an IP address, without a scheme or a port")
	}
	if c.Port < 0 || c.Port > 65535 {
		bad("GATEHOUSE_SMTP_PORT", "must be between 1 and 65535 (0 or unset means the TLS mode's default)")
	}

	mode := strings.ToLower(strings.TrimSpace(c.TLS))
	switch mode {
	case "", TLSStartTLS, TLSImplicit:
	case TLSNone:
		if c.Host != "" && !isLoopback(c.Host) {
			bad("GATEHOUSE_SMTP_TLS", `"none" is allowed only when GATEHOUSE_SMTP_HOST is localhost, 127.0.0.1 or ::1; use "starttls" or "implicit"`)
		}
		if c.Username != "" || c.Password != "" {
			bad("GATEHOUSE_SMTP_TLS", `"none" cannot be used with GATEHOUSE_SMTP_USERNAME/GATEHOUSE_SMTP_PASSWORD: credentials are only sent over TLS`)
		}
	default:
		bad("GATEHOUSE_SMTP_TLS", `must be "starttls", "implicit" or "none"`)
	}

	switch {
	case c.Username == "" && c.Password != "":
		bad("GATEHOUSE_SMTP_USERNAME", "is required when GATEHOUSE_SMTP_PASSWORD is set")
	case c.Username != "" && c.Password == "":
		bad("GATEHOUSE_SMTP_PASSWORD", "is required when GATEHOUSE_SMTP_USERNAME is set")
	}
	if c.Username != "" && (badCredential(c.Username) || len(c.Username) > smtpMaxCredentialLen) {
		bad("GATEHOUSE_SMTP_USERNAME", smtpCredentialProblemDetail)
	}
	if c.Password != "" && (badCredential(c.Password) || len(c.Password) > smtpMaxCredentialLen) {
		// The value is a secret: describe it, never echo it.
		bad("GATEHOUSE_SMTP_PASSWORD", smtpCredentialProblemDetail)
	}

	if c.From == "" {
		bad("GATEHOUSE_SMTP_FROM", "is required")
	} else if _, err := parseFrom(c.From); err != nil {
		bad("GATEHOUSE_SMTP_FROM", err.Error())
	}

	if c.Timeout < 0 {
		bad("GATEHOUSE_SMTP_TIMEOUT", "must not be negative")
	}
	if c.HeloName != "" && !validHeloName(c.HeloName) {
		bad("GATEHOUSE_SMTP_HELO_NAME", "must be a host name (or an address literal such as [192.0.2.1])")
	}
	return errors.Join(errs...)
}

// withDefaults fills the zero settings and normalises TLS.
func (c SMTPConfig) withDefaults() SMTPConfig {
	c.TLS = strings.ToLower(strings.TrimSpace(c.TLS))
	if c.TLS == "" {
		c.TLS = DefaultSMTPTLS
	}
	if c.Port == 0 {
		switch c.TLS {
		case TLSImplicit:
			c.Port = DefaultSMTPPortImplicit
		case TLSNone:
			c.Port = DefaultSMTPPortNone
		default:
			c.Port = DefaultSMTPPortStartTLS
		}
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultSMTPTimeout
	}
	if c.HeloName == "" {
		c.HeloName = DefaultSMTPHeloName
	}
	return c
}

// String keeps the password out of fmt output.
func (c SMTPConfig) String() string {
	return fmt.Sprintf("{Host:%s Port:%d Username:%s Password:%s From:%s TLS:%s Timeout:%s RootCAs:%s HeloName:%s}",
		c.Host, c.Port, c.Username, delivery.Redacted(c.Password), c.From, c.TLS, c.Timeout, rootCAsName(c.RootCAs), c.HeloName)
}

// GoString keeps the password out of %#v.
func (c SMTPConfig) GoString() string { return "email.SMTPConfig" + c.String() }

// LogValue keeps the password out of slog output.
func (c SMTPConfig) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("host", c.Host),
		slog.Int("port", c.Port),
		slog.String("username", c.Username),
		slog.String("password", delivery.Redacted(c.Password)),
		slog.String("from", c.From),
		slog.String("tls", c.TLS),
		slog.Duration("timeout", c.Timeout),
		slog.String("root_cas", rootCAsName(c.RootCAs)),
		slog.String("helo_name", c.HeloName),
	)
}

func rootCAsName(p *x509.CertPool) string {
	if p == nil {
		return "system"
	}
	return "custom"
}

// parseFrom parses the sender: one ASCII address, optionally with a
// display name.
func parseFrom(s string) (*mail.Address, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("must not contain line breaks")
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, errors.New(`must be an email address, optionally with a display name, such as "Gatehouse <no-reply@example.com>"`)
	}
	if err := checkAddr(a.Address); err != nil {
		return nil, err
	}
	if len(a.Name) > smtpMaxDisplayNameLen {
		return nil, fmt.Errorf("display name must be at most %d bytes", smtpMaxDisplayNameLen)
	}
	return a, nil
}

// checkAddr applies what net/mail leaves to us: the address must be plain
// ASCII (no SMTPUTF8 here), fit in an SMTP path, and carry a domain.
func checkAddr(addr string) error {
	for i := 0; i < len(addr); i++ {
		if addr[i] < 0x21 || addr[i] > 0x7e {
			return errors.New("must be an ASCII address (internationalised addresses are not supported)")
		}
	}
	if len(addr) > smtpMaxAddressLen {
		return fmt.Errorf("must be at most %d characters", smtpMaxAddressLen)
	}
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 {
		return errors.New("must have a local part and a domain")
	}
	return nil
}

func validHost(h string) bool {
	if ip := net.ParseIP(h); ip != nil {
		return true
	}
	return len(h) <= smtpMaxHostnameLen && hostnameRe.MatchString(h)
}

func validHeloName(h string) bool {
	if strings.HasPrefix(h, "[") && strings.HasSuffix(h, "]") {
		lit := h[1 : len(h)-1]
		if v6, ok := strings.CutPrefix(lit, "IPv6:"); ok {
			ip := net.ParseIP(v6)
			return ip != nil && ip.To4() == nil
		}
		ip := net.ParseIP(lit)
		return ip != nil && ip.To4() != nil
	}
	return len(h) <= smtpMaxHostnameLen && hostnameRe.MatchString(h)
}

func badCredential(s string) bool { return strings.ContainsAny(s, "\r\n\x00") }

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
