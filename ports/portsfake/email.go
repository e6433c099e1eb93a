package portsfake

import (
	"context"
	"sync"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.EmailSender = (*EmailSender)(nil)

// EmailSender implements ports.EmailSender by recording every message;
// its API mirrors SMSSender's.
type EmailSender struct {
	mu   sync.Mutex
	sent []ports.Email
	fail error
}

// NewEmailSender returns an EmailSender.
func NewEmailSender() *EmailSender { return &EmailSender{} }

// SendEmail records the message, or returns the error set by FailWith
// (without recording it).
func (s *EmailSender) SendEmail(ctx context.Context, m ports.Email) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.sent = append(s.sent, m)
	return nil
}

// FailWith makes every following send fail with err (nil restores).
func (s *EmailSender) FailWith(err error) {
	s.mu.Lock()
	s.fail = err
	s.mu.Unlock()
}

// Messages returns a copy of every message sent, oldest first.
func (s *EmailSender) Messages() []ports.Email {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ports.Email(nil), s.sent...)
}

// MessagesTo returns the messages sent to one address, oldest first.
func (s *EmailSender) MessagesTo(to string) []ports.Email {
	var out []ports.Email
	for _, m := range s.Messages() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// LastCode returns the 6-digit code in the last message sent to to
// (looked for in the text, then in the subject).
func (s *EmailSender) LastCode(to string) (string, bool) {
	msgs := s.MessagesTo(to)
	if len(msgs) == 0 {
		return "", false
	}
	last := msgs[len(msgs)-1]
	code := sixDigits.FindString(last.Text)
	if code == "" {
		code = sixDigits.FindString(last.Subject)
	}
	return code, code != ""
}
