package federation

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/identity"
)

// Identities keeps the provider identities linked to users
// (adapters/postgres's FederationStore, federationtest's Store). Reads of
// a missing row return ports.ErrNotFound.
type Identities interface {
	// Link stores id; LinkedElsewhere(), a CONFLICT *Error with reason
	// IDENTITY_LINKED_ELSEWHERE when (provider, subject) is linked already
	// (to any user: one identity opens one account). Join the caller's
	// transaction.
	Link(ctx context.Context, id Identity) error
	// Find returns the identity (provider, subject); ErrNotFound.
	Find(ctx context.Context, provider, subject string) (Identity, error)
	// OfUser returns the user's identities, oldest link first
	// (OldestLinkFirst).
	OfUser(ctx context.Context, userID uuid.UUID) ([]Identity, error)
	// OfUsers is OfUser for many users in one statement (a page of users
	// asked for their identities), in no particular order.
	OfUsers(ctx context.Context, userIDs []uuid.UUID) ([]Identity, error)
	// Touch records a sign-in with the identity: last used at at, and the
	// email the provider gave this time.
	Touch(ctx context.Context, id uuid.UUID, email string, emailVerified bool, at time.Time) error
	// Unlink removes the user's identity id; ErrNotFound when the user
	// has no such identity.
	Unlink(ctx context.Context, userID, id uuid.UUID) error
}

// States keeps started flows until they are completed or expire.
type States interface {
	// Create stores s, and forgets the states that expired more than
	// StateGrace before s was made (kept that long, a late completion is
	// told it expired rather than that it is unknown).
	Create(ctx context.Context, s State) error
	// Take removes and returns the state with hash, whatever its expiry
	// (the caller checks it): of parallel takes of one state exactly one
	// gets it, the others ErrNotFound, as does an unknown hash.
	Take(ctx context.Context, hash []byte) (State, error)
}

// Users is what the federation needs of identity's users
// (adapters/postgres's UserStore).
type Users interface {
	GetByID(ctx context.Context, id uuid.UUID) (identity.User, error)
	// GetByEmail finds the user with email (lower-cased), in any state.
	GetByEmail(ctx context.Context, email string) (identity.User, error)
	// Lock takes the user's row lock until the transaction in ctx ends:
	// the links and unlinks of one user are decided one at a time.
	Lock(ctx context.Context, id uuid.UUID) error
}

// Accounts signs in and signs up the people a provider vouched for
// (identity's sign-in and sign-up services), by identity's device rules.
type Accounts interface {
	// SignInFederated: see identity.SignInService.SignInFederated.
	SignInFederated(ctx context.Context, userID uuid.UUID, device identity.FederatedDevice) (identity.SignInResult, error)
	// SignUpFederated: see identity.SignupService.SignUpFederated.
	SignUpFederated(ctx context.Context, in identity.FederatedSignup) (identity.Auth, error)
}

// AuthRequest is what goes into the authorization URL.
type AuthRequest struct {
	RedirectURI string
	State       string
	Nonce       string
	// Verifier is the PKCE code verifier; the URL carries its S256
	// challenge.
	Verifier string
}

// Redemption is what a code is redeemed with.
type Redemption struct {
	Code        string
	RedirectURI string
	Verifier    string
	// Nonce must be the id token's nonce.
	Nonce string
}

// Relying is Gatehouse as a relying party of the configured providers
// (adapters/oidc): discovery, the authorization URL, the code exchange
// and the id token's verification.
type Relying interface {
	// AuthorizationURL returns the provider's authorization URL for r.
	// Errors: UNAVAILABLE (discovery failed).
	AuthorizationURL(ctx context.Context, provider string, r AuthRequest) (string, error)
	// Redeem exchanges the code (with the PKCE verifier) at the token
	// endpoint and verifies the id token: signature, issuer, audience,
	// expiry, and nonce. Errors: INVALID_CODE reason CODE_REJECTED (the
	// provider refused the code: unknown, used, expired),
	// UNAUTHENTICATED reason ID_TOKEN_INVALID or NONCE_MISMATCH,
	// UNAVAILABLE.
	Redeem(ctx context.Context, provider string, r Redemption) (Claims, error)
}

// Rules answers whether a role may do an operation, from the permission
// rows (admin.Policy): staff read a user's identities when the
// User.identities rows let their role.
type Rules interface {
	Allowed(role, operation string) bool
}
