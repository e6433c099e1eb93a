// Package email holds the email delivery adapters: a console adapter for
// development and an SMTP adapter for real delivery.
package email

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gatehouse/gatehouse/ports"
)

// Console "delivers" a message by writing it to the log, text (and so any
// code) included, so a developer can sign up without a mailbox. It must
// never run in production: NewConsole refuses.
type Console struct{ log *slog.Logger }

var _ ports.EmailSender = (*Console)(nil)

// ErrConsoleInProd is returned when the console adapter is asked for in prod.
var ErrConsoleInProd = errors.New("the console email adapter prints messages (codes included) to the log and is refused when GATEHOUSE_ENV=prod; configure SMTP")

// NewConsole returns the console adapter, or ErrConsoleInProd when prod. A
// nil log means slog.Default().
func NewConsole(log *slog.Logger, prod bool) (*Console, error) {
	if prod {
		return nil, ErrConsoleInProd
	}
	if log == nil {
		log = slog.Default()
	}
	return &Console{log: log}, nil
}

// SendEmail writes one log line holding the recipient, subject and text,
// and the HTML body when there is one (a developer editing templates
// wants to see what was rendered; the log's quoting keeps it one line).
func (c *Console) SendEmail(ctx context.Context, m ports.Email) error {
	attrs := []any{"to", m.To, "subject", m.Subject, "text", m.Text}
	if m.HTML != "" {
		attrs = append(attrs, "html", m.HTML)
	}
	c.log.InfoContext(ctx, "dev email (console adapter, not delivered)", attrs...)
	return nil
}
