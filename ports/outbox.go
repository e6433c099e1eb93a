package ports

import (
	"context"
	"errors"
	"time"
)

// Channels a message can go out by.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// Message is one SMS or e-mail to send, described rather than written: the
// delivery worker renders Template in Locale with Data (and the product
// name) when it sends. Code is the one secret a message may carry (a
// one-time code); it is sealed at rest and never logged. Ref names what
// the message is about (e.g. "otp:<challenge id>") so that its delivery
// status can be read back.
type Message struct {
	Channel  string            // ChannelSMS or ChannelEmail
	To       string            // E.164 number or validated address
	Template string            // e.g. "otp_code", "kyc_approved"
	Locale   string            // BCP 47 tag; "" is the default language
	Data     map[string]string // template values; no secrets
	Code     string            // the secret value, if any (template sees .Code)
	Ref      string            // what the message is about, for its status
	// NotAfter is when sending stops making sense (the code expired);
	// zero when never. A message still unsent by then fails as EXPIRED.
	NotAfter time.Time
	// Withhold makes a decoy: queued and recorded like any message, never
	// handed to a provider, so that a flow's work does not tell it apart.
	Withhold bool
}

// Check refuses a message no outbox can send: an unknown channel, no
// recipient or no template.
func (m Message) Check() error {
	switch {
	case m.Channel != ChannelSMS && m.Channel != ChannelEmail:
		return errors.New("outbox: unknown channel " + m.Channel)
	case m.To == "" || m.Template == "":
		return errors.New("outbox: a message needs a recipient and a template")
	}
	return nil
}

// Outbox accepts messages for durable delivery. Enqueue joins the
// transaction carried by ctx (see TxRunner), so a message is sent if and
// only if the business change commits; it never talks to a provider. A
// message that fails Check is refused with Check's error.
type Outbox interface {
	Enqueue(ctx context.Context, m Message) error
}
