package identity

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/gatehouse/gatehouse/ports"
)

// TokenCheck is what validateToken tells another service about a token.
type TokenCheck struct {
	Valid bool
	// Reason is the error code when not valid.
	Reason             ports.ErrorCode
	Subject            uuid.UUID
	Roles              []string
	Scopes             []string
	ExpiresAt          time.Time
	MissingScopes      []string
	MissingPermissions []string
	// ClientID is set when the token is a partner app's (a program's
	// client credentials token): Subject is then the client, not a user.
	ClientID string
}

// UseCallerRule sets what says whether a caller may call an operation
// beyond its role's rows (graph's CallerRule: the scope table for
// programs, the partner apps' own fields for people), for validateToken's
// answers; without one, a program lacks every permission asked about and
// a person has what their role's rows give.
func (s *ViewerService) UseCallerRule(rule func(c *ports.Caller, operation string) error) {
	s.callerRule = rule
}

// programCheck is ValidateToken's answer for a program's token: valid
// while the program may call (a partner app that is still enabled), its
// permissions those its role's rows AND its scopes allow.
func (s *ViewerService) programCheck(c *ports.Caller, token string, scopes, permissions []string) (TokenCheck, error) {
	claims, err := s.tokens.Verify(token, s.clock.Now())
	if err != nil {
		return TokenCheck{Reason: ports.ErrorCodeOf(err)}, nil
	}
	out := TokenCheck{Valid: true, Roles: []string{c.Role}, Scopes: c.Program.Scopes, ExpiresAt: claims.ExpiresAt,
		ClientID: c.Program.ID}
	if id, err := uuid.Parse(c.Program.ID); err == nil {
		out.Subject = id
	}
	for _, sc := range scopes {
		if !slices.Contains(out.Scopes, sc) && !slices.Contains(out.MissingScopes, sc) {
			out.MissingScopes = append(out.MissingScopes, sc)
		}
	}
	for _, p := range permissions {
		allowed := s.rules != nil && s.rules.Allowed(c.Role, p) && s.callerRule != nil &&
			s.callerRule(c, p) == nil
		if !allowed && !slices.Contains(out.MissingPermissions, p) {
			out.MissingPermissions = append(out.MissingPermissions, p)
		}
	}
	return out, nil
}

// maxAsked bounds the scopes and permissions one check may ask about.
const maxAsked = 50

// ValidateToken checks an access token the way a request is checked
// (signature, expiry, live session, active user) and says which of the
// scopes and permissions (root operations of the API) asked about it
// lacks. An invalid token is an answer, not an error.
// Errors: VALIDATION_FAILED (too much asked), RATE_LIMITED.
func (s *ViewerService) ValidateToken(ctx context.Context, token string, scopes, permissions []string) (TokenCheck, error) {
	if len(scopes) > maxAsked || len(permissions) > maxAsked {
		return TokenCheck{}, ports.InvalidField("permissions", "ask about at most 50 scopes and 50 permissions")
	}
	if len(token) > 4096 {
		return TokenCheck{Reason: ports.CodeUnauthenticated}, nil
	}
	if err := s.limit(ctx, "validate_token", 10*s.cfg.SignInsPerMinute, time.Minute); err != nil {
		return TokenCheck{}, err
	}
	if c, ok, err := s.programToken(ctx, token); ok {
		if err != nil {
			if ports.ErrorCodeOf(err) == ports.CodeInternal {
				return TokenCheck{}, err
			}
			return TokenCheck{Reason: ports.ErrorCodeOf(err)}, nil
		}
		return s.programCheck(c, token, scopes, permissions)
	}
	v, claims, err := s.resolve(ctx, token)
	if err != nil {
		code := ports.ErrorCodeOf(err)
		if code == ports.CodeInternal {
			return TokenCheck{}, err
		}
		return TokenCheck{Reason: code}, nil
	}
	out := TokenCheck{Valid: true, Subject: v.User.ID, Roles: []string{v.User.Role}, Scopes: claims.Scopes,
		ExpiresAt: claims.ExpiresAt}
	for _, sc := range scopes {
		if !slices.Contains(claims.Scopes, sc) && !slices.Contains(out.MissingScopes, sc) {
			out.MissingScopes = append(out.MissingScopes, sc)
		}
	}
	person := &ports.Caller{UserID: v.User.ID, Role: v.User.Role, SessionID: v.SessionID, DeviceID: v.DeviceID}
	for _, p := range permissions {
		allowed := s.rules != nil && s.rules.Allowed(v.User.Role, p) && (s.callerRule == nil || s.callerRule(person, p) == nil)
		if !allowed && !slices.Contains(out.MissingPermissions, p) {
			out.MissingPermissions = append(out.MissingPermissions, p)
		}
	}
	return out, nil
}
