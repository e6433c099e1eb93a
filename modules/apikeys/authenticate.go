package apikeys

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Authenticator checks signed requests (it is identity's
// KeyAuthenticator): X-Api-Key names the key, X-Api-Nonce is the
// milliseconds since the epoch, X-Api-Signature the hex HMAC-SHA256 of
// nonce + key id keyed with the key's secret.
type Authenticator struct {
	cfg     Config
	keys    Keys
	nonces  Nonces
	box     Sealer
	limiter ports.RateLimiter
	clock   ports.Clock
}

// NewAuthenticator returns the authenticator.
func NewAuthenticator(cfg Config, keys Keys, nonces Nonces, box Sealer, limiter ports.RateLimiter,
	clock ports.Clock) *Authenticator {
	return &Authenticator{cfg: cfg, keys: keys, nonces: nonces, box: box, limiter: limiter, clock: clock}
}

// badSignatureWindow is the window BadSignaturesPer15Min counts in.
const badSignatureWindow = 15 * time.Minute

// Authenticate checks one signed request and spends its nonce; it returns
// the key's owner and the program (the key, its scopes). The checks run
// cheapest first, and the key's state is told only to who signed right.
// Errors: VALIDATION_FAILED (malformed headers); UNAUTHENTICATED with
// reason NONCE_STALE, KEY_UNKNOWN, SIGNATURE_INVALID, KEY_DISABLED or
// NONCE_REPLAYED; RATE_LIMITED reason TOO_MANY_BAD_SIGNATURES.
func (a *Authenticator) Authenticate(ctx context.Context, keyID, nonce, signature string) (uuid.UUID, ports.Program, error) {
	id, at, err := ParseHeaders(keyID, nonce, signature)
	if err != nil {
		return uuid.Nil, ports.Program{}, err
	}
	now := a.clock.Now()
	if d := now.Sub(at); d > a.cfg.NonceWindow || d < -a.cfg.NonceWindow {
		return uuid.Nil, ports.Program{}, ports.Refusal(ports.CodeUnauthenticated, ReasonNonceStale,
			"the nonce must be the current time in milliseconds (within %s of the server's clock)", a.cfg.NonceWindow)
	}
	k, err := a.keys.Get(ctx, id)
	if errors.Is(err, ports.ErrNotFound) {
		return uuid.Nil, ports.Program{}, ports.Refusal(ports.CodeUnauthenticated, ReasonKeyUnknown, "no such API key")
	} else if err != nil {
		return uuid.Nil, ports.Program{}, err
	}
	secret, err := a.box.Open(k.SealedSecret, k.ID[:])
	if err != nil {
		return uuid.Nil, ports.Program{}, err
	}
	if !SignatureMatches(string(secret), nonce, keyID, signature) {
		return uuid.Nil, ports.Program{}, a.badSignature(ctx, k.ID)
	}
	if k.State != Active {
		return uuid.Nil, ports.Program{}, ports.Refusal(ports.CodeUnauthenticated, ReasonKeyDisabled,
			"the API key is disabled")
	}
	// Spent only once the signature holds: nobody but the key's holder
	// can burn the nonces a bot is about to use.
	// Forgotten a window late: another instance whose clock is behind
	// this one's (by less than the window) still takes the nonce for
	// fresh while this one already sees it expired.
	fresh, err := a.nonces.Spend(ctx, k.ID, at.UnixMilli(), at.Add(a.cfg.NonceWindow), now.Add(-a.cfg.NonceWindow))
	if errors.Is(err, ports.ErrNotFound) {
		// Its owner deleted the key since it was read: it is no key now.
		return uuid.Nil, ports.Program{}, ports.Refusal(ports.CodeUnauthenticated, ReasonKeyUnknown, "no such API key")
	} else if err != nil {
		return uuid.Nil, ports.Program{}, err
	}
	if !fresh {
		return uuid.Nil, ports.Program{}, ports.Refusal(ports.CodeUnauthenticated, ReasonNonceReplayed,
			"the nonce was used already; sign each request with a new one")
	}
	return k.UserID, ports.Program{Kind: ports.ProgramAPIKey, ID: k.ID.String(), Scopes: k.Scopes}, nil
}

// badSignature counts a wrong signature against the key. Only wrong ones
// count: a right signature proves the secret and always passes, so whoever
// knows a key's id cannot lock its bot out by sending garbage; the limit
// bounds the work and noise a prober causes, not the guessing (a 256-bit
// secret is not guessed). Counted even when the client has hung up since:
// hanging up is no way around the limit.
func (a *Authenticator) badSignature(ctx context.Context, keyID uuid.UUID) error {
	ok, retry, err := a.limiter.Allow(context.WithoutCancel(ctx), "apikey:badsig:"+keyID.String(), a.cfg.BadSignaturesPer15Min,
		badSignatureWindow)
	if err != nil {
		return err
	}
	if !ok {
		e := ports.RateLimited(retry)
		e.Reason = ReasonSignatureLimit
		return e
	}
	return ports.Refusal(ports.CodeUnauthenticated, ReasonSignatureInvalid, "the signature does not match")
}
