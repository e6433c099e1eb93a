package identity_test

import (
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// levelHook records events and raises the level, as the KYC module does.
type levelHook struct {
	users  *identitytest.UserStore
	events []identity.UserEvent
	err    error
}

func (h *levelHook) OnUserEvent(ctx context.Context, e identity.UserEvent) error {
	h.events = append(h.events, e)
	if h.err != nil {
		return h.err
	}
	return h.users.SetLevel(ctx, e.User.ID, 7, t0)
}

func withHook(e *env, h *levelHook) {
	e.svc = e.build([]identity.UserHook{h})
}

func TestSignupTellsHooksAndReturnsWhatTheyChanged(t *testing.T) {
	e := newEnv(t)
	h := &levelHook{users: e.users}
	withHook(e, h)
	auth := e.signUp(phone, goodPIN)
	require.Len(t, h.events, 1)
	require.Equal(t, identity.UserActivated, h.events[0].Kind)
	require.Equal(t, phone, h.events[0].User.Phone)
	require.Equal(t, 7, auth.User.Level, "the session's user is read after the hooks ran")
}

func TestAHookErrorFailsTheSignup(t *testing.T) {
	e := newEnv(t)
	h := &levelHook{users: e.users, err: ports.Errorf(ports.CodeConflict, "hook refused")}
	withHook(e, h)
	v := e.verifiedTicket(phone)
	_, err := e.svc.Signup.CompletePhoneSignup(e.ctx(), completeInput(v.Ticket, goodPIN))
	errtest.Code(t, err, ports.CodeConflict)
}

func TestResetPINWithProof(t *testing.T) {
	e := newEnv(t)
	old := e.signUp(phone, goodPIN)
	u := e.mustUser(phone)
	redeemed := 0
	redeem := func(context.Context) (uuid.UUID, error) { redeemed++; return u.ID, nil }

	_, err := e.svc.PINs.ResetPINWithProof(e.ctx(), identity.PINResetByProof{Redeem: redeem, PIN: "7294",
		ConfirmPIN: "7295", DeviceKey: "new-phone"})
	errtest.Code(t, err, ports.CodeValidationFailed)
	require.Zero(t, redeemed, "bad input never reaches the proof")

	_, err = e.svc.PINs.ResetPINWithProof(e.ctx(), identity.PINResetByProof{Redeem: redeem, PIN: goodPIN,
		ConfirmPIN: goodPIN, DeviceKey: "new-phone"})
	errtest.Code(t, err, ports.CodeValidationFailed, "a recent PIN is refused")

	refused := func(context.Context) (uuid.UUID, error) { return uuid.Nil, ports.ErrNotFound }
	_, err = e.svc.PINs.ResetPINWithProof(e.ctx(), identity.PINResetByProof{Redeem: refused, PIN: "7294",
		ConfirmPIN: "7294", DeviceKey: "new-phone"})
	errtest.Code(t, err, ports.CodeNotFound)

	auth, err := e.svc.PINs.ResetPINWithProof(e.ctx(), identity.PINResetByProof{Redeem: redeem, PIN: "7294",
		ConfirmPIN: "7294", DeviceKey: "new-phone", DeviceName: "Pixel 10"})
	require.NoError(t, err)
	require.NotEmpty(t, auth.DeviceSecret)
	_, err = e.viewer(old.AccessToken)
	errtest.Code(t, err, ports.CodeUnauthenticated, "old sessions end")
	v, err := e.viewer(auth.AccessToken)
	require.NoError(t, err)
	require.Equal(t, u.ID, v.User.ID)
	res, err := e.svc.SignIn.SignInWithPIN(e.ctx(), identity.PINSignIn{Phone: phone, PIN: "7294", DeviceKey: "new-phone",
		DeviceSecret: auth.DeviceSecret})
	require.NoError(t, err)
	require.NotNil(t, res.Auth, "the new PIN signs in on the device used")
	res, err = e.svc.SignIn.SignInWithPIN(e.ctx(), identity.PINSignIn{Phone: phone, PIN: "7294", DeviceKey: device,
		DeviceSecret: e.secrets[device]})
	require.NoError(t, err)
	require.Nil(t, res.Auth, "the old device lost its trust: it must answer a code first")
}
