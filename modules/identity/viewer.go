package identity

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// Viewer is the signed-in caller of a request.
type Viewer struct {
	User      User
	SessionID uuid.UUID
	// DeviceID is the session's device; sessions open only on trusted
	// devices, and lose their device's trust only together.
	DeviceID uuid.UUID
	// Program is the bot calling as User with an API key (SessionID and
	// DeviceID zero), nil for the user's own session.
	Program *ports.Program
}

// requestAuth is the credentials of one request and, once resolved, who
// they belong to; resolved at most once per request.
type requestAuth struct {
	creds  Credentials
	once   sync.Once
	caller *ports.Caller
	viewer *Viewer
	err    error
}

type authKey struct{}

// WithBearerToken attaches the request's bearer token (may be empty).
func WithBearerToken(ctx context.Context, token string) context.Context {
	return WithCredentials(ctx, Credentials{Bearer: token})
}

// WithCredentials attaches what the request presents to say who calls.
func WithCredentials(ctx context.Context, c Credentials) context.Context {
	return context.WithValue(ctx, authKey{}, &requestAuth{creds: c})
}

// ViewerService tells who is calling: it resolves a request's bearer
// token once, for the graph and for the other services, and answers
// another service's validateToken.
type ViewerService struct {
	guard
	cfg    Config
	reads  SessionReads
	tokens ports.TokenSigner
	// cache holds verified sessions (nil or off: every request reads
	// the database).
	cache *SessionCache
	// rules answers validateToken's permission questions (the permission
	// rows); nil answers no to all.
	rules Rules
	// programs are the ways programs call (see Programs).
	programs Programs
	// callerRule is the graph's rule beyond the rows (see UseCallerRule);
	// nil: programs lack every permission validateToken is asked about.
	callerRule func(c *ports.Caller, operation string) error
}

// NewViewerService returns the viewer service; rules and cache may be
// nil, and programs zero (no program may call).
func NewViewerService(cfg Config, reads SessionReads, tokens ports.TokenSigner, rules Rules, cache *SessionCache,
	programs Programs, limiter ports.RateLimiter, activities ports.ActivityLog, clock ports.Clock,
	log *slog.Logger) *ViewerService {
	return &ViewerService{guard: newGuard(limiter, activities, clock, log), cfg: cfg, reads: reads, tokens: tokens,
		rules: rules, cache: cache, programs: programs}
}

// Forget drops what this instance holds in memory about userID's
// sessions. Services call it once a change of theirs committed, so the
// instance that made it sees it at once; every instance (this one too)
// also learns of it from the database's notification.
func (s *ViewerService) Forget(userID uuid.UUID) { s.cache.Forget(userID) }

// ForgetCaller is Forget for the request's signed-in caller, if any: the
// graph calls it after each mutation, which may have changed what the
// caller's cached session holds (sessions, credentials, profile).
func (s *ViewerService) ForgetCaller(ctx context.Context) {
	if v, err := s.Viewer(ctx); err == nil && v != nil {
		s.Forget(v.User.ID)
	}
}

// Now is the service's clock (the graph's authorization reads it).
func (s *ViewerService) Now() time.Time { return s.clock.Now() }

// Viewer returns the user calling: the session's, or the owner of the API
// key that signed the request (Program set); nil when anonymous, and when
// a partner app (no user) calls. A token that is invalid, expired, or
// whose session ended is UNAUTHENTICATED, not anonymous, so clients know
// to refresh. Errors: UNAUTHENTICATED (with a reason for program
// credentials), LOCKED, ACCESS_RESTRICTED, RATE_LIMITED.
func (s *ViewerService) Viewer(ctx context.Context) (*Viewer, error) {
	ra := s.request(ctx)
	if ra == nil {
		return nil, nil
	}
	return ra.viewer, ra.err
}

// request resolves the request's credentials once and returns them, nil
// when it carries none.
func (s *ViewerService) request(ctx context.Context) *requestAuth {
	ra, _ := ctx.Value(authKey{}).(*requestAuth)
	if ra == nil || (ra.creds.Bearer == "" && !ra.creds.hasKey()) {
		return nil
	}
	ra.once.Do(func() {
		c := ra.creds
		switch {
		case c.Bearer != "" && c.hasKey():
			ra.err = ports.Refusal(ports.CodeUnauthenticated, ReasonCredentialsAmbiguous,
				"send either a bearer token or the API-key headers, not both")
		case c.hasKey():
			ra.viewer, ra.err = s.resolveKey(ctx, c)
		default:
			var ok bool
			// A cached token is a session's: program tokens are never cached.
			if len(s.programs.Tokens) > 0 {
				if _, _, hit := s.cache.Get(c.Bearer, s.clock.Now()); !hit {
					ra.caller, ok, ra.err = s.programToken(ctx, c.Bearer)
				}
			}
			if !ok {
				ra.viewer, _, ra.err = s.resolve(ctx, c.Bearer)
			}
		}
		if ra.err == nil && ra.viewer != nil {
			v := ra.viewer
			ra.caller = &ports.Caller{UserID: v.User.ID, Role: v.User.Role, SessionID: v.SessionID,
				DeviceID: v.DeviceID, Program: v.Program}
		}
		if ra.err != nil {
			ra.viewer, ra.caller = nil, nil
		}
	})
	return ra
}

// RequireViewer is Viewer for operations that need a signed-in caller.
func (s *ViewerService) RequireViewer(ctx context.Context) (*Viewer, error) {
	v, err := s.Viewer(ctx)
	if err != nil {
		return nil, err
	}
	if v == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return v, nil
}

var errNotASession = ports.Refusal(ports.CodeUnauthenticated, "NOT_A_USER_TOKEN",
	"this token is not a user's session")

var errSessionEnded = ports.Errorf(ports.CodeUnauthenticated, "the session has ended; sign in again")

// resolve checks token and returns its viewer and claims: from the
// session cache when it holds the token, else by verifying the signature
// and reading the session with its user in one statement (then cached).
func (s *ViewerService) resolve(ctx context.Context, token string) (*Viewer, ports.AccessClaims, error) {
	now := s.clock.Now()
	if v, claims, ok := s.cache.Get(token, now); ok {
		return &v, claims, nil
	}
	claims, err := s.tokens.Verify(token, now)
	if err != nil {
		return nil, ports.AccessClaims{}, err
	}
	if claims.Kind != ports.TokenUser {
		// A program's own token names no user and no session: it never
		// passes as a user's session, whatever its subject.
		return nil, ports.AccessClaims{}, errNotASession
	}
	// Taken before the read: a change committed after it turns the fill
	// away, even if its notification comes before the fill does.
	ticket := s.cache.Ticket(claims.UserID)
	sess, u, err := s.reads.SessionWithUser(ctx, claims.SessionID)
	if errors.Is(err, ports.ErrNotFound) {
		return nil, ports.AccessClaims{}, errSessionEnded
	} else if err != nil {
		return nil, ports.AccessClaims{}, err
	}
	if sess.RevokedAt != nil || !now.Before(sess.ExpiresAt) || sess.UserID != claims.UserID || u.ID != claims.UserID {
		return nil, ports.AccessClaims{}, errSessionEnded
	}
	if err := CheckActive(u); err != nil {
		return nil, ports.AccessClaims{}, err
	}
	v := Viewer{User: u, SessionID: sess.ID, DeviceID: sess.DeviceID}
	expires := claims.ExpiresAt
	if sess.ExpiresAt.Before(expires) {
		expires = sess.ExpiresAt
	}
	s.cache.Put(token, ticket, v, claims, now, expires)
	return &v, claims, nil
}

// Me returns the signed-in user, nil when anonymous.
func (s *ViewerService) Me(ctx context.Context) (*User, error) {
	v, err := s.Viewer(ctx)
	if err != nil || v == nil {
		return nil, err
	}
	return &v.User, nil
}

// Caller is who calls as other modules see it (it makes the service a
// ports.CallerSource): a user's session, a user's API key (Program set),
// or a partner app (no user); nil when anonymous. Errors: as Viewer's.
func (s *ViewerService) Caller(ctx context.Context) (*ports.Caller, error) {
	ra := s.request(ctx)
	if ra == nil {
		return nil, nil
	}
	return ra.caller, ra.err
}

// RequireCaller is Caller for operations that need someone to call.
func (s *ViewerService) RequireCaller(ctx context.Context) (*ports.Caller, error) {
	c, err := s.Caller(ctx)
	if err != nil {
		return nil, err
	}
	if c == nil {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return c, nil
}

var _ ports.CallerSource = (*ViewerService)(nil)

func itoa(n int) string { return strconv.Itoa(n) }
