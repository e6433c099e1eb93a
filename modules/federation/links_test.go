package federation_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
)

func TestLinkIsForItsStarterOnly(t *testing.T) {
	e := newEnv(t)
	ann := identitytest.NewEmailUser(t, e.users, "ann@example.com", identity.StateActive)
	bob := identitytest.NewEmailUser(t, e.users, "bob@example.com", identity.StateActive)
	claims := federation.Claims{Subject: "g-1", Email: "someone@example.com"}

	code, state := e.authorize(as(ann.ID, ports.RoleMember), true, claims)
	_, err := e.links.Complete(as(bob.ID, ports.RoleMember), "google", code, state)
	refusal(t, err, ports.CodeInvalidCode, federation.ReasonStateInvalid)
	// The state was spent by bob's try: ann starts again.
	_, err = e.links.Complete(as(ann.ID, ports.RoleMember), "google", code, state)
	refusal(t, err, ports.CodeInvalidCode, federation.ReasonStateInvalid)

	code, state = e.authorize(as(ann.ID, ports.RoleMember), true, claims)
	id, err := e.links.Complete(as(ann.ID, ports.RoleMember), "google", code, state)
	require.NoError(t, err)
	require.Equal(t, ann.ID, id.UserID)
	require.Len(t, e.acts.WithAction("oidc.link"), 3, "every try is in the log, refused ones too")

	// A program never links.
	prog := context.WithValue(context.Background(), callerKey{},
		&ports.Caller{UserID: ann.ID, Role: ports.RoleMember, Program: &ports.Program{}})
	_, err = e.links.Start(prog, "google", redirect)
	refusal(t, err, ports.CodeForbidden, federation.ReasonProgramNotAllowed)
	_, err = e.links.Start(context.Background(), "google", redirect)
	require.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err))
}

func TestIdentityLimit(t *testing.T) {
	e := newEnv(t) // two per user
	ann := identitytest.NewEmailUser(t, e.users, "ann@example.com", identity.StateActive)
	ctx := as(ann.ID, ports.RoleMember)
	for i := range 3 {
		code, state := e.authorize(ctx, true, federation.Claims{Subject: uuid.NewString()})
		_, err := e.links.Complete(ctx, "google", code, state)
		if i < 2 {
			require.NoError(t, err)
		} else {
			refusal(t, err, ports.CodeConflict, federation.ReasonIdentityLimit)
		}
	}
}

func TestUnlinkKeepsAWayIn(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	// Made by a provider: no PIN, no password.
	code, state := e.authorize(ctx, false, federation.Claims{Subject: "g-1", Email: "ivy@example.com", EmailVerified: true})
	res, err := e.complete(code, state, true)
	require.NoError(t, err)
	ivy := as(res.Auth.User.ID, ports.RoleMember)
	code, state = e.authorize(ivy, true, federation.Claims{Subject: "g-2"})
	second, err := e.links.Complete(ivy, "google", code, state)
	require.NoError(t, err)

	require.NoError(t, e.links.Unlink(ivy, second.ID), "two identities: one may go")
	held, err := e.links.Of(ivy, res.Auth.User.ID)
	require.NoError(t, err)
	require.Len(t, held, 1)
	err = e.links.Unlink(ivy, held[0].ID)
	refusal(t, err, ports.CodeConflict, federation.ReasonLastSignInMethod)
	err = e.links.Unlink(ivy, uuid.New())
	require.Equal(t, ports.CodeNotFound, ports.ErrorCodeOf(err))
}

func TestWhoReadsIdentities(t *testing.T) {
	e := newEnv(t)
	ann := identitytest.NewEmailUser(t, e.users, "ann@example.com", identity.StateActive)
	bob := identitytest.NewEmailUser(t, e.users, "bob@example.com", identity.StateActive)
	_, err := e.links.Of(as(bob.ID, ports.RoleMember), ann.ID)
	require.Equal(t, ports.CodeForbidden, ports.ErrorCodeOf(err))
	_, err = e.links.Of(as(ann.ID, ports.RoleMember), ann.ID)
	require.NoError(t, err)
	// The rows decide for staff.
	_, err = e.links.Of(as(bob.ID, ports.RoleSupport), ann.ID)
	require.Equal(t, ports.CodeForbidden, ports.ErrorCodeOf(err))
	e.rules.Set(ports.RoleSupport, "User.identities", "ALLOW")
	_, err = e.links.Of(as(bob.ID, ports.RoleSupport), ann.ID)
	require.NoError(t, err)
}
