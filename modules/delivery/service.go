package delivery

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/staffrule"
	"github.com/gatehouse/gatehouse/ports"
)

// Rules answers whether a role may do an operation, from the permission
// rows (the one source of truth for roles).
type Rules interface {
	Allowed(role, operation string) bool
}

// Service is the outbox modules write to, the worker's sending of one
// delivery, and what users and staff read of deliveries.
type Service struct {
	cfg     Config
	queue   Queue
	tx      ports.TxRunner
	box     Sealer
	render  Renderer
	sms     ports.SMSSender
	email   ports.EmailSender
	rec     Recorder
	rules   Rules
	callers ports.CallerSource
	clock   ports.Clock
	log     *slog.Logger
}

var _ ports.Outbox = (*Service)(nil)

// NewService wires a Service.
func NewService(cfg Config, queue Queue, tx ports.TxRunner, box Sealer, render Renderer, sms ports.SMSSender,
	email ports.EmailSender, rec Recorder, rules Rules, callers ports.CallerSource, clock ports.Clock,
	log *slog.Logger) *Service {
	if cfg.MaxAttempts < 1 {
		cfg.MaxAttempts = DefaultConfig().MaxAttempts
	}
	if cfg.ClaimFor <= 0 {
		cfg.ClaimFor = DefaultConfig().ClaimFor
	}
	return &Service{cfg: cfg, queue: queue, tx: tx, box: box, render: render, sms: sms, email: email, rec: rec,
		rules: rules, callers: callers, clock: clock, log: log}
}

// maxDetail bounds the provider's answer kept with a failure.
const maxDetail = 300

// Enqueue writes m to the queue in the transaction carried by ctx (one is
// opened when there is none): it is sent after that transaction commits,
// and never if it rolls back. Its code is sealed first. A message with a
// Ref supersedes the unsent ones about the same thing (a resent code
// replaces the old one, which must not arrive after it).
func (s *Service) Enqueue(ctx context.Context, m ports.Message) error {
	if err := m.Check(); err != nil {
		return err
	}
	// Version 7: deliveries of one instant keep the order they were
	// queued in (Latest breaks ties by id).
	id, err := uuid.NewV7()
	if err != nil {
		return err
	}
	d := Delivery{ID: id, Channel: m.Channel, To: m.To, Template: m.Template, Locale: m.Locale,
		Data: m.Data, Ref: m.Ref, Withhold: m.Withhold, NotAfter: m.NotAfter, Status: StatusQueued,
		CreatedAt: s.clock.Now()}
	d.UpdatedAt = d.CreatedAt
	if m.Code != "" {
		sealed, err := s.box.Seal([]byte(m.Code), d.ID[:])
		if err != nil {
			return err
		}
		d.SealedCode = sealed
	}
	return s.tx.InTx(ctx, func(ctx context.Context) error {
		if d.Ref != "" {
			if err := s.queue.Supersede(ctx, d.Ref, d.CreatedAt); err != nil {
				return err
			}
		}
		return s.queue.Add(ctx, d, s.cfg.Tries(d))
	})
}

// Deliver makes try number attempt (from 1) of one delivery; last says
// the queue will make no further try whatever the answer (its own bound
// on tries), so that a failure then is final. A nil error means there is
// nothing more to do: sent, failed for good (recorded), or no longer
// queued. An error with retry true asks for another try later; with retry
// false the delivery has failed and no try must follow. The error never
// carries the provider's words unscrubbed.
func (s *Service) Deliver(ctx context.Context, id uuid.UUID, attempt int, last bool) (retry bool, err error) {
	now := s.clock.Now()
	d, ok, err := s.queue.Claim(ctx, id, now, now.Add(s.cfg.ClaimFor))
	if err != nil {
		return true, err
	}
	if !ok {
		// Sent, failed or gone: nothing to do. Held by another try: later,
		// should that try end without an outcome.
		cur, err := s.queue.Get(ctx, id)
		if err == nil && cur.Status == StatusQueued {
			return true, errHeld
		}
		return false, nil
	}
	provider := s.provider(d.Channel)
	// What never reaches a provider is settled in a bounded write, even
	// when the try's own time ran out.
	settle, cancel := context.WithTimeout(context.WithoutCancel(ctx), settleTimeout)
	defer cancel()
	if d.Withhold {
		// A decoy: recorded as sent, whatever its age, like a real code
		// that went out.
		_, err := s.queue.Sent(settle, d.ID, provider, now)
		return err != nil, err
	}
	if !d.NotAfter.IsZero() && !now.Before(d.NotAfter) {
		return s.failFor(settle, d, Failure{Reason: ReasonExpired, Provider: provider,
			Detail: "not sent before its code expired"}, now)
	}
	code := ""
	if d.SealedCode != nil {
		plain, err := s.box.Open(d.SealedCode, d.ID[:])
		if err != nil {
			return s.failFor(settle, d, Failure{Reason: ports.SendRejected, Provider: provider,
				Detail: "the sealed code could not be opened (was the data key changed?)"}, now)
		}
		code = string(plain)
	}
	r, err := s.render.Render(d.Channel, d.Template, d.Locale, d.Data, code)
	if err != nil {
		return s.failFor(settle, d, Failure{Reason: ports.SendRejected, Provider: provider,
			Detail: scrub("template: "+err.Error(), code)}, now)
	}
	if d.Channel == ports.ChannelEmail {
		err = s.email.SendEmail(ctx, ports.Email{To: d.To, Subject: r.Subject, Text: r.Text, HTML: r.HTML})
	} else {
		err = s.sms.SendSMS(ctx, d.To, r.Text)
	}
	now = s.clock.Now()
	if err == nil {
		s.sent(settle, d, provider, now)
		return false, nil
	}
	reason, permanent := ports.ClassifySend(err)
	final := permanent || last || attempt >= s.cfg.Tries(d) ||
		(!d.NotAfter.IsZero() && !now.Add(RetryDelay(attempt)).Before(d.NotAfter))
	f := Failure{Reason: reason, Provider: provider, Detail: scrub(err.Error(), code)}
	s.log.WarnContext(ctx, "message not sent", "delivery", d.ID, "channel", d.Channel, "template", d.Template,
		"attempt", attempt, "reason", reason, "final", final, "err", f.Detail)
	if rerr := s.fail(settle, d, f, final, now); rerr != nil {
		return true, rerr
	}
	return !final, errors.New(f.Reason + ": " + f.Detail)
}

// errHeld answers a try of a message another try holds.
var errHeld = errors.New("another try holds this message")

// settleTimeout bounds the writes that record a try's outcome.
const settleTimeout = 5 * time.Second

// sent records a message the provider took, trying the write a few
// times: a message sent but left QUEUED (its claim held, its job done)
// reads as queued until the janitor ends it as LOST.
func (s *Service) sent(ctx context.Context, d Delivery, provider string, at time.Time) {
	for i := 0; ; i++ {
		ok, err := s.queue.Sent(ctx, d.ID, provider, at)
		switch {
		case err == nil && ok:
			s.rec.Delivery(d.Channel, provider, "sent", "")
			return
		case err == nil:
			s.log.WarnContext(ctx, "message sent while no longer queued: it may have gone twice", "delivery", d.ID)
			return
		case i == 2 || ctx.Err() != nil:
			s.log.ErrorContext(ctx, "message sent but not recorded as sent", "delivery", d.ID, "err", err)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// failFor records a failure that no try can mend and answers Deliver: no
// further try, or one more when the record itself failed (the row must
// not stay QUEUED without a job).
func (s *Service) failFor(ctx context.Context, d Delivery, f Failure, at time.Time) (bool, error) {
	if err := s.fail(ctx, d, f, true, at); err != nil {
		return true, err
	}
	return false, nil
}

// fail records a failed try (final: the delivery failed) and counts it.
func (s *Service) fail(ctx context.Context, d Delivery, f Failure, final bool, at time.Time) error {
	if err := s.queue.Tried(ctx, d.ID, f, final, at); err != nil {
		return err
	}
	result := "retry"
	if final {
		result = "failed"
	}
	s.rec.Delivery(d.Channel, f.Provider, result, f.Reason)
	return nil
}

func (s *Service) provider(channel string) string {
	if channel == ports.ChannelEmail {
		return s.cfg.EmailProvider
	}
	return s.cfg.SMSProvider
}

// scrub cuts a provider's answer short and removes the code from it,
// should the provider have echoed the message.
func scrub(detail, code string) string {
	if code != "" {
		detail = strings.ReplaceAll(detail, code, "[code]")
	}
	if len(detail) > maxDetail {
		cut := maxDetail
		for cut > 0 && !utf8.RuneStart(detail[cut]) {
			cut--
		}
		detail = detail[:cut] + "…"
	}
	return detail
}

// Latest is the newest delivery about ref (e.g. "otp:<challenge id>");
// ports.ErrNotFound when none was queued.
func (s *Service) Latest(ctx context.Context, ref string) (Delivery, error) {
	return s.queue.Latest(ctx, ref)
}

// Page is one page of failed deliveries, each item with its cursor.
type Page struct {
	Items   []Delivery
	Cursors []string
	HasNext bool
}

// Failed lists the dead letters, newest first, for staff whose role the
// permission rows let read failedDeliveries.
func (s *Service) Failed(ctx context.Context, first int, after string) (Page, error) {
	if err := s.staff(ctx, "failedDeliveries"); err != nil {
		return Page{}, err
	}
	at, id, hasAfter, err := ports.PageArgs(first, after)
	if err != nil {
		return Page{}, err
	}
	if !hasAfter {
		at, id = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), uuid.Nil
	}
	items, err := s.queue.Failed(ctx, at, id, first+1)
	if err != nil {
		return Page{}, err
	}
	var p Page
	p.Items, p.HasNext = ports.TrimPage(items, first)
	p.Cursors = ports.PageCursors(p.Items, func(d Delivery) (time.Time, uuid.UUID) { return d.UpdatedAt, d.ID })
	return p, nil
}

// Retry sends a failed delivery again: it goes back to the queue with its
// tries reset. CONFLICT when it has not failed, when a newer message
// replaced it, or when the code it carries has expired (the user asks for
// a new one instead).
func (s *Service) Retry(ctx context.Context, id uuid.UUID) (Delivery, error) {
	if err := s.staff(ctx, "retryDelivery"); err != nil {
		return Delivery{}, err
	}
	var d Delivery
	err := s.tx.InTx(ctx, func(ctx context.Context) error {
		var err error
		d, err = s.queue.Get(ctx, id)
		if errors.Is(err, ports.ErrNotFound) {
			return ports.Errorf(ports.CodeNotFound, "no such delivery")
		} else if err != nil {
			return err
		}
		now := s.clock.Now()
		if d.Status != StatusFailed {
			return ports.Errorf(ports.CodeConflict, "only a failed delivery can be sent again")
		}
		if d.Reason == ReasonSuperseded {
			return ports.Errorf(ports.CodeConflict, "a newer message replaced this one")
		}
		if !d.NotAfter.IsZero() && !now.Before(d.NotAfter) {
			return ports.Errorf(ports.CodeConflict, "the code in this message has expired; the user must ask for a new one")
		}
		ok, err := s.queue.Requeue(ctx, id, s.cfg.Tries(d), now)
		if err != nil {
			return err
		}
		if !ok {
			return ports.Errorf(ports.CodeConflict, "only a failed delivery can be sent again")
		}
		d.Status, d.Attempts, d.Reason, d.Detail, d.UpdatedAt = StatusQueued, 0, "", "", now
		return nil
	})
	return d, err
}

// staff refuses a caller whose role the permission rows do not let do
// operation.
func (s *Service) staff(ctx context.Context, operation string) error {
	_, err := staffrule.Caller(ctx, s.callers, s.rules, operation)
	return err
}
