package delivery

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/messages"
)

// Queue keeps deliveries and schedules their tries; the app binds it to
// adapters/postgres (a table of deliveries, and a River job per delivery
// that River retries, one more per staff retry).
type Queue interface {
	// Add writes d and schedules its first try of at most tries,
	// joining the transaction carried by ctx.
	Add(ctx context.Context, d Delivery, tries int) error
	// Claim takes a QUEUED delivery for one try until until, unless
	// another try holds it (claimed past now): ok is false then, or when
	// it is not QUEUED (or gone). Sent and Tried release it.
	Claim(ctx context.Context, id uuid.UUID, now, until time.Time) (d Delivery, ok bool, err error)
	// Get reads one delivery; ports.ErrNotFound when there is none.
	Get(ctx context.Context, id uuid.UUID) (Delivery, error)
	// Sent marks d sent by provider at at, forgets its code and its
	// failure. It reports false when d was no longer QUEUED (another try
	// or staff got there first): then nothing changed.
	Sent(ctx context.Context, id uuid.UUID, provider string, at time.Time) (bool, error)
	// Tried records a failed try of a QUEUED delivery: its reason and
	// detail, one more attempt, and when final the FAILED status (its
	// code is kept until NotAfter, so that staff may send it again).
	Tried(ctx context.Context, id uuid.UUID, f Failure, final bool, at time.Time) error
	// Supersede ends every unsent delivery about ref (QUEUED, or FAILED
	// as a dead letter) as FAILED with ReasonSuperseded, its code
	// forgotten, joining the transaction carried by ctx.
	Supersede(ctx context.Context, ref string, at time.Time) error
	// Latest is the newest delivery about ref; ports.ErrNotFound if none.
	Latest(ctx context.Context, ref string) (Delivery, error)
	// Failed lists the dead letters (FAILED but not superseded), newest
	// first, after the cursor, at most n.
	Failed(ctx context.Context, before time.Time, beforeID uuid.UUID, n int) ([]Delivery, error)
	// Requeue moves a FAILED delivery back to QUEUED with no attempts and
	// schedules a try of at most tries; false when it was not FAILED. It
	// joins the transaction carried by ctx.
	Requeue(ctx context.Context, id uuid.UUID, tries int, at time.Time) (bool, error)
}

// Failure is one failed try.
type Failure struct {
	Reason   string // ports.Send* or ReasonExpired
	Detail   string // the provider's answer, cut short; never the message
	Provider string
}

// Sealer seals a message's code at rest; the app gives it a key of its
// own derived from the data key.
type Sealer interface {
	Seal(plaintext, aad []byte) ([]byte, error)
	Open(sealed, aad []byte) ([]byte, error)
}

// Renderer writes a message in its language (messages.Catalog).
type Renderer interface {
	Render(channel, name, locale string, data map[string]string, code string) (messages.Rendered, error)
}

// Recorder counts what the workers do, for metrics: result is "sent",
// "retry" or "failed"; reason is "" when sent.
type Recorder interface {
	Delivery(channel, provider, result, reason string)
}
