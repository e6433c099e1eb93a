package identity

import (
	"context"

	"github.com/google/uuid"
)

// HandOff ends the session a sign-in just opened when the sign-in was made
// for another party: the OAuth2 login page (modules/consent) signs the
// person in with the same services as GraphQL, so the same lockouts, rate
// limits, device trust and activity rows apply, then hands the person to
// the OAuth2 server, which keeps the login from there. The session is
// revoked at once, so no refresh token that nobody holds stays live, and
// the activity says where the sign-in went. The device keeps the trust the
// sign-in gave it. Errors: UNAUTHENTICATED (a token this service did not
// sign), the store's.
func (s *SessionService) HandOff(ctx context.Context, a Auth, to string) error {
	claims, err := s.tokens.Verify(a.AccessToken, s.clock.Now())
	if err != nil {
		return err
	}
	if err := s.sessions.Revoke(ctx, claims.SessionID, s.clock.Now(), "handed off to "+to); err != nil {
		return err
	}
	s.viewer.Forget(a.User.ID)
	s.record(ctx, &a.User.ID, "SESSION", "sign_in.handed_off", nil,
		map[string]string{"to": to, "session": claims.SessionID.String()})
	return nil
}

// Subject reads the user an OAuth2 server names as a login's subject (the
// id the login page accepted): the pages must see that a person blocked or
// deleted since is no longer let in, and read the claims fresh. No caller
// check: the server's challenge, not a session, names the person.
func (r *ReadService) Subject(ctx context.Context, id uuid.UUID) (User, error) {
	return r.users.GetByID(ctx, id)
}

// ActiveCheck is nil when u may sign in (ACTIVE), else the error sign-in
// gives for u's state (LOCKED, ACCESS_RESTRICTED, UNAUTHENTICATED).
func ActiveCheck(u User) error { return CheckActive(u) }
