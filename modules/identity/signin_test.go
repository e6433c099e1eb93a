package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

func TestSignInWithPINOnTrustedDevice(t *testing.T) {
	e := newEnv(t)
	first := e.signUp(phone, goodPIN)
	e.clock.Advance(time.Hour)
	smsBefore := len(e.sms.Messages())

	res, err := e.signIn("+44 7911 123456", goodPIN, device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status)
	assert.Nil(t, res.Challenge)
	require.NotNil(t, res.Auth)
	assert.Equal(t, first.User.ID, res.Auth.User.ID)
	assert.NotEqual(t, first.RefreshToken, res.Auth.RefreshToken)
	assert.Len(t, e.sms.Messages(), smsBefore, "no code for a trusted device")

	v, err := e.viewer(res.Auth.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, first.User.ID, v.User.ID)
	assert.Len(t, e.sessions.ForUser(first.User.ID), 2, "a new session per sign-in")

	dev, err := e.users.GetDevice(context.Background(), first.User.ID, device)
	require.NoError(t, err)
	assert.True(t, dev.Trusted, "signing in does not untrust the device")
	assert.Equal(t, e.clock.Now(), dev.LastSeenAt)
	assert.Equal(t, "Phone", dev.Name)
}

func TestSignInWithPINOnNewDeviceNeedsACode(t *testing.T) {
	e := newEnv(t)
	u := e.signUp(phone, goodPIN).User

	res, err := e.signIn(phone, goodPIN, "device-new")
	require.NoError(t, err)
	assert.Equal(t, identity.DeviceVerificationRequired, res.Status)
	assert.Nil(t, res.Auth, "no session before the code")
	require.NotNil(t, res.Challenge)
	assert.Equal(t, otp.PurposeSignInNewDevice, res.Challenge.Purpose)
	_, err = e.users.GetDevice(context.Background(), u.ID, "device-new")
	assert.ErrorIs(t, err, ports.ErrNotFound, "the device is not recorded before the code")
	assert.Len(t, e.sessions.ForUser(u.ID), 1)

	code := e.lastCode(phone)
	wrongCode := "000000"
	if code == wrongCode {
		wrongCode = "000001"
	}
	_, err = e.svc.SignIn.VerifyDeviceSignIn(e.ctx(), res.Challenge.ID, wrongCode)
	assert.Equal(t, ports.CodeInvalidCode, ports.ErrorCodeOf(err))

	auth, err := e.svc.SignIn.VerifyDeviceSignIn(e.ctx(), res.Challenge.ID, code)
	require.NoError(t, err)
	require.NotEmpty(t, auth.DeviceSecret)
	e.secrets["device-new"] = auth.DeviceSecret
	assert.Equal(t, u.ID, auth.User.ID)
	assert.NotEmpty(t, auth.AccessToken)
	assert.NotEmpty(t, auth.RefreshToken)
	dev, err := e.users.GetDevice(context.Background(), u.ID, "device-new")
	require.NoError(t, err)
	assert.True(t, dev.Trusted)
	assert.Equal(t, "Phone", dev.Name)
	v, err := e.viewer(auth.AccessToken)
	require.NoError(t, err)
	assert.Equal(t, u.ID, v.User.ID)

	_, err = e.svc.SignIn.VerifyDeviceSignIn(e.ctx(), res.Challenge.ID, code)
	assert.Equal(t, ports.CodeInvalidCode, ports.ErrorCodeOf(err), "the code works once")

	res, err = e.signIn(phone, goodPIN, "device-new")
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status, "the device is trusted now")
}

func TestVerifyDeviceSignInRefusesOtherChallenges(t *testing.T) {
	e := newEnv(t)
	ch, err := e.svc.Signup.StartPhoneSignup(e.ctx(), phone)
	require.NoError(t, err)
	_, err = e.svc.SignIn.VerifyDeviceSignIn(e.ctx(), ch.ID, e.lastCode(phone))
	assert.Equal(t, ports.CodeNotFound, ports.ErrorCodeOf(err), "a sign-up code does not sign in")
}

func TestSignInWithPINBadCredentialsLookAlike(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)

	_, unknownErr := e.signIn("+447911123457", goodPIN, device)
	require.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(unknownErr))
	assert.Equal(t, 1, e.hasher.Burns(), "an unknown phone still costs a hash")

	_, wrongErr := e.signIn(phone, "27196", device)
	require.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(wrongErr))
	assert.Equal(t, unknownErr.Error(), wrongErr.Error(), "unknown phone and wrong PIN answer alike")

	failed := e.activities.WithAction("sign_in.pin")
	require.Len(t, failed, 2)
	for _, a := range failed {
		assert.Equal(t, ports.ActivityFailed, a.Result)
		assert.Equal(t, "203.0.113.7", a.IP)
	}
}

func TestSignInWithPINRefusesBadInput(t *testing.T) {
	tests := []struct {
		name  string
		in    identity.PINSignIn
		field string
	}{
		{"no phone", identity.PINSignIn{PIN: goodPIN, DeviceKey: device}, "phone"},
		{"national phone", identity.PINSignIn{Phone: "07911123456", PIN: goodPIN, DeviceKey: device}, "phone"},
		{"short PIN", identity.PINSignIn{Phone: phone, PIN: "123", DeviceKey: device}, "pin"},
		{"long PIN", identity.PINSignIn{Phone: phone, PIN: "1234567", DeviceKey: device}, "pin"},
		{"no device", identity.PINSignIn{Phone: phone, PIN: goodPIN}, "deviceId"},
		{"control char in name", identity.PINSignIn{Phone: phone, PIN: goodPIN, DeviceKey: device, DeviceName: "a\x00b"}, "deviceName"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.signUp(phone, goodPIN)
			_, err := e.svc.SignIn.SignInWithPIN(e.ctx(), tc.in)
			require.Equal(t, ports.CodeValidationFailed, ports.ErrorCodeOf(err))
			assert.Contains(t, errFields(t, err), tc.field)
			cred, err := e.creds.GetPIN(context.Background(), e.mustUser(phone).ID)
			require.NoError(t, err)
			assert.Equal(t, 0, cred.FailedAttempts, "refused input is not a wrong PIN")
		})
	}
}

func (e *env) mustUser(p string) identity.User {
	e.t.Helper()
	u, err := e.users.GetByPhone(context.Background(), p)
	require.NoError(e.t, err)
	return u
}

func TestSignInWithPINWithoutPINAsksForSetup(t *testing.T) {
	e := newEnv(t)
	e.addUser(phone, "")
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	assert.Equal(t, identity.PINSetupRequired, res.Status)
	assert.Nil(t, res.Auth)
	assert.Equal(t, 1, e.hasher.Burns())
}

func TestSignInWithPINAccountStates(t *testing.T) {
	tests := []struct {
		state string
		want  ports.ErrorCode
	}{
		{identity.StateLocked, ports.CodeLocked},
		{identity.StateBanned, ports.CodeAccessRestricted},
	}
	for _, tc := range tests {
		t.Run(tc.state, func(t *testing.T) {
			e := newEnv(t)
			auth := e.signUp(phone, goodPIN)
			require.NoError(t, e.users.SetState(e.ctx(), auth.User.ID, tc.state, t0))

			_, err := e.signIn(phone, goodPIN, device)
			assert.Equal(t, tc.want, ports.ErrorCodeOf(err))
			_, err = e.viewer(auth.AccessToken)
			assert.Equal(t, tc.want, ports.ErrorCodeOf(err), "a live token stops working too")
			_, err = e.svc.Sessions.RefreshSession(e.ctx(), auth.RefreshToken)
			assert.Equal(t, tc.want, ports.ErrorCodeOf(err))
		})
	}
}

func TestPINLockout(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	const wrongPIN = "27196"

	for i := 1; i <= 4; i++ {
		_, err := e.signIn(phone, wrongPIN, device)
		require.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err), "wrong PIN %d", i)
	}
	_, err := e.signIn(phone, wrongPIN, device)
	require.Equal(t, ports.CodeLocked, ports.ErrorCodeOf(err), "5th wrong PIN")
	assert.Equal(t, 15*time.Minute, errRetryAfter(t, err))

	e.clock.Advance(5 * time.Minute)
	_, err = e.signIn(phone, goodPIN, device)
	require.Equal(t, ports.CodeLocked, ports.ErrorCodeOf(err), "even the right PIN while locked")
	assert.Equal(t, 10*time.Minute, errRetryAfter(t, err))

	e.clock.Advance(10*time.Minute + time.Second)
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err, "the lock has ended")
	assert.Equal(t, identity.SignedIn, res.Status)

	cred, err := e.creds.GetPIN(context.Background(), res.Auth.User.ID)
	require.NoError(t, err)
	assert.Equal(t, 0, cred.FailedAttempts)
	assert.Nil(t, cred.LockedUntil)

	locked := 0
	for _, a := range e.activities.WithAction("sign_in.pin") {
		if a.Details["reason"] == string(ports.CodeLocked) {
			locked++
		}
	}
	assert.Equal(t, 2, locked, "each refusal while locked is recorded")
}

func TestPINLockoutGrows(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	lock := func() time.Duration {
		t.Helper()
		var err error
		for i := 0; i < 5; i++ {
			_, err = e.signIn(phone, "27196", device)
		}
		require.Equal(t, ports.CodeLocked, ports.ErrorCodeOf(err))
		return errRetryAfter(t, err)
	}
	assert.Equal(t, 15*time.Minute, lock())
	e.clock.Advance(15 * time.Minute)
	assert.Equal(t, 30*time.Minute, lock(), "a second lockout in a row lasts twice as long")
	e.clock.Advance(30 * time.Minute)
	assert.Equal(t, time.Hour, lock())
}

func TestSignInRateLimitedPerIP(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	for i := 0; i < e.cfg.SignInsPerMinute; i++ {
		_, err := e.signIn("+447911123457", goodPIN, device) // unknown: no lockout in the way
		require.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err), "attempt %d", i+1)
	}
	_, err := e.signIn(phone, goodPIN, device)
	assert.Equal(t, ports.CodeRateLimited, ports.ErrorCodeOf(err))
}

func TestSignInWithPINOnKnownUntrustedDeviceNeedsACode(t *testing.T) {
	e := newEnv(t)
	u := e.signUp(phone, goodPIN).User
	// A device seen before but never verified (or untrusted since).
	_, err := e.users.UpsertDevice(context.Background(), identity.Device{UserID: u.ID, DeviceKey: "old-tablet",
		CreatedAt: t0, LastSeenAt: t0})
	require.NoError(t, err)

	res, err := e.signIn(phone, goodPIN, "old-tablet")
	require.NoError(t, err)
	assert.Equal(t, identity.DeviceVerificationRequired, res.Status)
	assert.Nil(t, res.Auth)
}

// The device id alone proves nothing: it is often guessable and shown in
// me.devices. A trusted sign-in needs the secret the device got.
func TestTrustedDeviceMustPresentItsSecret(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	for name, secret := range map[string]string{"none": "", "wrong": "ghd_not-the-secret"} {
		res, err := e.svc.SignIn.SignInWithPIN(e.ctx(), identity.PINSignIn{Phone: phone, PIN: goodPIN, DeviceKey: device, DeviceSecret: secret})
		require.NoError(t, err, name)
		assert.Equal(t, identity.DeviceVerificationRequired, res.Status, name)
		assert.Nil(t, res.Auth, name)
	}
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status)
	assert.Empty(t, res.Auth.DeviceSecret, "a trusted sign-in does not hand out a new secret")
}
