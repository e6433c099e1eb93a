package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/uptrace/bun"

	"github.com/gatehouse/gatehouse/modules/delivery"
)

// DeliveryQueueName is the River queue the delivery workers serve.
const DeliveryQueueName = "deliveries"

// deliverArgs is the River job of one try of one delivery.
type deliverArgs struct {
	DeliveryID uuid.UUID `json:"delivery_id"`
}

// Kind names the job in River's tables.
func (deliverArgs) Kind() string { return "gatehouse_delivery" }

// InsertOpts puts the job on the delivery queue.
func (deliverArgs) InsertOpts() river.InsertOpts { return river.InsertOpts{Queue: DeliveryQueueName} }

type deliveryRow struct {
	bun.BaseModel `bun:"table:deliveries"`

	ID         uuid.UUID         `bun:"id,pk,type:uuid"`
	Channel    string            `bun:"channel"`
	Recipient  string            `bun:"recipient"`
	Template   string            `bun:"template"`
	Locale     string            `bun:"locale"`
	Data       map[string]string `bun:"data,type:jsonb"`
	CodeSealed []byte            `bun:"code_sealed"`
	Ref        string            `bun:"ref"`
	Withhold   bool              `bun:"withhold"`
	NotAfter   *time.Time        `bun:"not_after"`
	Status     string            `bun:"status"`
	Attempts   int               `bun:"attempts"`
	Reason     string            `bun:"reason"`
	Detail     string            `bun:"detail"`
	Provider   string            `bun:"provider"`
	CreatedAt  time.Time         `bun:"created_at"`
	UpdatedAt  time.Time         `bun:"updated_at"`
	SentAt     *time.Time        `bun:"sent_at"`
	Claimed    *time.Time        `bun:"claimed_until"`
}

func (r deliveryRow) toPort() delivery.Delivery {
	d := delivery.Delivery{ID: r.ID, Channel: r.Channel, To: r.Recipient, Template: r.Template, Locale: r.Locale,
		Data: r.Data, SealedCode: r.CodeSealed, Ref: r.Ref, Withhold: r.Withhold, Status: delivery.Status(r.Status),
		Attempts: r.Attempts, Reason: r.Reason, Detail: r.Detail, Provider: r.Provider, CreatedAt: r.CreatedAt,
		UpdatedAt: r.UpdatedAt, SentAt: r.SentAt}
	if r.NotAfter != nil {
		d.NotAfter = *r.NotAfter
	}
	return d
}

// DeliveryQueue implements delivery.Queue: the deliveries table, and a
// River job per delivery (River retries it; a staff retry adds one)
// inserted in the same transaction.
type DeliveryQueue struct {
	db   *bun.DB
	jobs *river.Client[*sql.Tx] // insert-only: never started
}

var _ delivery.Queue = (*DeliveryQueue)(nil)

// NewDeliveryQueue returns the queue over db.
func NewDeliveryQueue(db *bun.DB) (*DeliveryQueue, error) {
	jobs, err := river.NewClient(riverdatabasesql.New(db.DB), &river.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, fmt.Errorf("delivery queue: %w", err)
	}
	return &DeliveryQueue{db: db, jobs: jobs}, nil
}

// schedule inserts the job of id, of at most tries, in ctx's transaction.
func (q *DeliveryQueue) schedule(ctx context.Context, id uuid.UUID, tries int) error {
	tx, ok := ctx.Value(txKey{}).(bun.Tx)
	if !ok {
		return errors.New("delivery queue: a delivery is scheduled inside a transaction only")
	}
	// Two jobs of one delivery (a staff retry while the last try's job
	// is still being closed, a rescued job) are harmless: a try claims
	// the row first (Claim), and only a QUEUED, unclaimed one is sent.
	_, err := q.jobs.InsertTx(ctx, tx.Tx, deliverArgs{DeliveryID: id}, &river.InsertOpts{MaxAttempts: tries})
	return mapErr(err)
}

// Add implements delivery.Queue.
func (q *DeliveryQueue) Add(ctx context.Context, d delivery.Delivery, tries int) error {
	r := deliveryRow{ID: d.ID, Channel: d.Channel, Recipient: d.To, Template: d.Template, Locale: d.Locale,
		Data: nonNil(d.Data), CodeSealed: d.SealedCode, Ref: d.Ref, Withhold: d.Withhold, Status: string(d.Status),
		CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt}
	if !d.NotAfter.IsZero() {
		r.NotAfter = &d.NotAfter
	}
	if _, err := conn(ctx, q.db).NewInsert().Model(&r).Exec(ctx); err != nil {
		return mapErr(err)
	}
	return q.schedule(ctx, d.ID, tries)
}

// Claim implements delivery.Queue.
func (q *DeliveryQueue) Claim(ctx context.Context, id uuid.UUID, now, until time.Time) (delivery.Delivery, bool, error) {
	var rows []deliveryRow
	err := conn(ctx, q.db).NewUpdate().Model(&rows).Set("claimed_until = ?", until).
		Where("id = ? AND status = 'QUEUED' AND (claimed_until IS NULL OR claimed_until <= ?)", id, now).
		Returning("*").Scan(ctx)
	if err != nil {
		return delivery.Delivery{}, false, mapErr(err)
	}
	if len(rows) == 0 {
		return delivery.Delivery{}, false, nil
	}
	return rows[0].toPort(), true, nil
}

// Get implements delivery.Queue.
func (q *DeliveryQueue) Get(ctx context.Context, id uuid.UUID) (delivery.Delivery, error) {
	var r deliveryRow
	if err := conn(ctx, q.db).NewSelect().Model(&r).Where("id = ?", id).Scan(ctx); err != nil {
		return delivery.Delivery{}, mapErr(err)
	}
	return r.toPort(), nil
}

// Sent implements delivery.Queue.
func (q *DeliveryQueue) Sent(ctx context.Context, id uuid.UUID, provider string, at time.Time) (bool, error) {
	res, err := conn(ctx, q.db).NewUpdate().Model((*deliveryRow)(nil)).
		Set("status = 'SENT', code_sealed = NULL, reason = '', detail = '', claimed_until = NULL, provider = ?, sent_at = ?, updated_at = ?",
			provider, at, at).
		Where("id = ? AND status = 'QUEUED'", id).Exec(ctx)
	return affectedOne(res, err)
}

// Tried implements delivery.Queue.
func (q *DeliveryQueue) Tried(ctx context.Context, id uuid.UUID, f delivery.Failure, final bool, at time.Time) error {
	status := "QUEUED"
	if final {
		status = "FAILED"
	}
	_, err := conn(ctx, q.db).NewUpdate().Model((*deliveryRow)(nil)).
		Set("status = ?, attempts = attempts + 1, reason = ?, detail = ?, claimed_until = NULL, provider = ?, updated_at = ?",
			status, f.Reason, f.Detail, f.Provider, at).
		Where("id = ? AND status = 'QUEUED'", id).Exec(ctx)
	return mapErr(err)
}

// Supersede implements delivery.Queue.
func (q *DeliveryQueue) Supersede(ctx context.Context, ref string, at time.Time) error {
	_, err := conn(ctx, q.db).NewUpdate().Model((*deliveryRow)(nil)).
		Set("status = 'FAILED', reason = ?, detail = 'a newer message replaced it', code_sealed = NULL, updated_at = ?",
			delivery.ReasonSuperseded, at).
		Where("ref = ? AND ref <> '' AND (status = 'QUEUED' OR (status = 'FAILED' AND reason <> ?))",
			ref, delivery.ReasonSuperseded).Exec(ctx)
	return mapErr(err)
}

// Latest implements delivery.Queue.
func (q *DeliveryQueue) Latest(ctx context.Context, ref string) (delivery.Delivery, error) {
	var r deliveryRow
	err := conn(ctx, q.db).NewSelect().Model(&r).Where("ref = ? AND ref <> ''", ref).
		OrderExpr("created_at DESC, id DESC").Limit(1).Scan(ctx)
	if err != nil {
		return delivery.Delivery{}, mapErr(err)
	}
	return r.toPort(), nil
}

// Failed implements delivery.Queue.
func (q *DeliveryQueue) Failed(ctx context.Context, before time.Time, beforeID uuid.UUID, n int) ([]delivery.Delivery, error) {
	var rows []deliveryRow
	err := conn(ctx, q.db).NewSelect().Model(&rows).
		ExcludeColumn("code_sealed").
		Where("status = 'FAILED' AND reason <> ? AND (updated_at, id) < (?, ?)", delivery.ReasonSuperseded,
			before, beforeID).
		OrderExpr("updated_at DESC, id DESC").Limit(int64(pageLimit(n))).Scan(ctx)
	if err != nil {
		return nil, mapErr(err)
	}
	return mapRows(rows, deliveryRow.toPort), nil
}

// Requeue implements delivery.Queue.
func (q *DeliveryQueue) Requeue(ctx context.Context, id uuid.UUID, tries int, at time.Time) (bool, error) {
	res, err := conn(ctx, q.db).NewUpdate().Model((*deliveryRow)(nil)).
		Set("status = 'QUEUED', attempts = 0, reason = '', detail = '', updated_at = ?", at).
		Where("id = ? AND status = 'FAILED'", id).Exec(ctx)
	ok, err := affectedOne(res, err)
	if err != nil || !ok {
		return ok, err
	}
	return true, q.schedule(ctx, id, tries)
}

// affectedOne reports whether an update changed a row.
func affectedOne(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, mapErr(err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// deliveryWorker is River's worker of the delivery queue: one try of one
// delivery, by the delivery service.
type deliveryWorker struct {
	river.WorkerDefaults[deliverArgs]
	svc     Deliverer
	timeout time.Duration
}

// Deliverer makes one try of one delivery (delivery.Service.Deliver).
type Deliverer interface {
	Deliver(ctx context.Context, id uuid.UUID, attempt int, last bool) (retry bool, err error)
}

// Work implements river.Worker: a failure to retry is returned (River
// tries again at NextRetry), a final one cancels the job.
func (w *deliveryWorker) Work(ctx context.Context, job *river.Job[deliverArgs]) error {
	retry, err := w.svc.Deliver(ctx, job.Args.DeliveryID, job.Attempt, job.Attempt >= job.MaxAttempts)
	if err != nil && !retry {
		return river.JobCancel(err)
	}
	return err
}

// NextRetry implements river.Worker: delivery.RetryDelay after the try.
func (w *deliveryWorker) NextRetry(job *river.Job[deliverArgs]) time.Time {
	return time.Now().Add(delivery.RetryDelay(job.Attempt))
}

// Timeout implements river.Worker: one try's bound.
func (w *deliveryWorker) Timeout(*river.Job[deliverArgs]) time.Duration { return w.timeout }

// WorkerConfig tunes the delivery workers of one instance.
type WorkerConfig struct {
	Workers      int           // tries run at once
	PollInterval time.Duration // how often the queue is looked at
	TryTimeout   time.Duration // bound on one try (the provider's call)
}

// NewDeliveryWorkers returns a River client that works the delivery queue
// with svc; Start and Stop it with the app. Every instance runs one: the
// queue is shared, each job is locked by the instance that takes it.
func NewDeliveryWorkers(db *bun.DB, svc Deliverer, cfg WorkerConfig, log *slog.Logger) (*river.Client[*sql.Tx], error) {
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &deliveryWorker{svc: svc, timeout: cfg.TryTimeout}); err != nil {
		return nil, err
	}
	return river.NewClient(riverdatabasesql.New(db.DB), &river.Config{
		Queues:            map[string]river.QueueConfig{DeliveryQueueName: {MaxWorkers: cfg.Workers}},
		Workers:           workers,
		FetchPollInterval: cfg.PollInterval,
		FetchCooldown:     min(cfg.PollInterval, river.FetchCooldownDefault),
		// A try is bounded by TryTimeout; a job still "running" long after
		// (its instance died mid-try) is tried again.
		RescueStuckJobsAfter: max(cfg.TryTimeout*4, 5*time.Minute),
		Logger:               log.With("component", "river"),
		// A full job list is pointless here: deliveries keep the story.
		CompletedJobRetentionPeriod: time.Hour,
		CancelledJobRetentionPeriod: 24 * time.Hour,
		DiscardedJobRetentionPeriod: 24 * time.Hour,
	})
}
