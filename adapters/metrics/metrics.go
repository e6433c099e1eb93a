// Package metrics is the operations metrics of the process in Prometheus
// form: the registry (Go runtime, process, database pool), sign-in and
// OTP counters taken from the activity log, and the argon2id semaphore
// wait. GraphQL operation metrics live in package graph.
package metrics

import (
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// NewRegistry returns a registry of its own (never the global one, so
// several instances can run in one process) with the Go runtime and
// process collectors and the pool statistics of db (go_sql_* with
// db_name="gatehouse").
func NewRegistry(db *sql.DB) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collectors.NewDBStatsCollector(db, "gatehouse"),
	)
	return reg
}

// Argon2Wait is gatehouse_argon2_wait_seconds: how long a hash or verify
// waited for a slot of the argon2id semaphore (zero when one was free).
type Argon2Wait struct{ h prometheus.Histogram }

// NewArgon2Wait registers the histogram on reg.
func NewArgon2Wait(reg prometheus.Registerer) *Argon2Wait {
	h := prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "gatehouse_argon2_wait_seconds",
		Help: "Time a PIN or password hash waited for an argon2id slot.",
		// 0.1ms .. ~26s.
		Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
	})
	reg.MustRegister(h)
	return &Argon2Wait{h: h}
}

// Observe records one wait; it fits secrets.Argon2Hasher.OnWait.
func (w *Argon2Wait) Observe(d time.Duration) { w.h.Observe(d.Seconds()) }
