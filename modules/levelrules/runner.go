package levelrules

import (
	"context"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/background"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
)

// Runner works through the RUNNING jobs in the background, oldest first,
// one batch of users per transaction: the batch's users are locked (as a
// label change locks its user), their levels recomputed from the rules
// as committed and stored, and the job's progress saved, all or nothing.
// A job another instance holds is skipped; one whose instance died is
// taken up where its last batch committed. It wakes when this instance
// makes a job, and every Poll for the others' jobs and the ones left by a
// restart.
type Runner struct {
	svc *Service
	log *slog.Logger
	// Poll is how often the runner looks for jobs it was not told of.
	Poll time.Duration

	wake chan struct{}
	bg   background.Task
}

// NewRunner returns the runner of svc's jobs; svc wakes it.
func NewRunner(svc *Service, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.Default()
	}
	r := &Runner{svc: svc, log: log, Poll: 2 * time.Second, wake: make(chan struct{}, 1)}
	svc.kick = r.Wake
	return r
}

// Wake has the runner look for jobs now.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Start runs the jobs in the background until Stop.
func (r *Runner) Start(context.Context) error {
	r.bg.Go(r.run)
	return nil
}

// Stop ends the running (a batch in flight rolls back; the next start
// redoes it) and waits for it.
func (r *Runner) Stop(ctx context.Context) error { return r.bg.Stop(ctx) }

func (r *Runner) run(ctx context.Context) {
	tick := time.NewTicker(r.Poll)
	defer tick.Stop()
	wait := 100 * time.Millisecond
	for {
		more, err := r.Step(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			r.log.Error("level job batch failed; retrying", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = min(wait*2, 5*time.Second)
			continue
		}
		wait = 100 * time.Millisecond
		if more {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-r.wake:
		case <-tick.C:
		}
	}
}

// Step runs one batch of the oldest RUNNING job; more is false when there
// was none to run.
func (r *Runner) Step(ctx context.Context) (more bool, err error) {
	s := r.svc
	err = s.tx.InTx(ctx, func(ctx context.Context) error {
		j, err := s.jobs.ClaimJob(ctx)
		if ports.ErrorCodeOf(err) == ports.CodeNotFound {
			return nil
		}
		if err != nil {
			return err
		}
		more = true
		rules, err := s.rules.LevelRules(ctx)
		if err != nil {
			return err
		}
		batch, err := s.users.UsersFrom(ctx, j.MinLevel, j.AfterID, s.cfg.Batch)
		if err != nil {
			return err
		}
		ids := make([]uuid.UUID, len(batch))
		for i, u := range batch {
			ids[i] = u.ID
		}
		labels, err := s.users.PrivateLabels(ctx, ids)
		if err != nil {
			return err
		}
		byUser := map[uuid.UUID][]kyc.Label{}
		for _, l := range labels {
			byUser[l.UserID] = append(byUser[l.UserID], l)
		}
		var moved []UserLevel
		for _, u := range batch {
			if l := kyc.ComputeLevel(rules, byUser[u.ID]); l != u.Level {
				moved = append(moved, UserLevel{ID: u.ID, Level: l})
			}
		}
		now := s.clock.Now().UTC()
		if len(moved) > 0 {
			if err := s.users.SetLevels(ctx, moved, now); err != nil {
				return err
			}
		}
		j.Done += len(batch)
		j.Changed += len(moved)
		j.Total = max(j.Total, j.Done)
		if n := len(batch); n > 0 {
			last := batch[n-1].ID
			j.AfterID = &last
		}
		if len(batch) < s.cfg.Batch {
			j.State, j.FinishedAt, j.Total = JobDone, &now, j.Done
		}
		j.UpdatedAt = now
		return s.jobs.SaveJob(ctx, j)
	})
	return more, err
}
