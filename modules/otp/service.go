package otp

import (
	"context"
	"log/slog"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Service issues, resends and checks codes.
type Service struct {
	cfg        Config
	store      Store
	tx         ports.TxRunner
	outbox     ports.Outbox
	clock      ports.Clock
	activities ports.ActivityLog
	log        *slog.Logger
}

// NewService returns the OTP service.
func NewService(cfg Config, store Store, tx ports.TxRunner, outbox ports.Outbox, clock ports.Clock,
	activities ports.ActivityLog, log *slog.Logger) *Service {
	return &Service{cfg: cfg, store: store, tx: tx, outbox: outbox, clock: clock,
		activities: activities, log: log}
}

// Config returns the parameters in force (clients show the lifetime).
func (s *Service) Config() Config { return s.cfg }

// record writes an OTP activity; a failure to write it is logged, not
// returned, because the user-facing outcome is already decided.
func (s *Service) record(ctx context.Context, c Challenge, action string, err error) {
	var userID *uuid.UUID
	if uid, perr := uuid.Parse(c.Metadata["userId"]); perr == nil {
		userID = &uid
	}
	a := ports.NewActivity(ctx, userID, "OTP", action, err, map[string]string{"purpose": string(c.Purpose),
		"channel": string(c.Channel), "challenge": c.ID.String()}, s.clock.Now())
	if rerr := s.activities.Record(ctx, a); rerr != nil {
		s.log.ErrorContext(ctx, "activity not recorded", "action", action, "err", rerr)
	}
}
