package identity

import (
	"context"
	"errors"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Programs call Gatehouse too. A request says who calls in one of three
// ways, never two at once:
//   - a bearer token of a user's session (the apps);
//   - the three API-key headers of a user's bot (X-Api-Key, X-Api-Nonce,
//     X-Api-Signature), checked by a KeyAuthenticator: the request runs as
//     the key's owner within the key's scopes;
//   - a bearer token a program holds instead of a user (a partner app's
//     client-credentials token), read by a ProgramTokens before the token
//     is taken for a session's.
//
// Extension point: a new kind of program bearer token (the partners
// module) implements ProgramTokens and joins the "program_tokens" fx group,
// in cmd/gatehouse/app:
//
//	fx.Annotate(partners.NewCallers, fx.As(new(identity.ProgramTokens)),
//		fx.ResultTags(`group:"program_tokens"`))
//
// ViewerService.Caller then returns its caller (Program set, Role and
// UserID its own), Viewer returns nil for it (no user calls), and graph's
// authorize decides on the caller's role rows and scopes (graph/scopes.go's
// partnerScopes). Under an AUDIT row the admin activity names the actor:
// Caller.UserID, or for a partner app (no user) its client id.

// KeyAuthenticator checks the API-key headers of a signed request
// (modules/apikeys implements it).
type KeyAuthenticator interface {
	// Authenticate checks keyID's signature over nonce and spends the
	// nonce, and returns the key's owner and the program it stands for.
	// The owner's state is the viewer's to check. Errors: UNAUTHENTICATED
	// with a reason (see modules/apikeys), VALIDATION_FAILED, RATE_LIMITED.
	Authenticate(ctx context.Context, keyID, nonce, signature string) (owner uuid.UUID, p ports.Program, err error)
}

// ProgramTokens reads bearer tokens that programs hold (partner apps).
type ProgramTokens interface {
	// ProgramCaller returns the caller token stands for when it is one
	// of this kind's (ok true), or ok false, quickly and with no I/O, when
	// it is not (then it is read as a session's token). It is asked on
	// every bearer request that the session cache does not answer.
	// Errors (with ok true): UNAUTHENTICATED with a reason, FORBIDDEN.
	ProgramCaller(ctx context.Context, token string) (c *ports.Caller, ok bool, err error)
}

// Owners reads the user behind an API key.
type Owners interface {
	GetByID(ctx context.Context, id uuid.UUID) (User, error)
}

// Programs are the program paths of a ViewerService; the zero value
// accepts none (API-key headers are then refused).
type Programs struct {
	Keys   KeyAuthenticator
	Owners Owners
	Tokens []ProgramTokens
}

// Credentials are what a request presents to say who calls: a bearer
// token, or the API-key headers of a signed request.
type Credentials struct {
	Bearer    string
	APIKey    string
	Nonce     string
	Signature string
}

// Reasons of the UNAUTHENTICATED refusals of program credentials.
const (
	// ReasonCredentialsAmbiguous: a bearer token and API-key headers in one
	// request. Refused rather than picking one: a client that sends both
	// does not know which one it is acting as.
	ReasonCredentialsAmbiguous = "CREDENTIALS_AMBIGUOUS"
	// ReasonKeyHeadersIncomplete: some of the three API-key headers only.
	ReasonKeyHeadersIncomplete = "API_KEY_HEADERS_INCOMPLETE"
	// ReasonKeysUnavailable: this server accepts no API keys.
	ReasonKeysUnavailable = "API_KEYS_UNAVAILABLE"
	// ReasonOwnerLocked, ReasonOwnerBanned, ReasonOwnerInactive: the key's
	// owner may not sign in (locked, banned, deleted), so their keys stop
	// working at once.
	ReasonOwnerLocked   = "OWNER_LOCKED"
	ReasonOwnerBanned   = "OWNER_BANNED"
	ReasonOwnerInactive = "OWNER_INACTIVE"
)

func (c Credentials) hasKey() bool { return c.APIKey != "" || c.Nonce != "" || c.Signature != "" }

// resolveKey checks a signed request and returns its owner as the viewer,
// with the key's program. The owner is read on every request (no cache): a
// ban or lock stops their keys at the next request on every instance.
func (s *ViewerService) resolveKey(ctx context.Context, c Credentials) (*Viewer, error) {
	if c.APIKey == "" || c.Nonce == "" || c.Signature == "" {
		return nil, ports.Refusal(ports.CodeUnauthenticated, ReasonKeyHeadersIncomplete,
			"a signed request carries X-Api-Key, X-Api-Nonce and X-Api-Signature together")
	}
	if s.programs.Keys == nil || s.programs.Owners == nil {
		return nil, ports.Refusal(ports.CodeUnauthenticated, ReasonKeysUnavailable, "this server accepts no API keys")
	}
	owner, p, err := s.programs.Keys.Authenticate(ctx, c.APIKey, c.Nonce, c.Signature)
	if err != nil {
		return nil, err
	}
	u, err := s.programs.Owners.GetByID(ctx, owner)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, ports.Refusal(ports.CodeUnauthenticated, ReasonOwnerInactive, "the key's owner may not sign in")
	} else if err != nil {
		return nil, err
	}
	// The same rule as a session's: who may not sign in may not send bots.
	if err := CheckActive(u); err != nil {
		switch u.State {
		case StateLocked:
			return nil, ports.Refusal(ports.CodeLocked, ReasonOwnerLocked, "the key's owner is locked; contact support")
		case StateBanned:
			return nil, ports.Refusal(ports.CodeAccessRestricted, ReasonOwnerBanned, "the key's owner is banned")
		}
		return nil, ports.Refusal(ports.CodeAccessRestricted, ReasonOwnerInactive, "the key's owner may not sign in")
	}
	p.Kind = ports.ProgramAPIKey
	return &Viewer{User: u, Program: &p}, nil
}

// programToken asks each ProgramTokens whether token is theirs.
func (s *ViewerService) programToken(ctx context.Context, token string) (*ports.Caller, bool, error) {
	for _, pt := range s.programs.Tokens {
		if c, ok, err := pt.ProgramCaller(ctx, token); ok || err != nil {
			return c, true, err
		}
	}
	return nil, false, nil
}
