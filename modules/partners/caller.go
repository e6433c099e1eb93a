package partners

import (
	"context"
	"errors"
	"slices"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Reasons of the UNAUTHENTICATED refusals of a partner's token.
const (
	// ReasonClientDisabled: the app was disabled after the token was
	// issued; its tokens stop working at once.
	ReasonClientDisabled = "CLIENT_DISABLED"
)

// Callers reads partner apps' tokens on requests: it is identity's
// ProgramTokens for client tokens, bound by the app.
type Callers struct {
	apps   Apps
	signer ports.TokenSigner
	clock  ports.Clock
}

// NewCallers returns the reader of partner tokens.
func NewCallers(apps Apps, signer ports.TokenSigner, clock ports.Clock) *Callers {
	return &Callers{apps: apps, signer: signer, clock: clock}
}

// ProgramCaller returns the partner app a client token stands for (ok
// true), or ok false for any other token (a session's, or one that does
// not verify: the session path then refuses it as it always has). A
// session's token costs it no signature check (KindOf). The
// app is read on every request, so disabling it stops its tokens at once
// on every instance. Errors (ok true): UNAUTHENTICATED with reason
// CLIENT_DISABLED, or when the app is gone.
func (c *Callers) ProgramCaller(ctx context.Context, token string) (*ports.Caller, bool, error) {
	// The cheap look first: a session's token is verified once, by the
	// session path, not here as well.
	if c.signer.KindOf(token) != ports.TokenClient {
		return nil, false, nil
	}
	claims, err := c.signer.Verify(token, c.clock.Now())
	if err != nil || claims.Kind != ports.TokenClient {
		// Claims to be a client's and is not (forged, expired): the
		// session path refuses it as it refuses any bad token.
		return nil, false, nil
	}
	id, err := uuid.Parse(claims.ClientID)
	if err != nil {
		return nil, true, ports.Errorf(ports.CodeUnauthenticated, "access token is invalid or expired")
	}
	a, err := c.apps.Get(ctx, id)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, true, ports.Errorf(ports.CodeUnauthenticated, "access token is invalid or expired")
	} else if err != nil {
		return nil, true, err
	}
	if a.State != Active {
		return nil, true, ports.Refusal(ports.CodeUnauthenticated, ReasonClientDisabled, "the partner app is disabled")
	}
	// The token's scopes, as far as the app still holds them.
	var scopes []string
	for _, s := range claims.Scopes {
		if slices.Contains(a.Scopes, s) {
			scopes = append(scopes, s)
		}
	}
	return &ports.Caller{Role: ports.RolePartner,
		Program: &ports.Program{Kind: ports.ProgramPartner, ID: a.ClientID(), Scopes: scopes}}, true, nil
}
