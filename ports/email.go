package ports

import "context"

// Email is one message: a plain-text body, and optionally an HTML one
// (sent together as multipart/alternative; Text must then say the same).
type Email struct {
	To      string // one address, already validated
	Subject string
	Text    string
	HTML    string // "" for a text-only message
}

// EmailSender delivers an email. Like SMSSender, callers send after their
// transaction commits, never inside it.
type EmailSender interface {
	SendEmail(ctx context.Context, m Email) error
}
