package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/pprof"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/metrics"
	"github.com/gatehouse/gatehouse/adapters/secrets"
	"github.com/gatehouse/gatehouse/graph"
	"github.com/gatehouse/gatehouse/modules/captcha"
	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/ports"
)

// metricsOptions are the operations metrics of the server: the registry
// (Go, process, database pool), GraphQL operations, sign-ins and OTP
// sends counted from the activity log, the captcha's verifications, the
// delivery workers' tries, and
// the argon2id wait. They are
// plain options, not an fx.Module, so that the decorators apply to the
// whole graph.
var metricsOptions = fx.Options(
	fx.Provide(
		func(db *bun.DB) *prometheus.Registry { return metrics.NewRegistry(db.DB) },
		func(reg *prometheus.Registry) *graph.OperationMetrics { return graph.NewOperationMetrics(reg) },
	),
	fx.Decorate(
		func(l ports.ActivityLog, reg *prometheus.Registry) ports.ActivityLog {
			return metrics.NewActivityLog(l, reg)
		},
		func(v captcha.Verifier, reg *prometheus.Registry) captcha.Verifier {
			return metrics.NewCaptchaVerifier(v, reg)
		},
		func(_ delivery.Recorder, reg *prometheus.Registry) delivery.Recorder {
			return metrics.NewDeliveries(reg)
		},
		func(h ports.SecretHasher, reg *prometheus.Registry) ports.SecretHasher {
			w := metrics.NewArgon2Wait(reg)
			if a, ok := h.(*secrets.Argon2Hasher); ok {
				a.OnWait = w.Observe // before the hasher is handed to anyone
			}
			return h
		},
	),
	fx.Invoke(runMetricsServer),
)

// metricsHandler serves the registry in the Prometheus text format.
func metricsHandler(reg *prometheus.Registry, log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn), MaxRequestsInFlight: 4})
}

// metricsOnMainListener reports whether /metrics is served by the main
// listener: only in dev, and only when it has no listener of its own.
func metricsOnMainListener(cfg Config) bool { return cfg.MetricsAddr == "" && !cfg.Prod() }

// runMetricsServer serves GET /metrics alone on GATEHOUSE_METRICS_ADDR,
// when set (keep it off the public network: e.g. 127.0.0.1:9090), and
// with GATEHOUSE_PPROF the profiles under /debug/pprof/.
func runMetricsServer(lc fx.Lifecycle, cfg Config, ln metricsListener, reg *prometheus.Registry, log *slog.Logger) {
	if ln.Listener == nil {
		return
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler(reg, log))
	write := 30 * time.Second
	if cfg.Pprof {
		// A CPU profile or trace takes ?seconds= (30 by default) to write.
		mux.HandleFunc("GET /debug/pprof/", pprof.Index)
		mux.HandleFunc("GET /debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("GET /debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("GET /debug/pprof/trace", pprof.Trace)
		write = 2 * time.Minute
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout: 10 * time.Second, WriteTimeout: write, IdleTimeout: time.Minute,
		MaxHeaderBytes: 16 << 10, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			log.Info("metrics listening", "addr", ln.Addr().String(), "pprof", cfg.Pprof)
			go func() {
				if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
					log.Error("metrics server stopped", "err", err)
				}
			}()
			return nil
		},
		OnStop: func(ctx context.Context) error { return srv.Shutdown(ctx) },
	})
}
