// Package delivery sends every SMS and e-mail Gatehouse writes, durably:
// a module hands a ports.Message to the Outbox inside the transaction of
// its business change; the message is written to a queue in that same
// transaction (so it exists if and only if the change committed) and is
// sent later by workers, with retries and backoff, never in the request.
//
// A provider's refusal is classified (ports.ClassifySend): a permanent one
// (invalid number, unsubscribed, bad credentials) fails the delivery at
// once; a transient one (down, throttled) is retried until MaxAttempts,
// after which the delivery fails too. Failed deliveries are the dead
// letters staff read and may send again. A delivery's status is read back
// by what it is about (Message.Ref), e.g. the one-time code of a challenge.
//
// The code a message carries is sealed at rest and dropped once sent (a
// failed one keeps it until it expires, for staff to send again); it is
// never logged.
package delivery

import (
	"time"

	"github.com/google/uuid"
)

// Status is where a delivery stands.
type Status string

const (
	// StatusQueued: waiting for a worker, or for its next try after a
	// transient failure (Attempts > 0).
	StatusQueued Status = "QUEUED"
	// StatusSent: the provider took the message.
	StatusSent Status = "SENT"
	// StatusFailed: the provider refused it for good, or every try
	// failed; a dead letter staff may send again.
	StatusFailed Status = "FAILED"
)

// Delivery is one message and the story of its sending, as the Queue
// keeps it.
type Delivery struct {
	ID       uuid.UUID
	Channel  string // ports.ChannelSMS or ports.ChannelEmail
	To       string
	Template string
	Locale   string
	Data     map[string]string
	// SealedCode is the message's code sealed with the delivery's Sealer
	// (nil when it carries none, once sent, and past NotAfter).
	SealedCode []byte
	Ref        string
	// Withhold marks a decoy: it goes through the queue like any message,
	// and is recorded as sent without reaching a provider.
	Withhold bool
	// NotAfter: sending later is pointless (the code in it has expired);
	// zero when it never goes stale.
	NotAfter time.Time
	Status   Status
	Attempts int
	// Reason is the classified reason of the last failure (ports.Send*),
	// Detail the provider's answer, cut short; both empty once sent.
	Reason    string
	Detail    string
	Provider  string
	CreatedAt time.Time
	UpdatedAt time.Time
	SentAt    *time.Time
}

// Failures of Gatehouse's own, beside the providers' (ports.Send*).
const (
	// ReasonExpired: the message could not be sent before its NotAfter;
	// its code no longer works, so it is not sent at all.
	ReasonExpired = "EXPIRED"
	// ReasonSuperseded: a newer message about the same thing (a resent
	// code) was queued before this one went; it is not sent, and it is no
	// dead letter.
	ReasonSuperseded = "SUPERSEDED"
	// ReasonLost: its job ended without recording an outcome (the
	// database failed at the wrong moment); the janitor ends such a row.
	ReasonLost = "LOST"
)

// Config tunes the workers' retries; the app fills it from GATEHOUSE_DELIVERY_*.
type Config struct {
	// MaxAttempts is how many times a message carrying a code is tried
	// before it fails; one that never goes stale (a decision's text) is
	// tried three times as often (see Tries).
	MaxAttempts int
	// ClaimFor is how long one try holds its message against any other
	// (longer than a try may last).
	ClaimFor time.Duration
	// SMSProvider and EmailProvider name the providers in metrics and in
	// the dead letters ("twilio", "smtp", "console").
	SMSProvider, EmailProvider string
}

// DefaultConfig tries a message 8 times (about 2 minutes with the
// backoff of RetryDelay).
func DefaultConfig() Config {
	return Config{MaxAttempts: 8, ClaimFor: 2 * time.Minute, SMSProvider: "sms", EmailProvider: "email"}
}

// Tries is how many times d is tried before it fails: MaxAttempts for a
// message that goes stale (its code expires within minutes anyway), three
// times that for one that does not, so that a provider's outage of a
// quarter of an hour does not turn a KYC decision's text into a dead
// letter (24 tries: about 18 minutes).
func (c Config) Tries(d Delivery) int {
	if d.NotAfter.IsZero() {
		return 3 * c.MaxAttempts
	}
	return c.MaxAttempts
}

// RetryDelay is the wait before try attempt+1 after attempt failed
// transiently: 1 s doubling to at most 60 s. A code lives for minutes, so
// the backoff is short; a message is never delayed past its NotAfter
// anyway.
func RetryDelay(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	d := time.Second << min(attempt-1, 6)
	return min(d, time.Minute)
}
