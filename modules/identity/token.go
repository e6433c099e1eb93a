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
	for _, p := range permissions {
		if (s.rules == nil || !s.rules.Allowed(v.User.Role, p)) && !slices.Contains(out.MissingPermissions, p) {
			out.MissingPermissions = append(out.MissingPermissions, p)
		}
	}
	return out, nil
}
