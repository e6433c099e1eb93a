// Package standin has the stand-in one-shot commands get for an outside
// party they do not configure: `gatehouse admin create` builds the identity
// service, which could send SMS, sign tokens or seal secrets, but does none
// of that, so it needs neither a Twilio account nor a signing key. A
// stand-in refuses every call, loudly: a command that reached for one by
// mistake fails, instead of losing a message or inventing a key.
package standin

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/accounts"
	"github.com/gatehouse/gatehouse/ports"
)

// Refusing stands in for every port below; What names the missing party
// in its errors (e.g. "SMS sending").
type Refusing struct{ What string }

var (
	_ ports.SMSSender             = Refusing{}
	_ ports.EmailSender           = Refusing{}
	_ ports.TokenSigner           = Refusing{}
	_ ports.SecretBox             = Refusing{}
	_ ports.BlobStore             = Refusing{}
	_ accounts.PortfolioAddresses = Refusing{}
)

func (r Refusing) err() error {
	return fmt.Errorf("%s is not configured in this command (only `gatehouse serve` sets it up)", r.What)
}

// SendSMS refuses.
func (r Refusing) SendSMS(context.Context, string, string) error { return r.err() }

// SendEmail refuses.
func (r Refusing) SendEmail(context.Context, ports.Email) error { return r.err() }

// Sign refuses.
func (r Refusing) Sign(ports.AccessClaims) (string, error) { return "", r.err() }

// Verify refuses: no token is valid.
func (r Refusing) Verify(string, time.Time) (ports.AccessClaims, error) {
	return ports.AccessClaims{}, r.err()
}

// JWKS is an empty key set.
func (r Refusing) JWKS() []byte { return []byte(`{"keys":[]}`) }

// KindOf says a user's: no token is valid anyway.
func (r Refusing) KindOf(string) ports.TokenKind { return ports.TokenUser }

// Seal refuses.
func (r Refusing) Seal([]byte, []byte) ([]byte, error) { return nil, r.err() }

// Open refuses.
func (r Refusing) Open([]byte, []byte) ([]byte, error) { return nil, r.err() }

// Put refuses.
func (r Refusing) Put(context.Context, string, io.Reader, int64) error { return r.err() }

// Get refuses.
func (r Refusing) Get(context.Context, string) ([]byte, error) { return nil, r.err() }

// Delete refuses.
func (r Refusing) Delete(context.Context, string) error { return r.err() }

// Address refuses.
func (r Refusing) Address(context.Context, uuid.UUID) (string, error) { return "", r.err() }
