package portsfake

import (
	"context"
	"regexp"
	"sync"

	"github.com/gatehouse/gatehouse/ports"
)

var _ ports.SMSSender = (*SMSSender)(nil)

// SMS is one recorded message.
type SMS struct {
	To   string
	Text string
}

// SMSSender implements ports.SMSSender by recording every message.
type SMSSender struct {
	mu   sync.Mutex
	sent []SMS
	fail error
}

// NewSMSSender returns an SMSSender.
func NewSMSSender() *SMSSender { return &SMSSender{} }

// SendSMS records the message, or returns the error set by FailWith
// (without recording it).
func (s *SMSSender) SendSMS(ctx context.Context, to, text string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.sent = append(s.sent, SMS{To: to, Text: text})
	return nil
}

// FailWith makes every following send fail with err (nil restores).
func (s *SMSSender) FailWith(err error) {
	s.mu.Lock()
	s.fail = err
	s.mu.Unlock()
}

// Messages returns a copy of every message sent, oldest first.
func (s *SMSSender) Messages() []SMS {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]SMS(nil), s.sent...)
}

// MessagesTo returns the messages sent to one number, oldest first.
func (s *SMSSender) MessagesTo(to string) []SMS {
	var out []SMS
	for _, m := range s.Messages() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

var sixDigits = regexp.MustCompile(`\b\d{6}\b`)

// LastCode returns the 6-digit code in the last message sent to to.
func (s *SMSSender) LastCode(to string) (string, bool) {
	msgs := s.MessagesTo(to)
	if len(msgs) == 0 {
		return "", false
	}
	code := sixDigits.FindString(msgs[len(msgs)-1].Text)
	return code, code != ""
}
