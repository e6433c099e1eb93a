// Package app assembles Gatehouse: configuration from the environment and
// the fx graph of modules and adapters. Only this package knows every piece.
package app

import (
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/gatehouse/gatehouse/adapters/blob"
	"github.com/gatehouse/gatehouse/adapters/email"
	"github.com/gatehouse/gatehouse/adapters/geoip"
	"github.com/gatehouse/gatehouse/adapters/sms"
	"github.com/gatehouse/gatehouse/adapters/token"
	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/messages"
)

// Config is every setting, read from environment variables only.
type Config struct {
	// Scope is how much of the environment was read: the settings a
	// command does not use keep their defaults and are not checked.
	Scope    Scope
	Env      string // dev or prod
	HTTPAddr string
	DataDir  string
	// DataDirSet says GATEHOUSE_DATA_DIR was given: Gatehouse then uses it
	// as it is and never places the embedded cluster elsewhere.
	DataDirSet  bool
	DatabaseURL string // empty: the embedded cluster under DataDir/pg
	DBMaxConns  int
	// DBStatementTimeout and DBLockTimeout bound each statement of the
	// server on the database's side; DBPoolWait bounds waiting for a pool
	// connection (and the connect). Migrations run without them.
	DBStatementTimeout time.Duration
	DBLockTimeout      time.Duration
	DBPoolWait         time.Duration
	LogLevel           slog.Level
	LogFormat          string // text or json
	ShutdownTimeout    time.Duration
	// MetricsAddr, when set, is a listener of its own serving only
	// /metrics (e.g. 127.0.0.1:9090). When empty, /metrics is on the main
	// listener in dev and not served in prod.
	MetricsAddr string
	// Pprof serves net/http/pprof under /debug/pprof/ on the MetricsAddr
	// listener, never on the main one (so it needs MetricsAddr).
	Pprof bool

	SigningKeyFile     string
	PreviousPublicKeys []string
	OTPHMACKey         string // hex or base64; empty in dev = generated under DataDir/keys
	TokenIssuer        string
	TokenAudience      string
	AccessTokenTTL     time.Duration
	SessionTTL         time.Duration

	OTPTTL         time.Duration
	OTPMaxAttempts int
	OTPResendAfter time.Duration
	// OTPSendsPerHour bounds the codes per destination and hour in each of
	// its budgets: the owner's, and the strangers' (all clients together)
	// (GATEHOUSE_OTP_SENDS_PER_HOUR).
	OTPSendsPerHour int

	// OTPClientSendsPerHour bounds the codes one client may have sent per
	// hour without a proof of ownership (GATEHOUSE_OTP_CLIENT_SENDS_PER_HOUR).
	OTPClientSendsPerHour int

	// ProductName is what messages and authenticator apps call the
	// service (GATEHOUSE_PRODUCT_NAME); TemplatesDir, when set, holds the
	// operator's message templates (GATEHOUSE_TEMPLATES_DIR), checked at
	// start (modules/messages).
	ProductName  string
	TemplatesDir string

	SMSProvider   string // console (dev only) or twilio
	Twilio        sms.TwilioConfig
	EmailProvider string // console (dev only) or smtp
	SMTP          email.SMTPConfig

	// MFA is when a password sign-in asks for a second factor: NEW_DEVICE
	// or ALWAYS.
	MFA string
	// StepUpTTL is how long a session's verifyTotp stands in for an
	// authenticator code before sensitive actions.
	StepUpTTL time.Duration
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
	// KYCMaxUploads bounds the multipart requests of signed-in users read
	// at once, in all and per user; KYCMaxAnonymousUploads those of
	// anonymous callers, in all and per client address.
	KYCMaxUploads                   int
	KYCMaxUploadsPerUser            int
	KYCMaxAnonymousUploads          int
	KYCMaxAnonymousUploadsPerClient int
	// KYCUploadMinRate (bytes a second) is the slowest an upload may
	// arrive once KYCUploadRateGrace has passed.
	KYCUploadMinRate   int
	KYCUploadRateGrace time.Duration
	// MaxPortfolios bounds the portfolios of one account.
	MaxPortfolios int
	KYCLinkTTL    time.Duration
	PINResetTTL   time.Duration

	// Partner apps (OAuth2 client credentials): how long a rotated secret
	// keeps working, their tokens' lifetime, token requests per minute per
	// client id and per client address, and how many apps there may be.
	PartnerSecretGrace          time.Duration
	PartnerTokenTTL             time.Duration
	PartnerTokensPerMinute      int
	PartnerTokensPerMinutePerIP int
	PartnerMaxApps              int
	// WalletSeed (hex or base64, at least 32 bytes) derives portfolio
	// addresses; empty in dev = generated under DataDir/keys.
	WalletSeed string

	Argon2MemoryKiB   int
	Argon2Iterations  int
	Argon2Parallelism int
	HashConcurrency   int
	// MemoryLimit is the Go runtime's soft memory limit in bytes (0: none),
	// read from MemoryLimitFrom (GOMEMLIMIT or GATEHOUSE_MEMORY_LIMIT).
	MemoryLimit     int64
	MemoryLimitFrom string

	// DevAdminPhone is the dev SUPERADMIN seeded at start (dev only; empty
	// seeds none).
	DevAdminPhone string

	Maintenance        bool
	MaintenanceMessage string
	PlatformCacheTTL   time.Duration
	PlatformMaxStale   time.Duration
	// LevelJobBatch is how many users one transaction of a level job
	// recomputes.
	LevelJobBatch int

	MaxBodyBytes  int64
	MaxComplexity int
	MaxTokens     int
	MaxRootFields int
	// MaxQueryFields, MaxQueryDepth and MaxQueryAliases bound a query
	// document, fragment spreads expanded, before it is validated.
	MaxQueryFields  int
	MaxQueryDepth   int
	MaxQueryAliases int
	// RequestTimeout bounds each GraphQL operation once its body is read.
	RequestTimeout time.Duration
	// TrustedProxies (CIDRs) may set X-Forwarded-For.
	TrustedProxies []netip.Prefix
	// CORSOrigins are the exact origins (scheme://host[:port]) whose
	// browser pages may call /graphql; empty: none, same origin only.
	CORSOrigins []string

	// SessionCacheTTL is how long a verified session is kept in memory
	// (0: off); SessionCacheSize bounds how many (identity.SessionCache).
	SessionCacheTTL  time.Duration
	SessionCacheSize int

	// API keys (modules/apikeys): keys per user, the nonce window either
	// side of the server's clock, and the wrong signatures a key takes per
	// quarter hour before RATE_LIMITED.
	APIKeysPerUser           int
	APIKeyNonceWindow        time.Duration
	APIKeyBadSignaturesPer15 int
	// GeoIPDB is the MaxMind-format database (GeoIP2/GeoLite2 Country or
	// City) that places clients for COUNTRY and CONTINENT restrictions;
	// empty: those restrictions are skipped, with a warning at start.
	GeoIPDB string
	// MaxRestrictions bounds how many restrictions staff may keep;
	// WhitelinkMaxTTL bounds a whitelink's lifetime.
	MaxRestrictions int
	WhitelinkMaxTTL time.Duration
	// Captcha is the captcha provider and the operations that need it
	// (GATEHOUSE_CAPTCHA_*, see readCaptcha).
	Captcha CaptchaSettings
	// Delivery is how this instance's workers send the queued messages
	// (GATEHOUSE_DELIVERY_*, see readDelivery).
	Delivery DeliverySettings

	// HydraAdminURL is Ory Hydra's admin API (GATEHOUSE_HYDRA_ADMIN_URL):
	// set, Gatehouse is Hydra's login, consent and logout provider
	// (/oauth2/login, /oauth2/consent, /oauth2/logout, /oauth2/register);
	// empty, those routes are 404. OAuth2RememberFor is how long Hydra
	// remembers a login or consent a person asked it to remember.
	HydraAdminURL     string
	OAuth2RememberFor time.Duration
	// OAuth2PagesPerMinute bounds one client's requests to those pages.
	OAuth2PagesPerMinute int

	// OIDCProviders are the OpenID providers people may sign in with
	// (GATEHOUSE_OIDC_PROVIDERS, see readOIDC); OIDCTimeout bounds each
	// call to one; OIDCFlowsPerMinute bounds starts, and apart
	// completions, per client IP.
	OIDCProviders      []federation.Provider
	OIDCTimeout        time.Duration
	OIDCFlowsPerMinute int

	// Per-client-IP rate limits.
	StatusChecksPerMinute int
	SignInsPerMinute      int
	SignupStartsPerHour   int
	PasswordResetsPerHour int
}

// Prod reports whether this is a production deployment.
func (c Config) Prod() bool { return c.Env == "prod" }

// Scope is how much of the configuration a command reads and checks, so
// that each command asks only for what it uses: `migrate` never needs an
// SMS provider's secrets.
type Scope int

const (
	// ScopeDatabase is the environment, logging and the database
	// (`migrate`, `dev seed`).
	ScopeDatabase Scope = iota + 1
	// ScopeAccounts adds the hashing parameters (`admin create`).
	ScopeAccounts
	// ScopeServe is everything (`serve`).
	ScopeServe
)

// Serving reports whether the whole configuration was read: one-shot
// commands get stand-ins for the providers and keys they do not use.
func (c Config) Serving() bool { return c.Scope >= ScopeServe }

// Load reads the whole configuration, as `serve` needs it, through getenv
// (os.Getenv in main) and validates it, naming every bad value at once.
func Load(getenv func(string) string) (Config, error) { return LoadFor(getenv, ScopeServe) }

// LoadFor reads what scope uses. Settings outside the scope are not read
// from the environment (a bad value there does not stop `migrate`) and
// keep their defaults. The error, a *ConfigError, names every problem.
func LoadFor(getenv func(string) string, scope Scope) (Config, error) {
	r := &reader{getenv: getenv}
	unread := &reader{getenv: func(string) string { return "" }}
	in := func(s Scope) *reader {
		if scope >= s {
			return r
		}
		return unread
	}
	c := Config{Scope: scope}
	c.readBase(r)
	c.readHashing(in(ScopeAccounts))
	c.readServer(in(ScopeServe))
	if scope >= ScopeServe {
		c.readOAuth2Pages(r)
		c.readProviders(r)
		c.checkSecrets(r)
	}
	return c, r.err()
}

// readBase reads what every command needs: the environment, logging, the
// data directory and the database.
func (c *Config) readBase(r *reader) {
	c.Env = r.oneOf("GATEHOUSE_ENV", "prod", "dev", "prod")
	c.DataDir = r.str("GATEHOUSE_DATA_DIR", "./.gatehouse")
	c.DataDirSet = r.str("GATEHOUSE_DATA_DIR", "") != ""
	c.DatabaseURL = r.str("DATABASE_URL", "")
	// Two connections listen for good: for permission changes and for
	// the session cache's invalidations.
	c.DBMaxConns = r.intIn("GATEHOUSE_DB_MAX_CONNS", 20, 3, 1000)
	c.DBStatementTimeout = r.duration("GATEHOUSE_DB_STATEMENT_TIMEOUT", 5*time.Second, 100*time.Millisecond, 10*time.Minute)
	c.DBLockTimeout = r.duration("GATEHOUSE_DB_LOCK_TIMEOUT", 3*time.Second, 100*time.Millisecond, 10*time.Minute)
	c.DBPoolWait = r.duration("GATEHOUSE_DB_POOL_WAIT", 3*time.Second, 100*time.Millisecond, time.Minute)
	c.LogLevel = r.level("GATEHOUSE_LOG_LEVEL", slog.LevelInfo)
	defaultFormat := "text"
	if c.Prod() {
		defaultFormat = "json"
	}
	c.LogFormat = r.oneOf("GATEHOUSE_LOG_FORMAT", defaultFormat, "text", "json")
	if c.DatabaseURL != "" {
		// A URL, not a key=value string: a mistyped one would otherwise be
		// read as a host name and echoed, password and all, in an error.
		if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
			r.fail("DATABASE_URL", "must be a URL such as postgres://user:password@host:5432/gatehouse?sslmode=verify-full")
		}
	}
	if c.Prod() && c.DatabaseURL == "" {
		// The embedded cluster trusts every local connection: fine for a
		// developer's machine, not for money.
		r.fail("DATABASE_URL", "is required when GATEHOUSE_ENV=prod (the embedded database is for development)")
	}
}

// readHashing reads the argon2id parameters for PINs and passwords.
func (c *Config) readHashing(r *reader) {
	c.Argon2MemoryKiB = r.intIn("GATEHOUSE_ARGON2_MEMORY_KIB", 64*1024, 8*1024, 1024*1024)
	c.Argon2Iterations = r.intIn("GATEHOUSE_ARGON2_ITERATIONS", 1, 1, 20)
	c.Argon2Parallelism = r.intIn("GATEHOUSE_ARGON2_PARALLELISM", 2, 1, 16)
	c.readMemory(r)
}

// readServer reads the settings of the running service other than its
// outside providers and keys.
func (c *Config) readServer(r *reader) {
	// A developer's server prints codes to its log and holds a SUPERADMIN:
	// it listens on loopback unless told otherwise.
	defaultAddr := "127.0.0.1:8080"
	if c.Prod() {
		defaultAddr = ":8080"
	}
	c.HTTPAddr = r.str("GATEHOUSE_HTTP_ADDR", defaultAddr)
	c.ShutdownTimeout = r.duration("GATEHOUSE_SHUTDOWN_TIMEOUT", 15*time.Second, time.Second, 10*time.Minute)
	c.MetricsAddr = r.str("GATEHOUSE_METRICS_ADDR", "")
	c.Pprof = r.boolean("GATEHOUSE_PPROF", false)

	c.ProductName = r.str("GATEHOUSE_PRODUCT_NAME", "Gatehouse")
	if err := messages.CheckProductName(c.ProductName); err != nil {
		r.fail("GATEHOUSE_PRODUCT_NAME", err.Error())
	} else if strings.Contains(c.ProductName, ":") {
		// It is the TOTP issuer too, and the otpauth label is "issuer:account".
		r.fail("GATEHOUSE_PRODUCT_NAME", "must not contain ':' (authenticator apps read the name before the first ':' as the issuer)")
	}
	c.TemplatesDir = r.str("GATEHOUSE_TEMPLATES_DIR", "")

	c.SigningKeyFile = r.str("GATEHOUSE_SIGNING_KEY_FILE", "")
	c.PreviousPublicKeys = r.list("GATEHOUSE_PREVIOUS_PUBLIC_KEY_FILES")
	c.OTPHMACKey = r.str("GATEHOUSE_OTP_HMAC_KEY", "")
	c.TokenIssuer = r.str("GATEHOUSE_TOKEN_ISSUER", "gatehouse")
	c.TokenAudience = r.str("GATEHOUSE_TOKEN_AUDIENCE", "gatehouse-clients")
	c.AccessTokenTTL = r.duration("GATEHOUSE_ACCESS_TOKEN_TTL", 15*time.Minute, time.Minute, 24*time.Hour)
	c.SessionTTL = r.duration("GATEHOUSE_SESSION_TTL", 30*24*time.Hour, time.Hour, 365*24*time.Hour)
	c.SessionCacheTTL = r.duration("GATEHOUSE_SESSION_CACHE_TTL", 10*time.Second, 0, 5*time.Minute)
	c.SessionCacheSize = r.intIn("GATEHOUSE_SESSION_CACHE_SIZE", 10000, 1, 10000000)
	c.APIKeysPerUser = r.intIn("GATEHOUSE_API_KEYS_PER_USER", 10, 1, 1000)
	c.APIKeyNonceWindow = r.duration("GATEHOUSE_API_KEY_NONCE_WINDOW", 30*time.Second, time.Second, 10*time.Minute)
	c.APIKeyBadSignaturesPer15 = r.intIn("GATEHOUSE_API_KEY_BAD_SIGNATURES_PER_15MIN", 20, 1, 100000)

	c.OTPTTL = r.duration("GATEHOUSE_OTP_TTL", 120*time.Second, 30*time.Second, 30*time.Minute)
	c.OTPMaxAttempts = r.intIn("GATEHOUSE_OTP_MAX_ATTEMPTS", 5, 1, 20)
	c.OTPResendAfter = r.duration("GATEHOUSE_OTP_RESEND_AFTER", 60*time.Second, 0, 30*time.Minute)
	c.OTPSendsPerHour = r.intIn("GATEHOUSE_OTP_SENDS_PER_HOUR", 5, 1, 100)
	c.OTPClientSendsPerHour = r.intIn("GATEHOUSE_OTP_CLIENT_SENDS_PER_HOUR", 10, 1, 100000)

	c.Maintenance = r.boolean("GATEHOUSE_MAINTENANCE", false)
	c.MaintenanceMessage = r.str("GATEHOUSE_MAINTENANCE_MESSAGE", "")
	c.PlatformCacheTTL = r.duration("GATEHOUSE_PLATFORM_CACHE_TTL", 2*time.Second, 100*time.Millisecond, time.Minute)
	c.PlatformMaxStale = r.duration("GATEHOUSE_PLATFORM_MAX_STALE", 15*time.Minute, 0, 24*time.Hour)
	c.LevelJobBatch = r.intIn("GATEHOUSE_LEVEL_JOB_BATCH", 500, 1, 10000)

	c.MaxBodyBytes = int64(r.intIn("GATEHOUSE_MAX_BODY_BYTES", 64<<10, 1<<10, 64<<20))
	c.MaxComplexity = r.intIn("GATEHOUSE_MAX_COMPLEXITY", 500, 10, 100000)
	c.MaxTokens = r.intIn("GATEHOUSE_MAX_QUERY_TOKENS", 4000, 100, 100000)
	c.MaxRootFields = r.intIn("GATEHOUSE_MAX_ROOT_FIELDS", 10, 1, 1000)
	c.MaxQueryFields = r.intIn("GATEHOUSE_MAX_QUERY_FIELDS", 500, 10, 100000)
	c.MaxQueryDepth = r.intIn("GATEHOUSE_MAX_QUERY_DEPTH", 20, 2, 1000)
	c.MaxQueryAliases = r.intIn("GATEHOUSE_MAX_QUERY_ALIASES", 100, 1, 100000)
	c.RequestTimeout = r.duration("GATEHOUSE_REQUEST_TIMEOUT", 10*time.Second, 100*time.Millisecond, 10*time.Minute)
	c.CORSOrigins = readOrigins(r, "GATEHOUSE_CORS_ORIGINS")

	c.StatusChecksPerMinute = r.intIn("GATEHOUSE_RATE_STATUS_PER_MINUTE", 20, 1, 1000000)
	c.SignInsPerMinute = r.intIn("GATEHOUSE_RATE_SIGN_IN_PER_MINUTE", 30, 1, 1000000)
	c.SignupStartsPerHour = r.intIn("GATEHOUSE_RATE_SIGNUP_STARTS_PER_HOUR", 20, 1, 1000000)
	c.PasswordResetsPerHour = r.intIn("GATEHOUSE_RATE_PASSWORD_RESETS_PER_HOUR", 20, 1, 1000000)

	c.MFA = r.oneOf("GATEHOUSE_MFA", "NEW_DEVICE", "NEW_DEVICE", "ALWAYS")
	c.StepUpTTL = r.duration("GATEHOUSE_STEP_UP_TTL", 5*time.Minute, 30*time.Second, time.Hour)
	c.DataKey = r.str("GATEHOUSE_DATA_KEY", "")
	c.DataKeyID = r.str("GATEHOUSE_DATA_KEY_ID", "k1")

	c.BlobStore = r.oneOf("GATEHOUSE_BLOB_STORE", "local", "local", "s3")
	c.BlobKeys = r.str("GATEHOUSE_BLOB_KEYS", "")
	c.BlobKeyID = r.str("GATEHOUSE_BLOB_KEY_ID", "")
	c.KYCMaxFileBytes = int64(r.intIn("GATEHOUSE_KYC_MAX_FILE_BYTES", 10<<20, 1<<10, 50<<20))
	c.KYCMaxFiles = r.intIn("GATEHOUSE_KYC_MAX_FILES", 3, 1, 10)
	c.KYCMaxUploads = r.intIn("GATEHOUSE_KYC_MAX_UPLOADS", 16, 1, 10000)
	c.KYCMaxUploadsPerUser = r.intIn("GATEHOUSE_KYC_MAX_UPLOADS_PER_USER", 4, 1, 10000)
	if r.getenv("GATEHOUSE_KYC_MAX_UPLOADS_PER_CLIENT") != "" {
		// Renamed after v0.1.0: a deployment that still sets it would
		// otherwise get the defaults without a word.
		r.fail("GATEHOUSE_KYC_MAX_UPLOADS_PER_CLIENT", "is no longer read: signed-in uploads are limited per user "+
			"(GATEHOUSE_KYC_MAX_UPLOADS_PER_USER) and anonymous ones per client (GATEHOUSE_KYC_MAX_ANONYMOUS_UPLOADS_PER_CLIENT)")
	}
	c.KYCMaxAnonymousUploads = r.intIn("GATEHOUSE_KYC_MAX_ANONYMOUS_UPLOADS", 4, 1, 10000)
	c.KYCMaxAnonymousUploadsPerClient = r.intIn("GATEHOUSE_KYC_MAX_ANONYMOUS_UPLOADS_PER_CLIENT", 1, 1, 10000)
	c.KYCUploadMinRate = r.intIn("GATEHOUSE_KYC_UPLOAD_MIN_RATE", 16384, 1, 1<<30)
	c.KYCUploadRateGrace = r.duration("GATEHOUSE_KYC_UPLOAD_RATE_GRACE", 10*time.Second, time.Second, 10*time.Minute)
	c.MaxPortfolios = r.intIn("GATEHOUSE_MAX_PORTFOLIOS_PER_ACCOUNT", 20, 1, 1000)
	c.PartnerSecretGrace = r.duration("GATEHOUSE_PARTNER_SECRET_GRACE", 24*time.Hour, 0, 30*24*time.Hour)
	c.PartnerTokenTTL = r.duration("GATEHOUSE_PARTNER_TOKEN_TTL", 15*time.Minute, time.Minute, 24*time.Hour)
	c.PartnerTokensPerMinute = r.intIn("GATEHOUSE_PARTNER_TOKENS_PER_MINUTE", 60, 1, 100000)
	c.PartnerTokensPerMinutePerIP = r.intIn("GATEHOUSE_PARTNER_TOKENS_PER_MINUTE_PER_IP", 120, 1, 100000)
	c.PartnerMaxApps = r.intIn("GATEHOUSE_PARTNER_MAX_APPS", 1000, 1, 100000)
	c.readPerimeter(r)
	c.readCaptcha(r)
	c.readDelivery(r)
	c.readOIDC(r)
	c.KYCLinkTTL = r.duration("GATEHOUSE_KYC_LINK_TTL", 5*time.Minute, 30*time.Second, time.Hour)
	c.PINResetTTL = r.duration("GATEHOUSE_PIN_RESET_TTL", 24*time.Hour, 10*time.Minute, 7*24*time.Hour)
	c.WalletSeed = r.str("GATEHOUSE_WALLET_SEED", "")

	if c.MetricsAddr != "" {
		if _, port, err := net.SplitHostPort(c.MetricsAddr); err != nil || port == "" {
			r.fail("GATEHOUSE_METRICS_ADDR", fmt.Sprintf("must be host:port (e.g. 127.0.0.1:9090), got %q", c.MetricsAddr))
		} else if overlap(c.MetricsAddr, c.HTTPAddr) {
			r.fail("GATEHOUSE_METRICS_ADDR", "must differ from GATEHOUSE_HTTP_ADDR: /metrics gets a listener of its own")
		}
	}
	if c.Pprof && c.MetricsAddr == "" {
		r.fail("GATEHOUSE_PPROF", "needs GATEHOUSE_METRICS_ADDR: profiles are served only on the metrics listener, never the public one")
	}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		r.fail("GATEHOUSE_HTTP_ADDR", fmt.Sprintf("must be host:port (e.g. 127.0.0.1:8080, or :8080 for every interface), got %q", c.HTTPAddr))
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
		missing := false
		for _, v := range []struct{ name, value string }{{"GATEHOUSE_S3_ENDPOINT", c.S3.Endpoint},
			{"GATEHOUSE_S3_BUCKET", c.S3.Bucket}, {"GATEHOUSE_S3_ACCESS_KEY", c.S3.AccessKey},
			{"GATEHOUSE_S3_SECRET_KEY", c.S3.SecretKey}} {
			if v.value == "" {
				r.fail(v.name, "is required when GATEHOUSE_BLOB_STORE=s3")
				missing = true
			}
		}
		if !missing {
			if _, err := blob.NewS3(c.S3); err != nil {
				r.fail("GATEHOUSE_S3_ENDPOINT", fmt.Sprintf("cannot be used: %v", err))
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
		c.DevAdminPhone = r.str("GATEHOUSE_DEV_ADMIN_PHONE", DefaultDevAdminPhone)
		if c.DevAdminPhone == "none" {
			c.DevAdminPhone = ""
		} else if _, err := contact.NormalizePhone("phone", c.DevAdminPhone); err != nil {
			r.fail("GATEHOUSE_DEV_ADMIN_PHONE", "must be a valid phone number in international format (e.g. "+DefaultDevAdminPhone+"), or none")
		}
	}
	if len(c.DataKeyID) > 32 || strings.ContainsFunc(c.DataKeyID, func(r rune) bool { return r <= ' ' || r > '~' }) {
		r.fail("GATEHOUSE_DATA_KEY_ID", "must be at most 32 printable ASCII characters without spaces")
	}
	if c.SigningKeyFile == "" {
		c.SigningKeyFile = filepath.Join(c.DataDir, "keys", "signing.pem")
	}
}

// readPerimeter reads the restrictions' settings. The geolocation
// database is opened here too, so a path that is no database is reported
// with the other settings rather than at start.
func (c *Config) readPerimeter(r *reader) {
	c.GeoIPDB = r.str("GATEHOUSE_GEOIP_DB", "")
	c.MaxRestrictions = r.intIn("GATEHOUSE_MAX_RESTRICTIONS", 1000, 1, 100000)
	c.WhitelinkMaxTTL = r.duration("GATEHOUSE_WHITELINK_MAX_TTL", 7*24*time.Hour, time.Minute, 90*24*time.Hour)
	if c.GeoIPDB != "" {
		db, err := geoip.Open(c.GeoIPDB)
		if err != nil {
			r.fail("GATEHOUSE_GEOIP_DB", "must name a MaxMind-format database file (e.g. GeoLite2-Country.mmdb): "+
				strings.TrimPrefix(err.Error(), "geoip: "))
			return
		}
		_ = db.Close()
	}
}

// overlap reports whether two listen addresses would take the same port:
// the same port on the same host, or on every interface.
func overlap(a, b string) bool {
	ha, pa, err1 := net.SplitHostPort(a)
	hb, pb, err2 := net.SplitHostPort(b)
	if err1 != nil || err2 != nil || pa != pb {
		return false
	}
	any := func(h string) bool { return h == "" || h == "0.0.0.0" || h == "::" }
	return ha == hb || any(ha) || any(hb)
}

// DefaultDevAdminPhone is the dev SUPERADMIN's phone: a UK mobile number
// that the phone validator accepts.
const DefaultDevAdminPhone = "+447911000001"

// readOAuth2Pages reads the Hydra login/consent provider's settings.
func (c *Config) readOAuth2Pages(r *reader) {
	c.HydraAdminURL = strings.TrimRight(r.str("GATEHOUSE_HYDRA_ADMIN_URL", ""), "/")
	c.OAuth2RememberFor = r.duration("GATEHOUSE_OAUTH2_REMEMBER_FOR", 30*24*time.Hour, time.Minute, 365*24*time.Hour)
	c.OAuth2PagesPerMinute = r.intIn("GATEHOUSE_OAUTH2_PAGES_PER_MINUTE", 60, 1, 100000)
	if c.HydraAdminURL == "" {
		return
	}
	u, err := url.Parse(c.HydraAdminURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		r.fail("GATEHOUSE_HYDRA_ADMIN_URL", "must be the http(s) URL of Hydra's admin API, such as http://127.0.0.1:4445 (no credentials, query or fragment)")
	}
}

// readProviders reads the SMS and email providers. The console ones write
// codes to the log, so prod refuses them here, with the other settings,
// rather than when the provider is built.
func (c *Config) readProviders(r *reader) {
	defaultSMS := "console"
	if c.Prod() {
		defaultSMS = "twilio"
	}
	c.SMSProvider = r.oneOf("GATEHOUSE_SMS_PROVIDER", defaultSMS, "console", "twilio")
	if c.SMSProvider == "console" && c.Prod() {
		r.fail("GATEHOUSE_SMS_PROVIDER", "console is refused when GATEHOUSE_ENV=prod: it writes codes to the log; use twilio")
	}
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
			r.problems(err)
		}
	}
	c.EmailProvider = r.oneOf("GATEHOUSE_EMAIL_PROVIDER", defaultEmailProvider(c.Prod()), "console", "smtp")
	if c.EmailProvider == "console" && c.Prod() {
		r.fail("GATEHOUSE_EMAIL_PROVIDER", "console is refused when GATEHOUSE_ENV=prod: it writes codes to the log; use smtp")
	}
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
			r.problems(err)
		}
	}
}

// checkSecrets requires the keys prod cannot do without and checks every
// key given, so that a bad one is reported with the rest of the
// configuration instead of failing deep inside start-up. Error texts never
// contain the secrets.
func (c *Config) checkSecrets(r *reader) {
	if c.Prod() {
		for _, req := range []struct{ name, value, what string }{
			{"GATEHOUSE_SIGNING_KEY_FILE", r.str("GATEHOUSE_SIGNING_KEY_FILE", ""), "a PEM PKCS#8 Ed25519 private key"},
			{"GATEHOUSE_OTP_HMAC_KEY", c.OTPHMACKey, "at least 32 random bytes, hex or base64"},
			{"GATEHOUSE_DATA_KEY", c.DataKey, "32 random bytes, hex or base64"},
			{"GATEHOUSE_BLOB_KEYS", c.BlobKeys, "id:key pairs, keys 32 random bytes, hex or base64"},
			{"GATEHOUSE_WALLET_SEED", c.WalletSeed, "at least 32 random bytes, hex or base64"},
		} {
			if req.value == "" {
				r.fail(req.name, fmt.Sprintf("is required when GATEHOUSE_ENV=prod (%s)", req.what))
			}
		}
	}
	secret := func(name, value string, exact int) {
		if value == "" {
			return
		}
		b, err := token.DecodeSecret(value)
		switch {
		case err != nil:
			r.fail(name, "must be at least 32 bytes, hex or base64")
		case exact > 0 && len(b) != exact:
			r.fail(name, fmt.Sprintf("must be exactly %d bytes, got %d", exact, len(b)))
		}
	}
	secret("GATEHOUSE_OTP_HMAC_KEY", c.OTPHMACKey, 0)
	secret("GATEHOUSE_DATA_KEY", c.DataKey, 32)
	secret("GATEHOUSE_WALLET_SEED", c.WalletSeed, 0)
	// The signing key is read now; in dev a missing one is made at start.
	if _, err := os.Stat(c.SigningKeyFile); err == nil || c.Prod() && r.str("GATEHOUSE_SIGNING_KEY_FILE", "") != "" {
		if _, err := token.LoadOrCreateKey(c.SigningKeyFile, false); err != nil {
			r.fail("GATEHOUSE_SIGNING_KEY_FILE", fmt.Sprintf("cannot be used: %v", unprefixed(err)))
		}
	}
	if _, err := token.LoadPublicKeys(c.PreviousPublicKeys); err != nil {
		r.fail("GATEHOUSE_PREVIOUS_PUBLIC_KEY_FILES", fmt.Sprintf("cannot be used: %v", unprefixed(err)))
	}
}

// unprefixed drops the "token: " an adapter puts before its messages.
func unprefixed(err error) string { return strings.TrimPrefix(err.Error(), "token: ") }

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
	errs   []string
}

// readOrigins reads a comma list of origins as browsers write them in the
// Origin header, lower-cased: scheme://host[:port], http or https, no
// path, no wildcard, no default port (a browser never sends one, so such
// an entry would never match). Each bad entry is a problem of its own.
func readOrigins(r *reader, name string) []string {
	var out []string
	for _, raw := range r.list(name) {
		o := strings.ToLower(raw)
		u, err := url.Parse(o)
		switch {
		case strings.Contains(o, "*"):
			r.fail(name, fmt.Sprintf("lists exact origins, not patterns: %q", raw))
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "":
			r.fail(name, fmt.Sprintf("must list origins such as https://app.example.com or http://localhost:5173, got %q", raw))
		case u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery || strings.HasSuffix(o, "#"):
			r.fail(name, fmt.Sprintf("an origin is scheme://host[:port] with no path, query or user (%q)", raw))
		case (u.Scheme == "https" && u.Port() == "443") || (u.Scheme == "http" && u.Port() == "80"):
			r.fail(name, fmt.Sprintf("drop the default port from %q: browsers send the origin without it", raw))
		case u.Port() != "" && !validPort(u.Port()):
			r.fail(name, fmt.Sprintf("has a bad port: %q", raw))
		default:
			out = append(out, u.Scheme+"://"+u.Host)
		}
	}
	return out
}

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n > 0 && n < 65536
}

func (r *reader) fail(name, problem string) {
	r.errs = append(r.errs, name+" "+problem)
}

// problems adds each line of err (an adapter's own check of its settings,
// which names the variables) as a problem of its own.
func (r *reader) problems(err error) {
	for _, line := range strings.Split(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			r.errs = append(r.errs, line)
		}
	}
}

func (r *reader) err() error {
	if len(r.errs) == 0 {
		return nil
	}
	return &ConfigError{Problems: r.errs}
}

// ConfigError is every problem found in the configuration, one line each,
// each naming its variable.
type ConfigError struct{ Problems []string }

func (e *ConfigError) Error() string {
	if len(e.Problems) == 1 {
		return "invalid configuration: " + e.Problems[0]
	}
	return fmt.Sprintf("invalid configuration (%d problems):\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

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
