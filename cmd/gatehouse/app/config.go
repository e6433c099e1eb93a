// Package app assembles Gatehouse: configuration from the environment and
// the fx graph of modules and adapters. Only this package knows every piece.
package app

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/adapters/blob"
	"github.com/gatehouse/gatehouse/adapters/email"
	"github.com/gatehouse/gatehouse/adapters/sms"
)

// Config is every setting, read from environment variables only.
type Config struct {
	Env             string // dev or prod
	HTTPAddr        string
	DataDir         string
	DatabaseURL     string // empty: the embedded cluster under DataDir/pg
	DBMaxConns      int
	LogLevel        slog.Level
	LogFormat       string // text or json
	ShutdownTimeout time.Duration
	// MetricsAddr, when set, is a listener of its own serving only
	// /metrics (e.g. 127.0.0.1:9090). When empty, /metrics is on the main
	// listener in dev and not served in prod.
	MetricsAddr string

	SigningKeyFile     string
	PreviousPublicKeys []string
	OTPHMACKey         string // hex or base64; empty in dev = generated under DataDir/keys
	TokenIssuer        string
	TokenAudience      string
	AccessTokenTTL     time.Duration
	SessionTTL         time.Duration

	OTPTTL          time.Duration
	OTPMaxAttempts  int
	OTPResendAfter  time.Duration
	OTPSendsPerHour int
	SMSProvider     string // console (dev only) or twilio
	Twilio          sms.TwilioConfig
	EmailProvider   string // console (dev only) or smtp
	SMTP            email.SMTPConfig

	// MFA is when a password sign-in asks for a second factor: NEW_DEVICE
	// or ALWAYS.
	MFA string
	// DataKey (hex or base64, 32 bytes) seals secrets kept at rest (TOTP
	// seeds); empty in dev = generated under DataDir/keys. DataKeyID names
	// it inside every sealed value so the key can rotate.
	DataKey   string
	DataKeyID string
	// Version is the build's version (set by main, not the environment).
	Version string

	// KYC files: where their encrypted bytes go (local under BlobDir, or
	// S3), the master keys that wrap each file's data key ("id:key,…",
	// keys hex or base64 of 32 bytes; BlobKeyID encrypts new files, the
	// others still open old ones), and the limits.
	BlobStore       string // local or s3
	BlobDir         string
	S3              blob.S3Config
	BlobKeys        string
	BlobKeyID       string
	KYCMaxFileBytes int64
	KYCMaxFiles     int
	// KYCMaxUploads bounds the multipart requests read at once, in all
	// and per client.
	KYCMaxUploads          int
	KYCMaxUploadsPerClient int
	// MaxPortfolios bounds the portfolios of one account.
	MaxPortfolios int
	KYCLinkTTL    time.Duration
	PINResetTTL   time.Duration
	// WalletSeed (hex or base64, at least 32 bytes) derives portfolio
	// addresses; empty in dev = generated under DataDir/keys.
	WalletSeed string

	Argon2MemoryKiB   int
	Argon2Iterations  int
	Argon2Parallelism int
	HashConcurrency   int

	// DevAdminPhone is the dev SUPERADMIN seeded at start (dev only; empty
	// seeds none).
	DevAdminPhone string

	Maintenance        bool
	MaintenanceMessage string
	PlatformCacheTTL   time.Duration

	MaxBodyBytes  int64
	MaxComplexity int
	MaxTokens     int
	MaxRootFields int
	// TrustedProxies (CIDRs) may set X-Forwarded-For.
	TrustedProxies []netip.Prefix

	// Per-client-IP rate limits.
	StatusChecksPerMinute int
	SignInsPerMinute      int
	SignupStartsPerHour   int
	PasswordResetsPerHour int
}

// Prod reports whether this is a production deployment.
func (c Config) Prod() bool { return c.Env == "prod" }

// Load reads the configuration through getenv (os.Getenv in main) and
// validates it, naming every bad value at once.
func Load(getenv func(string) string) (Config, error) {
	r := reader{getenv: getenv}
	c := Config{
		Env:         r.oneOf("GATEHOUSE_ENV", "prod", "dev", "prod"),
		HTTPAddr:    r.str("GATEHOUSE_HTTP_ADDR", ":8080"),
		DataDir:     r.str("GATEHOUSE_DATA_DIR", "./.gatehouse"),
		DatabaseURL: r.str("DATABASE_URL", ""),
		// One connection listens for permission changes for good.
		DBMaxConns:      r.intIn("GATEHOUSE_DB_MAX_CONNS", 20, 2, 1000),
		LogLevel:        r.level("GATEHOUSE_LOG_LEVEL", slog.LevelInfo),
		ShutdownTimeout: r.duration("GATEHOUSE_SHUTDOWN_TIMEOUT", 15*time.Second, time.Second, 10*time.Minute),
		MetricsAddr:     r.str("GATEHOUSE_METRICS_ADDR", ""),

		SigningKeyFile:     r.str("GATEHOUSE_SIGNING_KEY_FILE", ""),
		PreviousPublicKeys: r.list("GATEHOUSE_PREVIOUS_PUBLIC_KEY_FILES"),
		OTPHMACKey:         r.str("GATEHOUSE_OTP_HMAC_KEY", ""),
		TokenIssuer:        r.str("GATEHOUSE_TOKEN_ISSUER", "gatehouse"),
		TokenAudience:      r.str("GATEHOUSE_TOKEN_AUDIENCE", "gatehouse-clients"),
		AccessTokenTTL:     r.duration("GATEHOUSE_ACCESS_TOKEN_TTL", 15*time.Minute, time.Minute, 24*time.Hour),
		SessionTTL:         r.duration("GATEHOUSE_SESSION_TTL", 30*24*time.Hour, time.Hour, 365*24*time.Hour),

		OTPTTL:          r.duration("GATEHOUSE_OTP_TTL", 120*time.Second, 30*time.Second, 30*time.Minute),
		OTPMaxAttempts:  r.intIn("GATEHOUSE_OTP_MAX_ATTEMPTS", 5, 1, 20),
		OTPResendAfter:  r.duration("GATEHOUSE_OTP_RESEND_AFTER", 60*time.Second, 0, 30*time.Minute),
		OTPSendsPerHour: r.intIn("GATEHOUSE_OTP_SENDS_PER_HOUR", 5, 1, 100),

		Argon2MemoryKiB:   r.intIn("GATEHOUSE_ARGON2_MEMORY_KIB", 64*1024, 8*1024, 1024*1024),
		Argon2Iterations:  r.intIn("GATEHOUSE_ARGON2_ITERATIONS", 1, 1, 20),
		Argon2Parallelism: r.intIn("GATEHOUSE_ARGON2_PARALLELISM", 2, 1, 16),
		HashConcurrency:   r.intIn("GATEHOUSE_HASH_CONCURRENCY", runtime.NumCPU(), 1, 1024),

		Maintenance:        r.boolean("GATEHOUSE_MAINTENANCE", false),
		MaintenanceMessage: r.str("GATEHOUSE_MAINTENANCE_MESSAGE", ""),
		PlatformCacheTTL:   r.duration("GATEHOUSE_PLATFORM_CACHE_TTL", 2*time.Second, 100*time.Millisecond, time.Minute),

		MaxBodyBytes:  int64(r.intIn("GATEHOUSE_MAX_BODY_BYTES", 64<<10, 1<<10, 64<<20)),
		MaxComplexity: r.intIn("GATEHOUSE_MAX_COMPLEXITY", 500, 10, 100000),
		MaxTokens:     r.intIn("GATEHOUSE_MAX_QUERY_TOKENS", 4000, 100, 100000),
		MaxRootFields: r.intIn("GATEHOUSE_MAX_ROOT_FIELDS", 10, 1, 1000),

		StatusChecksPerMinute: r.intIn("GATEHOUSE_RATE_STATUS_PER_MINUTE", 20, 1, 1000000),
		SignInsPerMinute:      r.intIn("GATEHOUSE_RATE_SIGN_IN_PER_MINUTE", 30, 1, 1000000),
		SignupStartsPerHour:   r.intIn("GATEHOUSE_RATE_SIGNUP_STARTS_PER_HOUR", 20, 1, 1000000),
		PasswordResetsPerHour: r.intIn("GATEHOUSE_RATE_PASSWORD_RESETS_PER_HOUR", 20, 1, 1000000),

		MFA:       r.oneOf("GATEHOUSE_MFA", "NEW_DEVICE", "NEW_DEVICE", "ALWAYS"),
		DataKey:   r.str("GATEHOUSE_DATA_KEY", ""),
		DataKeyID: r.str("GATEHOUSE_DATA_KEY_ID", "k1"),

		BlobStore:              r.oneOf("GATEHOUSE_BLOB_STORE", "local", "local", "s3"),
		BlobKeys:               r.str("GATEHOUSE_BLOB_KEYS", ""),
		BlobKeyID:              r.str("GATEHOUSE_BLOB_KEY_ID", ""),
		KYCMaxFileBytes:        int64(r.intIn("GATEHOUSE_KYC_MAX_FILE_BYTES", 10<<20, 1<<10, 50<<20)),
		KYCMaxFiles:            r.intIn("GATEHOUSE_KYC_MAX_FILES", 3, 1, 10),
		KYCMaxUploads:          r.intIn("GATEHOUSE_KYC_MAX_UPLOADS", 16, 1, 10000),
		KYCMaxUploadsPerClient: r.intIn("GATEHOUSE_KYC_MAX_UPLOADS_PER_CLIENT", 4, 1, 10000),
		MaxPortfolios:          r.intIn("GATEHOUSE_MAX_PORTFOLIOS_PER_ACCOUNT", 20, 1, 1000),
		KYCLinkTTL:             r.duration("GATEHOUSE_KYC_LINK_TTL", 5*time.Minute, 30*time.Second, time.Hour),
		PINResetTTL:            r.duration("GATEHOUSE_PIN_RESET_TTL", 24*time.Hour, 10*time.Minute, 7*24*time.Hour),
		WalletSeed:             r.str("GATEHOUSE_WALLET_SEED", ""),
	}
	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || port == "" {
			r.fail("GATEHOUSE_METRICS_ADDR", fmt.Sprintf("must be host:port (e.g. 127.0.0.1:9090), got %q", c.MetricsAddr))
		} else if c.MetricsAddr == c.HTTPAddr {
			r.fail("GATEHOUSE_METRICS_ADDR", "must differ from GATEHOUSE_HTTP_ADDR: /metrics gets a listener of its own")
		}
	}
	c.BlobDir = r.str("GATEHOUSE_BLOB_DIR", filepath.Join(c.DataDir, "blobs"))
	if c.BlobStore == "s3" {
		c.S3 = blob.S3Config{
			Endpoint:  r.str("GATEHOUSE_S3_ENDPOINT", ""),
			Region:    r.str("GATEHOUSE_S3_REGION", "us-east-1"),
			Bucket:    r.str("GATEHOUSE_S3_BUCKET", ""),
			AccessKey: r.str("GATEHOUSE_S3_ACCESS_KEY", ""),
			SecretKey: r.str("GATEHOUSE_S3_SECRET_KEY", ""),
			UseTLS:    r.boolean("GATEHOUSE_S3_USE_TLS", true),
			PathStyle: r.boolean("GATEHOUSE_S3_PATH_STYLE", false),
		}
		for name, v := range map[string]string{"GATEHOUSE_S3_ENDPOINT": c.S3.Endpoint,
			"GATEHOUSE_S3_BUCKET": c.S3.Bucket, "GATEHOUSE_S3_ACCESS_KEY": c.S3.AccessKey,
			"GATEHOUSE_S3_SECRET_KEY": c.S3.SecretKey} {
			if v == "" {
				r.fail(name, "is required when GATEHOUSE_BLOB_STORE=s3")
			}
		}
	}
	if c.BlobKeys != "" {
		if _, _, err := ParseBlobKeys(c.BlobKeys, c.BlobKeyID); err != nil {
			r.fail("GATEHOUSE_BLOB_KEYS", err.Error())
		}
	}
	for _, p := range r.list("GATEHOUSE_TRUSTED_PROXIES") {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			if addr, aerr := netip.ParseAddr(p); aerr == nil {
				prefix, err = addr.Prefix(addr.BitLen())
			}
		}
		if err != nil {
			r.fail("GATEHOUSE_TRUSTED_PROXIES", fmt.Sprintf("must be a comma-separated list of IPs or CIDRs, got %q", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	if !c.Prod() {
		c.DevAdminPhone = r.str("GATEHOUSE_DEV_ADMIN_PHONE", "+15005550006")
		if c.DevAdminPhone == "none" {
			c.DevAdminPhone = ""
		}
	}
	defaultSMS := "console"
	if c.Prod() {
		defaultSMS = "twilio"
	}
	c.SMSProvider = r.oneOf("GATEHOUSE_SMS_PROVIDER", defaultSMS, "console", "twilio")
	if c.SMSProvider == "twilio" {
		c.Twilio = sms.TwilioConfig{
			BaseURL:             r.str("GATEHOUSE_TWILIO_BASE_URL", sms.DefaultTwilioBaseURL),
			AccountSID:          r.str("GATEHOUSE_TWILIO_ACCOUNT_SID", ""),
			AuthToken:           r.str("GATEHOUSE_TWILIO_AUTH_TOKEN", ""),
			From:                r.str("GATEHOUSE_TWILIO_FROM", ""),
			MessagingServiceSID: r.str("GATEHOUSE_TWILIO_MESSAGING_SERVICE_SID", ""),
			Timeout:             r.duration("GATEHOUSE_TWILIO_TIMEOUT", sms.DefaultTwilioTimeout, time.Second, time.Minute),
			MaxAttempts:         r.intIn("GATEHOUSE_TWILIO_MAX_ATTEMPTS", sms.DefaultTwilioMaxAttempts, 1, 10),
		}
		if err := c.Twilio.Validate(); err != nil {
			r.errs = append(r.errs, err)
		}
	}
	c.EmailProvider = r.oneOf("GATEHOUSE_EMAIL_PROVIDER", defaultEmailProvider(c.Prod()), "console", "smtp")
	if c.EmailProvider == "smtp" {
		c.SMTP = email.SMTPConfig{
			Host:     r.str("GATEHOUSE_SMTP_HOST", ""),
			Port:     r.intIn("GATEHOUSE_SMTP_PORT", 0, 0, 65535),
			Username: r.str("GATEHOUSE_SMTP_USERNAME", ""),
			Password: r.str("GATEHOUSE_SMTP_PASSWORD", ""),
			From:     r.str("GATEHOUSE_SMTP_FROM", ""),
			TLS:      r.oneOf("GATEHOUSE_SMTP_TLS", email.TLSStartTLS, email.TLSStartTLS, email.TLSImplicit, email.TLSNone),
			Timeout:  r.duration("GATEHOUSE_SMTP_TIMEOUT", email.DefaultSMTPTimeout, time.Second, time.Minute),
			HeloName: r.str("GATEHOUSE_SMTP_HELO_NAME", email.DefaultSMTPHeloName),
		}
		if err := c.SMTP.Validate(); err != nil {
			r.errs = append(r.errs, err)
		}
	}
	if len(c.DataKeyID) > 32 || strings.ContainsFunc(c.DataKeyID, func(r rune) bool { return r <= ' ' || r > '~' }) {
		r.fail("GATEHOUSE_DATA_KEY_ID", "must be at most 32 printable ASCII characters without spaces")
	}
	defaultFormat := "text"
	if c.Prod() {
		defaultFormat = "json"
	}
	c.LogFormat = r.oneOf("GATEHOUSE_LOG_FORMAT", defaultFormat, "text", "json")
	if c.Prod() {
		if c.SigningKeyFile == "" {
			r.fail("GATEHOUSE_SIGNING_KEY_FILE", "is required when GATEHOUSE_ENV=prod (a PEM PKCS#8 Ed25519 private key)")
		}
		if c.DatabaseURL == "" {
			// The embedded cluster trusts every local connection: fine for a
			// developer's machine, not for money.
			r.fail("DATABASE_URL", "is required when GATEHOUSE_ENV=prod (the embedded database is for development)")
		}
		if c.OTPHMACKey == "" {
			r.fail("GATEHOUSE_OTP_HMAC_KEY", "is required when GATEHOUSE_ENV=prod (at least 32 random bytes, hex or base64)")
		}
		if c.DataKey == "" {
			r.fail("GATEHOUSE_DATA_KEY", "is required when GATEHOUSE_ENV=prod (32 random bytes, hex or base64)")
		}
		if c.BlobKeys == "" {
			r.fail("GATEHOUSE_BLOB_KEYS", "is required when GATEHOUSE_ENV=prod (id:key pairs, keys 32 random bytes, hex or base64)")
		}
		if c.WalletSeed == "" {
			r.fail("GATEHOUSE_WALLET_SEED", "is required when GATEHOUSE_ENV=prod (at least 32 random bytes, hex or base64)")
		}
	}
	if c.SigningKeyFile == "" {
		c.SigningKeyFile = filepath.Join(c.DataDir, "keys", "signing.pem")
	}
	return c, r.err()
}

// defaultEmailProvider is the default email provider: a real one in prod.
func defaultEmailProvider(prod bool) string {
	if prod {
		return "smtp"
	}
	return "console"
}

// reader collects every problem so the operator sees them all at once.
type reader struct {
	getenv func(string) string
	errs   []error
}

func (r *reader) fail(name, problem string) {
	r.errs = append(r.errs, fmt.Errorf("%s %s", name, problem))
}

func (r *reader) err() error { return errors.Join(r.errs...) }

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) list(name string) []string {
	var out []string
	for _, p := range strings.Split(r.getenv(name), ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (r *reader) oneOf(name, def string, allowed ...string) string {
	v := r.str(name, def)
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	r.fail(name, fmt.Sprintf("must be one of %s, got %q", strings.Join(allowed, ", "), v))
	return def
}

func (r *reader) intIn(name string, def, min, max int) int {
	raw := r.str(name, "")
	if raw == "" {
		return def
	}
	v, err := strconv.Atoi(raw)
	if err != nil || v < min || v > max {
		r.fail(name, fmt.Sprintf("must be a whole number from %d to %d, got %q", min, max, raw))
		return def
	}
	return v
}

func (r *reader) duration(name string, def, min, max time.Duration) time.Duration {
	raw := r.str(name, "")
	if raw == "" {
		return def
	}
	v, err := time.ParseDuration(raw)
	if err != nil || v < min || v > max {
		r.fail(name, fmt.Sprintf("must be a duration (e.g. 90s, 15m) from %s to %s, got %q", min, max, raw))
		return def
	}
	return v
}

func (r *reader) boolean(name string, def bool) bool {
	raw := r.str(name, "")
	if raw == "" {
		return def
	}
	v, err := strconv.ParseBool(raw)
	if err != nil {
		r.fail(name, fmt.Sprintf("must be true or false, got %q", raw))
		return def
	}
	return v
}

func (r *reader) level(name string, def slog.Level) slog.Level {
	raw := r.str(name, "")
	if raw == "" {
		return def
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(raw)); err != nil {
		r.fail(name, fmt.Sprintf("must be debug, info, warn or error, got %q", raw))
		return def
	}
	return l
}
