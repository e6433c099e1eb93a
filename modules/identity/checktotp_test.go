package identity_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// TestCheckTOTPNeedsTheAppOnAndTakesEachCodeOnce: another module's
// guarded action (creating an API key) is refused while the app is off,
// and a code that served once does not serve again.
func TestCheckTOTPNeedsTheAppOnAndTakesEachCodeOnce(t *testing.T) {
	e := newEnv(t)
	auth := e.signUp(phone, goodPIN)
	id := auth.User.ID

	err := e.svc.MFA.CheckTOTP(e.ctx(), id, "123456")
	errtest.Code(t, err, ports.CodeForbidden)
	require.Equal(t, identity.ReasonTOTPRequired, reasonOf(t, err))

	en, err := e.svc.MFA.StartTOTPEnrollment(e.as(auth.AccessToken))
	require.NoError(t, err)
	err = e.svc.MFA.CheckTOTP(e.ctx(), id, "123456")
	require.Equal(t, identity.ReasonTOTPRequired, reasonOf(t, err), "an enrollment not yet confirmed counts as off")
	code, err := identity.TOTPCode(en.Secret, e.clock.Now())
	require.NoError(t, err)
	_, err = e.svc.MFA.ConfirmTOTPEnrollment(e.as(auth.AccessToken), code)
	require.NoError(t, err)

	e.clock.Advance(30 * time.Second)
	code, err = identity.TOTPCode(en.Secret, e.clock.Now())
	require.NoError(t, err)
	require.NoError(t, e.svc.MFA.CheckTOTP(e.ctx(), id, code))
	errtest.Code(t, e.svc.MFA.CheckTOTP(e.ctx(), id, code), ports.CodeInvalidCode)
	require.Contains(t, errtest.Fields(t, e.svc.MFA.CheckTOTP(e.ctx(), id, "abc")), "totpCode")
}
