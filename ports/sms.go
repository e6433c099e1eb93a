package ports

import "context"

// SMSSender delivers a text message to an E.164 phone number.
// Callers send after their transaction commits, never inside it.
type SMSSender interface {
	SendSMS(ctx context.Context, to, text string) error
}
