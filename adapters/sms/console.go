// Package sms holds the SMS delivery adapters.
package sms

import (
	"context"
	"errors"
	"log/slog"

	"github.com/gatehouse/gatehouse/ports"
)

// Console "delivers" a message by writing it to the log, code included, so
// a developer can sign up without a phone. It must never run in
// production: NewConsole refuses.
type Console struct{ log *slog.Logger }

var _ ports.SMSSender = (*Console)(nil)

// ErrConsoleInProd is returned when the console adapter is asked for in prod.
var ErrConsoleInProd = errors.New("the console SMS adapter prints codes to the log and is refused when GATEHOUSE_ENV=prod; configure a real SMS provider")

// NewConsole returns the console adapter, or ErrConsoleInProd when prod.
func NewConsole(log *slog.Logger, prod bool) (*Console, error) {
	if prod {
		return nil, ErrConsoleInProd
	}
	return &Console{log: log}, nil
}

// SendSMS writes one log line holding the number and the full text.
func (c *Console) SendSMS(ctx context.Context, to, text string) error {
	c.log.InfoContext(ctx, "dev sms (console adapter, not delivered)", "to", to, "text", text)
	return nil
}
