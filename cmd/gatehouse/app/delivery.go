package app

import (
	"context"
	"database/sql"
	"errors"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/modules/messages"
	"github.com/gatehouse/gatehouse/ports"
)

// DeliverySettings are the GATEHOUSE_DELIVERY_* variables: how the
// workers of this instance send the queued SMS and e-mail.
type DeliverySettings struct {
	Workers      int           // messages sent at once by this instance
	MaxAttempts  int           // tries of one message before it fails
	PollInterval time.Duration // how often the queue is looked at
	TryTimeout   time.Duration // bound on one try (one provider call)
}

func (c *Config) readDelivery(r *reader) {
	c.Delivery = DeliverySettings{
		Workers:      r.intIn("GATEHOUSE_DELIVERY_WORKERS", 8, 1, 200),
		MaxAttempts:  r.intIn("GATEHOUSE_DELIVERY_MAX_ATTEMPTS", 8, 1, 50),
		PollInterval: r.duration("GATEHOUSE_DELIVERY_POLL_INTERVAL", 200*time.Millisecond, 5*time.Millisecond, 10*time.Second),
		TryTimeout:   r.duration("GATEHOUSE_DELIVERY_TRY_TIMEOUT", 45*time.Second, time.Second, 5*time.Minute),
	}
}

// deliveryModule binds the delivery service's needs and makes it the
// app's outbox.
var deliveryModule = fx.Module("delivery-config",
	fx.Provide(
		func(cfg Config) delivery.Config {
			return delivery.Config{MaxAttempts: cfg.Delivery.MaxAttempts, ClaimFor: cfg.Delivery.TryTimeout + 15*time.Second,
				SMSProvider: cfg.SMSProvider, EmailProvider: cfg.EmailProvider}
		},
		func(db *bun.DB) (delivery.Queue, error) { return postgres.NewDeliveryQueue(db) },
		provideDeliveryBox,
		func(c *messages.Catalog) delivery.Renderer { return c },
		func() delivery.Recorder { return uncounted{} },
		func(p *admin.Policy) delivery.Rules { return p },
		func(s *delivery.Service) ports.Outbox { return s },
	),
)

// uncounted is the Recorder of an app without metrics (one-shot
// commands); the server's metrics replace it.
type uncounted struct{}

func (uncounted) Delivery(string, string, string, string) {}

// provideDeliveryBox seals the codes waiting in the queue with a key of
// their own derived from the data key.
func provideDeliveryBox(cfg Config) (delivery.Sealer, error) {
	return derivedBox(cfg, "gatehouse/delivery")
}

// deliveryWorkersModule runs the workers; it comes before httpModule in
// Options, so that it starts first and stops last.
var deliveryWorkersModule = fx.Module("delivery-workers", fx.Invoke(runDeliveryWorkers))

// runDeliveryWorkers works the delivery queue while the app runs. It is
// started before the HTTP server and stopped after it, so that the last
// requests' messages are sent: at stop the workers take no new message
// and finish the tries under way, for at most the shutdown timeout; a try
// cut then is tried again by another instance, or by this one at its next
// start.
func runDeliveryWorkers(lc fx.Lifecycle, db *bun.DB, svc *delivery.Service, cfg Config, log *slog.Logger) error {
	client, err := postgres.NewDeliveryWorkers(db, svc, postgres.WorkerConfig{Workers: cfg.Delivery.Workers,
		PollInterval: cfg.Delivery.PollInterval, TryTimeout: cfg.Delivery.TryTimeout}, log)
	if err != nil {
		return err
	}
	lc.Append(fx.Hook{
		OnStart: func(context.Context) error {
			// River's services live as long as the client, not the start.
			return client.Start(context.Background())
		},
		OnStop: func(ctx context.Context) error { return stopWorkers(ctx, client, cfg.ShutdownTimeout, log) },
	})
	return nil
}

// stopWorkers lets the tries under way finish within bound, then cancels
// what is left (those messages stay queued and are tried again).
func stopWorkers(ctx context.Context, client *river.Client[*sql.Tx], bound time.Duration, log *slog.Logger) error {
	soft, cancel := context.WithTimeout(ctx, bound)
	defer cancel()
	start := time.Now()
	err := client.Stop(soft)
	if err == nil {
		log.Info("delivery workers drained", "took", time.Since(start).Round(time.Millisecond))
		return nil
	}
	if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
		// Logged, not returned: a stop is usually the answer to another
		// failure (the database gone), which must stay the last word.
		log.Warn("delivery workers stopped with an error; unfinished messages stay queued", "err", err)
		return nil
	}
	log.Warn("delivery workers did not drain in time; the unfinished messages stay queued", "bound", bound)
	hard, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	return client.StopAndCancel(hard)
}
