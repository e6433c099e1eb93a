package federationtest

import (
	"context"
	"errors"
	"net/url"
	"sync"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/ports"
)

// Relying is a fake federation.Relying: it remembers each authorization
// asked, lets a test approve one for a person (Approve), and redeems each
// code once, checking the verifier, redirect URI and nonce the
// authorization was made with, as a provider and the adapter together
// would.
type Relying struct {
	mu    sync.Mutex
	auths map[string]authorization // by state
	codes map[string]*approval
	down  bool
}

type authorization struct {
	provider string
	req      federation.AuthRequest
}

type approval struct {
	auth   authorization
	claims federation.Claims
	used   bool
}

var _ federation.Relying = (*Relying)(nil)

// NewRelying returns a fake with nothing authorized.
func NewRelying() *Relying {
	return &Relying{auths: map[string]authorization{}, codes: map[string]*approval{}}
}

// SetDown makes every call answer UNAVAILABLE (true) or work again.
func (r *Relying) SetDown(down bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.down = down
}

func (r *Relying) AuthorizationURL(_ context.Context, provider string, a federation.AuthRequest) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		return "", ports.Unavailable(errors.New("fake provider down"))
	}
	r.auths[a.State] = authorization{provider: provider, req: a}
	return "https://op.test/authorize?state=" + url.QueryEscape(a.State), nil
}

// Approve is the person approving the authorization of state as c: it
// returns the code the provider sends back ("" when no such state was
// authorized).
func (r *Relying) Approve(state string, c federation.Claims) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.auths[state]
	if !ok {
		return ""
	}
	code := uuid.NewString()
	r.codes[code] = &approval{auth: a, claims: c}
	return code
}

func (r *Relying) Redeem(_ context.Context, provider string, x federation.Redemption) (federation.Claims, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		return federation.Claims{}, ports.Unavailable(errors.New("fake provider down"))
	}
	g, ok := r.codes[x.Code]
	if !ok || g.used || g.auth.provider != provider || g.auth.req.Verifier != x.Verifier ||
		g.auth.req.RedirectURI != x.RedirectURI {
		if ok {
			g.used = true
		}
		return federation.Claims{}, ports.Refusal(ports.CodeInvalidCode, federation.ReasonCodeRejected, "code rejected")
	}
	g.used = true
	if g.auth.req.Nonce != x.Nonce {
		return federation.Claims{}, ports.Refusal(ports.CodeUnauthenticated, federation.ReasonNonceMismatch, "nonce")
	}
	return g.claims, nil
}
