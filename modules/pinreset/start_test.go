package pinreset_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPINResetStartGivesDecoysThatLookReal(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	noPIN := identity.User{ID: uuid.New(), Phone: "+447911123457", State: "ACTIVE", Role: ports.RoleMember,
		ReferralCode: "nopin001"}
	require.NoError(t, e.users.Create(context.Background(), noPIN))
	locked := e.user("+447911123458")
	require.NoError(t, e.users.SetState(context.Background(), locked.ID, "LOCKED", pinResetT0))

	real, err := e.svc.Steps.Start(e.ctx(), pinResetPhone, identity.DeviceProof{})
	require.NoError(t, err)
	require.False(t, e.otp.last().Decoy)
	require.Equal(t, map[string]string{"userId": e.otp.last().Metadata["userId"]}, e.otp.last().Metadata)

	for _, phone := range []string{"+447911123459", noPIN.Phone, locked.Phone} {
		decoy, err := e.svc.Steps.Start(e.ctx(), phone, identity.DeviceProof{})
		require.NoError(t, err, phone)
		req := e.otp.last()
		require.True(t, req.Decoy, phone)
		require.Empty(t, req.Metadata, "a decoy names no user")
		require.Empty(t, e.sms.MessagesTo(phone), "a decoy sends nothing")
		// Same shape as the real challenge.
		require.Equal(t, real.Purpose, decoy.Purpose)
		require.Equal(t, real.Channel, decoy.Channel)
		require.Equal(t, real.ExpiresAt, decoy.ExpiresAt)
		require.Equal(t, real.ResendAfter, decoy.ResendAfter)
		require.Len(t, decoy.Destination, len(real.Destination))
		require.NotEqual(t, uuid.Nil, decoy.ID)
		// No code opens a reset.
		_, err = e.svc.Steps.Verify(e.ctx(), decoy.ID, "123456")
		errtest.Code(t, err, ports.CodeInvalidCode)
	}
	require.Len(t, e.sms.MessagesTo(pinResetPhone), 1)

	_, err = e.svc.Steps.Start(e.ctx(), "07911 123456", identity.DeviceProof{})
	errtest.Code(t, err, ports.CodeValidationFailed)
}

func TestPINResetStartIsRateLimitedPerClient(t *testing.T) {
	e := newPinResetEnv(t)
	for i := range e.cfg.StartsPerHour {
		_, err := e.svc.Steps.Start(e.ctx(), fmt.Sprintf("+4479111234%02d", i), identity.DeviceProof{})
		require.NoError(t, err)
	}
	_, err := e.svc.Steps.Start(e.ctx(), "+447911123499", identity.DeviceProof{})
	errtest.Code(t, err, ports.CodeRateLimited)
	other := ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "198.51.100.1"})
	_, err = e.svc.Steps.Start(other, "+447911123499", identity.DeviceProof{})
	require.NoError(t, err, "another client has its own budget")
}

// The decoy path does the same work as the real one before it answers: an
// activity row, which names no user.
func TestPINResetStartRecordsDecoysToo(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user(pinResetPhone)
	_, err := e.svc.Steps.Start(e.ctx(), pinResetPhone, identity.DeviceProof{})
	require.NoError(t, err)
	_, err = e.svc.Steps.Start(e.ctx(), "+447911123459", identity.DeviceProof{})
	require.NoError(t, err)
	rows := e.activities.WithAction("pin_reset.requested")
	require.Len(t, rows, 2)
	require.Equal(t, &u.ID, rows[0].UserID)
	require.Nil(t, rows[1].UserID, "a decoy names no user")
	require.Equal(t, rows[0].Result, rows[1].Result)
	require.Equal(t, rows[0].Details, rows[1].Details)
}
