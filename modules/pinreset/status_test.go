package pinreset_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestPINResetTicketsThatDoNotWork(t *testing.T) {
	e := newPinResetEnv(t)
	ticket, id := e.pending(pinResetPhone)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.Review.Approve(staff, id)
	require.NoError(t, err)

	unknown := []string{"ghpr_" + strings.Repeat("A", 43), "nope", "ghpr_" + strings.Repeat("A", 5000),
		"ghr_" + strings.Repeat("A", 43)}
	var msgs []string
	for _, tk := range unknown {
		_, err := e.svc.Steps.Status(e.ctx(), tk)
		msgs = append(msgs, errtest.Code(t, err, ports.CodeNotFound).Message)
		_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), tk)
		errtest.Code(t, err, ports.CodeNotFound)
	}
	_, err = e.svc.Steps.Status(e.ctx(), "")
	errtest.Code(t, err, ports.CodeValidationFailed)

	// Expired: the same answer as unknown, even though it was approved.
	e.clock.Advance(e.cfg.TTL)
	_, err = e.svc.Steps.Status(e.ctx(), ticket)
	require.Equal(t, msgs[0], errtest.Code(t, err, ports.CodeNotFound).Message)
	_, err = pinreset.Redeem(e.svc.Steps, e.ctx(), ticket)
	require.Equal(t, msgs[0], errtest.Code(t, err, ports.CodeNotFound).Message)
	require.Equal(t, "this reset ticket is not valid", msgs[0])
	for _, m := range msgs {
		require.Equal(t, msgs[0], m)
	}
}

// Only tickets with the PIN reset prefix are looked up: a refresh token
// (or anything else) is refused before it is hashed.
func TestPINResetOtherTokensAreNotLookedUp(t *testing.T) {
	e := newPinResetEnv(t)
	e.user(pinResetPhone)
	tk := e.ticket(pinResetPhone)
	parts := e.parts
	counting := &pinResetCountingFinds{Store: e.resets}
	parts.resets = counting
	svc := parts.build(e.cfg)
	for _, bad := range []string{"ghr_" + tk.Ticket[len("ghpr_"):], "ghr_" + strings.Repeat("A", 43), "Ghpr_x", "x"} {
		_, err := svc.Steps.Status(e.ctx(), bad)
		errtest.Code(t, err, ports.CodeNotFound)
		_, err = pinreset.Redeem(svc.Steps, e.ctx(), bad)
		errtest.Code(t, err, ports.CodeNotFound)
	}
	require.Zero(t, counting.finds)
	_, err := svc.Steps.Status(e.ctx(), tk.Ticket)
	require.NoError(t, err)
	require.Equal(t, 1, counting.finds)
}
