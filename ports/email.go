package ports

import "context"

// Email is one plain-text message.
type Email struct {
	To      string // one address, already validated
	Subject string
	Text    string
}

// EmailSender delivers an email. Like SMSSender, callers send after their
// transaction commits, never inside it.
type EmailSender interface {
	SendEmail(ctx context.Context, m Email) error
}
