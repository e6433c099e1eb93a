package federation

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/modules/internal/batchload"
	"github.com/gatehouse/gatehouse/ports"
)

// Links is a signed-in user's handling of their provider identities, and
// staff's reading of them.
type Links struct {
	flows
	identities Identities
	users      Users
	callers    ports.CallerSource
	rules      Rules
	tx         ports.TxRunner
}

// NewLinks returns the identity-linking service.
func NewLinks(cfg Config, states States, identities Identities, users Users, relying Relying, callers ports.CallerSource,
	rules Rules, tx ports.TxRunner, limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) *Links {
	return &Links{flows: flows{recorder: recorder{activities: activities, clock: clock, log: log}, cfg: cfg,
		states: states, relying: relying, limiter: limiter}, identities: identities, users: users, callers: callers,
		rules: rules, tx: tx}
}

// owner is the calling user in their own session: a program (API key,
// partner token) never links or unlinks a way to sign in.
func (l *Links) owner(ctx context.Context) (*ports.Caller, error) {
	c, err := l.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil || c.UserID == uuid.Nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	if c.Program != nil {
		return nil, ports.Refusal(ports.CodeForbidden, ReasonProgramNotAllowed,
			"provider identities are linked in a signed-in session")
	}
	return c, nil
}

// Start begins linking a provider identity to the caller's account: the
// state is bound to the caller, so only they can complete it. Errors:
// UNAUTHENTICATED, FORBIDDEN (reason PROGRAM_NOT_ALLOWED), those of
// SignIn.Start.
func (l *Links) Start(ctx context.Context, provider, redirectURI string) (Started, error) {
	c, err := l.owner(ctx)
	if err != nil {
		return Started{}, err
	}
	return l.start(ctx, provider, redirectURI, PurposeLink, binding{userID: c.UserID})
}

// Complete redeems the code of a link the caller started and links the
// identity to their account. Errors: UNAUTHENTICATED, FORBIDDEN (reason
// PROGRAM_NOT_ALLOWED), VALIDATION_FAILED, INVALID_CODE (reasons
// STATE_INVALID: unknown, used, or another user's; CODE_REJECTED),
// CODE_EXPIRED, UNAUTHENTICATED (reasons ID_TOKEN_INVALID,
// NONCE_MISMATCH), CONFLICT (reasons IDENTITY_ALREADY_LINKED,
// IDENTITY_LINKED_ELSEWHERE, IDENTITY_LIMIT_REACHED), LOCKED and
// ACCESS_RESTRICTED (the account was shut meanwhile), RATE_LIMITED,
// UNAVAILABLE.
func (l *Links) Complete(ctx context.Context, provider, code, state string) (Identity, error) {
	c, err := l.owner(ctx)
	if err != nil {
		return Identity{}, err
	}
	p, err := l.checkCompletion(provider, code, state)
	if err != nil {
		return Identity{}, err
	}
	if err := l.limit(ctx, "oidc_complete"); err != nil {
		return Identity{}, err
	}
	claims, err := l.redeem(ctx, p, code, state, PurposeLink, binding{userID: c.UserID})
	if err != nil {
		l.record(ctx, &c.UserID, topicAccount, "oidc.link", err, map[string]string{"provider": p.Name})
		return Identity{}, err
	}
	now := l.clock.Now()
	id := Identity{ID: uuid.New(), UserID: c.UserID, Provider: p.Name, Subject: claims.Subject,
		Email: strings.ToLower(strings.TrimSpace(claims.Email)), EmailVerified: claims.EmailVerified,
		LinkedAt: now, LastUsedAt: now}
	err = l.tx.InTx(ctx, func(ctx context.Context) error {
		had, err := l.identities.Find(ctx, p.Name, claims.Subject)
		switch {
		case err == nil && had.UserID == c.UserID:
			return ports.Refusal(ports.CodeConflict, ReasonAlreadyLinked, "this identity is linked to your account already")
		case err == nil:
			return LinkedElsewhere()
		case !errors.Is(err, ports.ErrNotFound):
			return err
		}
		return linkLocked(ctx, l.users, l.identities, l.cfg.MaxIdentitiesPerUser, id)
	})
	l.record(ctx, &c.UserID, topicAccount, "oidc.link", err, map[string]string{"provider": p.Name,
		"identity": id.ID.String()})
	if err != nil {
		return Identity{}, err
	}
	return id, nil
}

// LinkedElsewhere is the refusal of an identity that opens another
// account (one identity, one account): Identities.Link's, and a link's
// that finds the identity another user's.
func LinkedElsewhere() error {
	return ports.Refusal(ports.CodeConflict, ReasonLinkedElsewhere,
		"this identity opens another account; unlink it there first")
}

// Unlink removes one of the caller's identities. An account keeps at
// least one way to sign in: the last identity of an account with neither
// PIN nor password stays (CONFLICT reason LAST_SIGN_IN_METHOD), decided
// under the user's lock so two unlinks at once cannot both pass. Errors:
// UNAUTHENTICATED, FORBIDDEN (reason PROGRAM_NOT_ALLOWED), NOT_FOUND (not
// the caller's), CONFLICT.
func (l *Links) Unlink(ctx context.Context, identityID uuid.UUID) error {
	c, err := l.owner(ctx)
	if err != nil {
		return err
	}
	var provider string
	err = l.tx.InTx(ctx, func(ctx context.Context) error {
		if err := l.users.Lock(ctx, c.UserID); err != nil {
			return err
		}
		held, err := l.identities.OfUser(ctx, c.UserID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(held, func(h Identity) bool { return h.ID == identityID })
		if i < 0 {
			return ports.Errorf(ports.CodeNotFound, "you have no such linked identity")
		}
		provider = held[i].Provider
		u, err := l.users.GetByID(ctx, c.UserID)
		if err != nil {
			return err
		}
		if len(held) == 1 && !u.HasPIN && !u.HasPassword {
			return ports.Refusal(ports.CodeConflict, ReasonLastSignInMethod,
				"this is the only way to sign in to your account; set a password or a PIN first")
		}
		return l.identities.Unlink(ctx, c.UserID, identityID)
	})
	l.record(ctx, &c.UserID, topicAccount, "oidc.unlink", err, map[string]string{"provider": provider,
		"identity": identityID.String()})
	return err
}

// Of returns a user's identities, oldest link first: the caller's own, or
// anyone's when the User.identities rows let the caller's role. Others
// get FORBIDDEN. Errors: UNAUTHENTICATED, FORBIDDEN.
func (l *Links) Of(ctx context.Context, userID uuid.UUID) ([]Identity, error) {
	c, err := l.callers.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil || c.UserID == uuid.Nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	if c.UserID != userID && !l.rules.Allowed(c.Role, "User.identities") {
		return nil, ports.Errorf(ports.CodeForbidden, "you may not see this user's linked identities")
	}
	if ld := batchload.From[loaders](ctx); ld != nil {
		ids, err := ld.identities.Load(ctx, userID)
		// The loader's slice is shared by every read of the request, and
		// a batch comes in no order.
		ids = slices.Clone(ids)
		slices.SortFunc(ids, OldestLinkFirst)
		return ids, err
	}
	return l.identities.OfUser(ctx, userID)
}

// maxLoaderBatch bounds the users of one batched read.
const maxLoaderBatch = 500

type loaders struct {
	identities *batchload.Loader[uuid.UUID, []Identity]
}

// WithLoaders returns ctx with a fresh per-request loader of identities;
// call it once per query operation, so that a page of users asked for
// their identities reads them in one statement (ExpectUsers announces the
// page).
func (l *Links) WithLoaders(ctx context.Context) context.Context {
	return batchload.With(ctx, func() *loaders {
		return &loaders{identities: batchload.New(maxLoaderBatch, batchload.Many(l.identities.OfUsers,
			func(i Identity) uuid.UUID { return i.UserID }))}
	})
}

// ExpectUsers tells the request's loader which users a list holds. Only
// for roles the User.identities rows allow: no one's identities are read
// on another caller's behalf.
func (l *Links) ExpectUsers(ctx context.Context, userIDs []uuid.UUID) {
	ld := batchload.From[loaders](ctx)
	if ld == nil || len(userIDs) == 0 {
		return
	}
	if c, err := l.callers.Caller(ctx); err == nil && c != nil && l.rules.Allowed(c.Role, "User.identities") {
		ld.identities.Expect(userIDs...)
	}
}
