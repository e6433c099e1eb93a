package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestChangePin(t *testing.T) {
	const p = "+447911125803"
	e := newEnv(t)
	auth := e.signUp(p, goodPIN) // PIN history: 4831
	tok := auth.AccessToken
	change := func(current, next string) error {
		_, err := e.svc.PINs.ChangePin(e.as(tok), current, next, next)
		return err
	}

	steps := []struct {
		name, current, next string
		wantField           string // "" when accepted
	}{
		{"same as current", "4831", "4831", "newPin"},
		{"trivial", "4831", "1234", "newPin"},
		{"end of the phone", "4831", "5803", "newPin"},
		{"wrong current", "9999", "27196", "currentPin"},
		{"fresh", "4831", "27196", ""}, // history: 27196, 4831
		{"back to previous", "27196", "4831", "newPin"},
		{"another fresh", "27196", "902714", ""}, // history: 902714, 27196, 4831
		{"the oldest of the last 3", "902714", "4831", "newPin"},
		{"the previous", "902714", "27196", "newPin"},
		{"a third fresh", "902714", "5173", ""}, // history: 5173, 902714, 27196
		{"out of the last 3", "5173", "4831", ""},
	}
	for _, s := range steps {
		err := change(s.current, s.next)
		if s.wantField == "" {
			require.NoError(t, err, s.name)
			continue
		}
		errtest.Code(t, err, ports.CodeValidationFailed, s.name)
		assert.Contains(t, errtest.Fields(t, err), s.wantField, s.name)
	}

	res, err := e.signIn(p, "4831", device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status, "the last new PIN signs in")
	_, err = e.signIn(p, "5173", device)
	errtest.Code(t, err, ports.CodeUnauthenticated, "the replaced PIN does not")
}

func TestChangePinConfirmationMustMatch(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	_, err := e.svc.PINs.ChangePin(e.as(auth.AccessToken), goodPIN, "27196", "27197")
	errtest.Code(t, err, ports.CodeValidationFailed)
	assert.Contains(t, errtest.Fields(t, err), "confirmPin")
}

func TestChangePinSignsOutOtherSessions(t *testing.T) {
	e := newEnv(t)
	mine := e.signUp(phone, goodPIN)
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	other := res.Auth

	e.clock.Advance(time.Minute)
	at, err := e.svc.PINs.ChangePin(e.as(mine.AccessToken), goodPIN, "27196", "27196")
	require.NoError(t, err)
	assert.Equal(t, e.clock.Now(), at)

	_, err = e.viewer(mine.AccessToken)
	assert.NoError(t, err, "the session that changed the PIN stays")
	_, err = e.viewer(other.AccessToken)
	errtest.Code(t, err, ports.CodeUnauthenticated, "other sessions end")
	_, err = e.svc.Sessions.RefreshSession(e.ctx(), other.RefreshToken)
	errtest.Code(t, err, ports.CodeUnauthenticated)
}

func TestChangePinWrongCurrentCountsTowardsLockout(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	var err error
	for i := 0; i < 5; i++ {
		_, err = e.svc.PINs.ChangePin(e.as(auth.AccessToken), "9999", "27196", "27196")
	}
	errtest.Code(t, err, ports.CodeLocked)
	_, err = e.signIn(phone, goodPIN, device)
	errtest.Code(t, err, ports.CodeLocked, "the session's device shares its count with its sign-ins")
}

// A stranger's wrong PINs lock the account's count, not the owner's PIN
// change on their trusted device.
func TestStrangerCannotBlockThePinChange(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	for i := 0; i < 5; i++ {
		_, _ = e.signIn(phone, "9052", "attacker-phone")
	}
	// Strangers are locked out, but the lock shows to them as a wrong PIN.
	_, err := e.signIn(phone, goodPIN, "attacker-phone")
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.svc.PINs.ChangePin(e.as(auth.AccessToken), goodPIN, "27196", "27196")
	assert.NoError(t, err)
}

// After a PIN change (or signing out everywhere) the other devices must
// prove the phone again: one of them may be the stolen one.
func TestChangePinAndSignOutEverywhereUntrustOtherDevices(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	res, err := e.signIn(phone, goodPIN, "tablet")
	require.NoError(t, err)
	require.Equal(t, identity.DeviceVerificationRequired, res.Status)
	tablet, err := e.svc.SignIn.VerifyDeviceSignIn(e.ctx(), res.Challenge.ID, e.lastCode(phone))
	require.NoError(t, err)
	e.secrets["tablet"] = tablet.DeviceSecret
	res, err = e.signIn(phone, goodPIN, "tablet")
	require.NoError(t, err)
	require.Equal(t, identity.SignedIn, res.Status)

	_, err = e.svc.PINs.ChangePin(e.as(auth.AccessToken), goodPIN, "27196", "27196")
	require.NoError(t, err)
	res, err = e.signIn(phone, "27196", "tablet")
	require.NoError(t, err)
	assert.Equal(t, identity.DeviceVerificationRequired, res.Status, "the tablet lost its trust")
	res, err = e.signIn(phone, "27196", device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status, "the device the change was made on keeps it")

	tablet, err = e.svc.SignIn.VerifyDeviceSignIn(e.ctx(), mustChallenge(t, e, "27196", "tablet"), e.lastCode(phone))
	require.NoError(t, err)
	e.secrets["tablet"] = tablet.DeviceSecret
	require.NoError(t, e.svc.Sessions.SignOutEverywhere(e.as(res.Auth.AccessToken)))
	res, err = e.signIn(phone, "27196", "tablet")
	require.NoError(t, err)
	assert.Equal(t, identity.DeviceVerificationRequired, res.Status, "signing out everywhere untrusts the tablet")
	res, err = e.signIn(phone, "27196", device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status)
}

func mustChallenge(t *testing.T, e *env, pin, deviceKey string) uuid.UUID {
	t.Helper()
	e.clock.Advance(61 * time.Second)
	res, err := e.signIn(phone, pin, deviceKey)
	require.NoError(t, err)
	require.Equal(t, identity.DeviceVerificationRequired, res.Status)
	return res.Challenge.ID
}

// A stranger who knows the number locks the account's count, not the
// owner's trusted device; wrong PINs on the trusted device lock only it.
func TestStrangerCannotLockTheTrustedDevice(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	for i := 0; i < 5; i++ {
		_, err := e.signIn(phone, "9052", "attacker-phone")
		require.Error(t, err)
	}
	// Strangers are locked out (even the right PIN is refused), and the
	// lock answers them like a wrong PIN: LOCKED would say the number has
	// an account.
	_, err := e.signIn(phone, goodPIN, "attacker-phone")
	errtest.Code(t, err, ports.CodeUnauthenticated)
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status)

	for i := 0; i < 5; i++ {
		_, err = e.signIn(phone, "9052", device)
	}
	errtest.Code(t, err, ports.CodeLocked, "the trusted device has its own lock")
	_, err = e.signIn(phone, goodPIN, device)
	errtest.Code(t, err, ports.CodeLocked)
}

func TestChangePinNeedsAViewer(t *testing.T) {
	e := newEnv(t)
	e.signUp(phone, goodPIN)
	_, err := e.svc.PINs.ChangePin(e.ctx(), goodPIN, "27196", "27196")
	errtest.Code(t, err, ports.CodeUnauthenticated)
	_, err = e.svc.PINs.ChangePin(e.as("forged"), goodPIN, "27196", "27196")
	errtest.Code(t, err, ports.CodeUnauthenticated)
}

func TestPinSetupForMigratedUser(t *testing.T) {
	e := newEnv(t)
	u := e.addUser(phone, "")

	ch, err := e.svc.PINs.StartPinSetup(e.ctx(), phone)
	require.NoError(t, err)
	assert.Equal(t, otp.PurposePinSetup, ch.Purpose)

	// A refused PIN is refused before the code is checked.
	_, err = e.svc.PINs.CompletePinSetup(e.ctx(), identity.PinSetup{ChallengeID: ch.ID, Code: e.lastCode(phone),
		PIN: "1234", ConfirmPIN: "1234", DeviceKey: device})
	errtest.Code(t, err, ports.CodeValidationFailed)
	assert.Contains(t, errtest.Fields(t, err), "pin")

	auth, err := e.svc.PINs.CompletePinSetup(e.ctx(), identity.PinSetup{ChallengeID: ch.ID, Code: e.lastCode(phone),
		PIN: goodPIN, ConfirmPIN: goodPIN, DeviceKey: device, DeviceName: "Tablet"})
	require.NoError(t, err)
	assert.Equal(t, u.ID, auth.User.ID)
	assert.True(t, auth.User.HasPIN)
	require.NotEmpty(t, auth.DeviceSecret)
	e.secrets[device] = auth.DeviceSecret
	dev, err := e.users.GetDevice(context.Background(), u.ID, device)
	require.NoError(t, err)
	assert.True(t, dev.Trusted)

	status, err := e.svc.Signup.PhoneSignupStatus(e.ctx(), phone)
	require.NoError(t, err)
	assert.Equal(t, identity.StatusRegistered, status)
	res, err := e.signIn(phone, goodPIN, device)
	require.NoError(t, err)
	assert.Equal(t, identity.SignedIn, res.Status)
}

func TestStartPinSetupRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(e *env)
		phone string
		want  ports.ErrorCode
	}{
		{"unknown phone", func(*env) {}, phone, ports.CodeNotFound},
		{"PIN already set", func(e *env) { e.addUser(phone, goodPIN) }, phone, ports.CodeConflict},
		{"invalid phone", func(*env) {}, "07911123456", ports.CodeValidationFailed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tc.setup(e)
			_, err := e.svc.PINs.StartPinSetup(e.ctx(), tc.phone)
			errtest.Code(t, err, tc.want)
			assert.Empty(t, e.sms.Messages())
		})
	}
}

func TestCompletePinSetupRefusedPINKeepsTheCode(t *testing.T) {
	const p = "+447911124831"
	e := newEnv(t)
	e.addUser(p, "")
	ch, err := e.svc.PINs.StartPinSetup(e.ctx(), p)
	require.NoError(t, err)
	code := e.lastCode(p)
	_, err = e.svc.PINs.CompletePinSetup(e.ctx(), identity.PinSetup{ChallengeID: ch.ID, Code: code,
		PIN: "4831", ConfirmPIN: "4831", DeviceKey: device})
	errtest.Code(t, err, ports.CodeValidationFailed)
	_, err = e.svc.PINs.CompletePinSetup(e.ctx(), identity.PinSetup{ChallengeID: ch.ID, Code: code,
		PIN: "27196", ConfirmPIN: "27196", DeviceKey: device})
	assert.NoError(t, err, "the code should still work after a refused PIN")
}

func TestCreateUserForOperators(t *testing.T) {
	e := newEnv(t)
	u, pin, created, err := e.svc.Staff.CreateUser(e.ctx(), phone, "ADMIN")
	require.NoError(t, err)
	require.True(t, created)
	assert.Equal(t, "ADMIN", u.Role)
	require.NoError(t, identity.ValidatePIN("pin", pin, phone), "the random PIN obeys the PIN rules")
	res, err := e.signIn(phone, pin, "laptop")
	require.NoError(t, err)
	assert.Equal(t, identity.DeviceVerificationRequired, res.Status, "the PIN works; a new device still needs a code")

	_, pin2, created, err := e.svc.Staff.CreateUser(e.ctx(), phone, "ADMIN")
	require.NoError(t, err)
	assert.False(t, created)
	assert.Empty(t, pin2)
	_, _, _, err = e.svc.Staff.CreateUser(e.ctx(), "+447911123457", "KING")
	errtest.Code(t, err, ports.CodeValidationFailed)
}
