package identity_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// A provider's sign-up makes an ACTIVE account with the email, records
// the terms, trusts the device and links in the same transaction.
func TestFederatedSignUp(t *testing.T) {
	e := newEnv(t)
	var linked identity.User
	in := identity.FederatedSignup{Email: "Ada@Example.com", Name: "Ada\u202e", Device: identity.FederatedDevice{Key: "d1"},
		Link: func(_ context.Context, u identity.User) error { linked = u; return nil }}
	_, err := e.svc.Signup.SignUpFederated(e.ctx(), in)
	require.ErrorIs(t, err, identity.ErrTermsNotAccepted)
	require.Empty(t, e.users.All(), "no account without the terms")

	in.AcceptTerms = true
	auth, err := e.svc.Signup.SignUpFederated(e.ctx(), in)
	require.NoError(t, err)
	u := auth.User
	require.Equal(t, "ada@example.com", u.Email)
	require.Equal(t, identity.StateActive, u.State)
	require.Empty(t, u.Name, "a name with bidi controls is dropped, not refused")
	require.Equal(t, u.ID, linked.ID)
	require.NotEmpty(t, auth.DeviceSecret)
	require.Len(t, e.users.TermsAcceptances(u.ID), 1)

	// A link that fails leaves no session handed out.
	in.Email, in.Link = "bea@example.com", func(context.Context, identity.User) error { return ports.ErrConflict }
	_, err = e.svc.Signup.SignUpFederated(e.ctx(), in)
	require.ErrorIs(t, err, ports.ErrConflict)
}

// A provider's sign-in follows a password sign-in's device rules.
func TestFederatedSignInDeviceRules(t *testing.T) {
	e := newEnv(t)
	auth, err := e.svc.Signup.SignUpFederated(e.ctx(), identity.FederatedSignup{Email: "cy@example.com", AcceptTerms: true,
		Device: identity.FederatedDevice{Key: "d1"}, Link: func(context.Context, identity.User) error { return nil }})
	require.NoError(t, err)
	uid := auth.User.ID

	res, err := e.svc.SignIn.SignInFederated(e.ctx(), uid, identity.FederatedDevice{Key: "d1", Secret: auth.DeviceSecret})
	require.NoError(t, err)
	require.Equal(t, identity.SignedIn, res.Status, "the trusted device with its secret")

	res, err = e.svc.SignIn.SignInFederated(e.ctx(), uid, identity.FederatedDevice{Key: "d1"})
	require.NoError(t, err)
	require.Equal(t, identity.DeviceVerificationRequired, res.Status, "the device id alone is not trust")
	require.Equal(t, otp.ChannelEmail, res.Challenge.Channel)
	code, ok := e.emails.LastCode("cy@example.com")
	require.True(t, ok)
	a, err := e.svc.SignIn.VerifySignIn(e.ctx(), res.Challenge.ID, code)
	require.NoError(t, err)
	require.Equal(t, uid, a.User.ID)

	require.NoError(t, e.users.SetState(context.Background(), uid, identity.StateBanned, t0))
	_, err = e.svc.SignIn.SignInFederated(e.ctx(), uid, identity.FederatedDevice{Key: "d1", Secret: a.DeviceSecret})
	require.Equal(t, ports.CodeAccessRestricted, ports.ErrorCodeOf(err))

	_, err = e.svc.SignIn.SignInFederated(e.ctx(), uid, identity.FederatedDevice{})
	var pe *ports.Error
	require.True(t, errors.As(err, &pe) && pe.Fields["deviceId"] != "", "a missing device id: %v", err)
}
