package portsfake

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.Outbox = (*Outbox)(nil)

// Outbox implements ports.Outbox for unit tests: it records every message
// and hands it at once to the SMS or e-mail fake it was given, written
// plainly (template, data, then the code), as a worker that never waits
// and never fails would. A decoy (Withhold) is recorded, never handed on.
// A sender's failure is not returned: a real outbox's callers never see
// one either.
type Outbox struct {
	mu    sync.Mutex
	queue []ports.Message
	sms   ports.SMSSender
	email ports.EmailSender
}

// NewOutbox returns an Outbox handing messages to sms and email (either
// may be nil: the messages are then only recorded).
func NewOutbox(sms ports.SMSSender, email ports.EmailSender) *Outbox {
	return &Outbox{sms: sms, email: email}
}

// Enqueue implements ports.Outbox.
func (o *Outbox) Enqueue(ctx context.Context, m ports.Message) error {
	if err := m.Check(); err != nil {
		return err
	}
	o.mu.Lock()
	o.queue = append(o.queue, m)
	o.mu.Unlock()
	if m.Withhold {
		return nil
	}
	text := Plain(m)
	switch {
	case m.Channel == ports.ChannelEmail && o.email != nil:
		_ = o.email.SendEmail(ctx, ports.Email{To: m.To, Subject: m.Template, Text: text})
	case m.Channel == ports.ChannelSMS && o.sms != nil:
		_ = o.sms.SendSMS(ctx, m.To, text)
	}
	return nil
}

// Plain writes m as the fake hands it on: "<template> k=v … <code>".
func Plain(m ports.Message) string {
	parts := []string{m.Template}
	keys := make([]string, 0, len(m.Data))
	for k := range m.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%s", k, m.Data[k]))
	}
	if m.Code != "" {
		parts = append(parts, m.Code)
	}
	return strings.Join(parts, " ")
}

// Messages returns a copy of every message queued, in order.
func (o *Outbox) Messages() []ports.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]ports.Message(nil), o.queue...)
}
