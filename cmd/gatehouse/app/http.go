package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/graph"
	"github.com/gatehouse/gatehouse/graph/resolvers"
	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/consent"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/web/console"
	"github.com/gatehouse/gatehouse/web/playground"
)

var httpModule = fx.Module("http",
	fx.Provide(newMux),
	fx.Invoke(runServer),
)

// newMux routes every endpoint; tests serve it with httptest.
func newMux(cfg Config, r *resolvers.Resolver, db *bun.DB, signer ports.TokenSigner, authz graph.Authorizer,
	audit ports.AuditTrail, ops *graph.OperationMetrics, reg *prometheus.Registry, tokens graph.TokenIssuer,
	fence graph.Perimeter, gate *captcha.Gate, pages *consent.Pages, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mountOAuth2Pages(mux, cfg, pages)
	// Browser pages of the listed origins may call /graphql (only it: the
	// token endpoint's client-credentials grant needs a secret no page
	// should hold).
	cors := graph.NewCORS(cfg.CORSOrigins)
	mux.Handle("OPTIONS /graphql", cors.Preflight())
	mux.Handle("POST /graphql", cors.Wrap(graph.NewHandler(graph.Options{Introspection: !cfg.Prod(),
		MaxBodyBytes: cfg.MaxBodyBytes, MaxComplexity: cfg.MaxComplexity, MaxTokens: cfg.MaxTokens,
		MaxRootFields: cfg.MaxRootFields, TrustedProxies: cfg.TrustedProxies,
		QueryLimits: graph.QueryLimits{MaxFields: cfg.MaxQueryFields, MaxDepth: cfg.MaxQueryDepth,
			MaxAliases: cfg.MaxQueryAliases},
		RequestTimeout: cfg.RequestTimeout,
		Uploads: graph.Multipart{MaxFiles: cfg.KYCMaxFiles, MaxFileBytes: cfg.KYCMaxFileBytes,
			Slots: graph.NewUploadSlots(cfg.KYCMaxUploads, cfg.KYCMaxUploadsPerUser,
				cfg.KYCMaxAnonymousUploads, cfg.KYCMaxAnonymousUploadsPerClient),
			MinRate: int64(cfg.KYCUploadMinRate), RateGrace: cfg.KYCUploadRateGrace},
		Authorizer: authz, Audit: audit, Metrics: ops, Perimeter: fence, Captcha: gate}, r, log)))
	if metricsOnMainListener(cfg) {
		mux.Handle("GET /metrics", metricsHandler(reg, log))
	}
	if !cfg.Prod() {
		// GraphiQL, bundled (web/playground): no CDN, so it works offline.
		page := playground.Handler()
		mux.Handle("GET /{$}", page)
		mux.Handle("GET "+playground.Prefix, page)
	}
	// The staff console is static files: all it can do goes through
	// /graphql and the permission rows, so staff have it in prod too.
	staff := console.Handler()
	mux.Handle("GET "+console.Prefix, staff)
	mux.Handle("GET "+console.Prefix+"/", staff)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain")
		if err := db.PingContext(ctx); err != nil {
			log.WarnContext(ctx, "readiness check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unreachable\n"))
			return
		}
		_, _ = w.Write([]byte("ready\n"))
	})
	// A signed file link is a bearer capability: one that leaks must not
	// open the documents to a network the restrictions shut out.
	mux.Handle("GET /kyc/files/{id}", graph.GuardRoute(graph.NetworkOnly(fence), cfg.TrustedProxies, false,
		kycFileHandler(r, log)))
	// The token endpoint hands out credentials: the perimeter judges it as
	// a sign-in (BLOCKLOGIN refuses it too). Every method: the handler
	// answers the others in RFC 6749's JSON.
	mux.Handle("/oauth2/token", graph.GuardRoute(fence, cfg.TrustedProxies, true,
		graph.OAuth2Token(tokens, cfg.TrustedProxies, log)))
	jwks := signer.JWKS()
	mux.HandleFunc("GET /.well-known/jwks.json", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "public, max-age=300")
		_, _ = w.Write(jwks)
	})
	return graph.WithRequestID(mux)
}

// httpListener is the main listener (GATEHOUSE_HTTP_ADDR).
type httpListener struct{ net.Listener }

// metricsListener is the /metrics listener (GATEHOUSE_METRICS_ADDR); its
// Listener is nil when /metrics has no listener of its own.
type metricsListener struct{ net.Listener }

// preflightModule binds the listeners and checks where the embedded
// database would live first, before the database is opened or a key
// made: an address that is taken, or a data directory the server cannot
// use, stops the start before anything is created.
var preflightModule = fx.Module("preflight",
	fx.Provide(listen),
	fx.Invoke(func(cfg Config, _ httpListener, _ metricsListener) error {
		if cfg.DatabaseURL != "" {
			return nil
		}
		// The data directory itself is made traversable first; a folder
		// above it that the postgres user cannot pass is what counts.
		if err := EnsureDataDir(cfg); err != nil {
			return err
		}
		_, _, err := ClusterDir(cfg)
		return err
	}))

func listen(lc fx.Lifecycle, cfg Config) (httpListener, metricsListener, error) {
	bind := func(name, addr string) (net.Listener, error) {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("%s %s cannot be used (is another Gatehouse running?): %w", name, addr, err)
		}
		// Closed at stop, and when a later step of the start fails.
		lc.Append(fx.Hook{OnStop: func(context.Context) error { _ = ln.Close(); return nil }})
		return ln, nil
	}
	main, err := bind("GATEHOUSE_HTTP_ADDR", cfg.HTTPAddr)
	if err != nil {
		return httpListener{}, metricsListener{}, err
	}
	if cfg.MetricsAddr == "" {
		return httpListener{main}, metricsListener{}, nil
	}
	m, err := bind("GATEHOUSE_METRICS_ADDR", cfg.MetricsAddr)
	if err != nil {
		_ = main.Close()
		return httpListener{}, metricsListener{}, err
	}
	return httpListener{main}, metricsListener{m}, nil
}

// runServer serves on the main listener once the app has started and
// drains in-flight requests at stop.
func runServer(lc fx.Lifecycle, cfg Config, ln httpListener, h http.Handler, log *slog.Logger) {
	srv := &http.Server{Addr: cfg.HTTPAddr, Handler: h, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			log.Info("gatehouse listening", "addr", ln.Addr().String(), "env", cfg.Env,
				"memory_limit_mib", cfg.MemoryLimit>>20, "argon2id_slots", cfg.HashConcurrency)
			go func() {
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Error("http server stopped", "err", err)
				}
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error {
			ctx, cancel := context.WithTimeout(ctx, cfg.ShutdownTimeout)
			defer cancel()
			log.Info("draining in-flight requests")
			return srv.Shutdown(ctx)
		},
	})
}

// kycFileHandler serves a KYC file to whoever holds a signed link (made
// for staff who may read files, valid for minutes). Every bad, expired or
// tampered link is the same 404, so the route is no oracle. The content
// is never rendered inline by the browser.
func kycFileHandler(r *resolvers.Resolver, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		id, err := uuid.Parse(req.PathValue("id"))
		exp, perr := strconv.ParseInt(req.URL.Query().Get("e"), 10, 64)
		if err != nil || perr != nil {
			http.NotFound(w, req)
			return
		}
		f, data, err := r.KYC.Files.OpenSignedFile(req.Context(), id, exp, req.URL.Query().Get("u"), req.URL.Query().Get("s"))
		if err != nil {
			if ports.ErrorCodeOf(err) == ports.CodeUnavailable {
				// Not "not found": the link may be good, the database is out.
				log.ErrorContext(req.Context(), "KYC file not served: dependency unavailable", "file", id,
					"request_id", ports.RequestID(req.Context()), "err", err)
				w.Header().Set("Retry-After", strconv.Itoa(int(ports.UnavailableRetry.Seconds())))
				http.Error(w, "temporarily unavailable", http.StatusServiceUnavailable)
				return
			}
			if ports.ErrorCodeOf(err) == ports.CodeInternal {
				log.ErrorContext(req.Context(), "KYC file not served", "file", id,
					"request_id", ports.RequestID(req.Context()), "err", err)
				http.Error(w, "internal error", http.StatusInternalServerError)
				return
			}
			http.NotFound(w, req)
			return
		}
		w.Header().Set("Content-Type", f.ContentType)
		w.Header().Set("Content-Disposition", "attachment")
		w.Header().Set("Content-Security-Policy", "sandbox; default-src 'none'")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
	})
}
