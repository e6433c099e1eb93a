package otp_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

func from(ip string) context.Context {
	return ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: ip})
}

// Codes asked without a proof of ownership are charged to the strangers'
// budget of the destination, shared by every client however many
// addresses they use; the owner's budget for the same destination stays
// whole.
func TestStrangersSpendTheirOwnBudgetNotTheOwners(t *testing.T) {
	e := newEnv(t)
	reset := otp.StartRequest{Purpose: otp.PurposePINReset, To: phone}
	owner := otp.StartRequest{Purpose: otp.PurposeSignInNewDevice, To: phone, Budget: otp.BudgetOwner}
	sent := 0
	for n := range 40 {
		// 40 IPv6 /64s (each its own client), each asking twice.
		ip := fmt.Sprintf("2001:db8:0:%x::1", n+1)
		for range 2 {
			_, err := e.svc.Start(from(ip), reset)
			if err == nil {
				sent++
				continue
			}
			require.Equal(t, ports.CodeRateLimited, ports.ErrorCodeOf(err), "%s", ip)
			var pe *ports.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, time.Hour, pe.RetryAfter, "until the strangers' oldest code leaves the hour")
		}
	}
	assert.Equal(t, 5, sent, "codes to one phone in an hour from 40 clients")
	assert.Equal(t, 5, len(e.sms.MessagesTo(phone)), "SMS delivered")
	for i := 1; i <= 5; i++ {
		_, err := e.svc.Start(from("203.0.113.1"), owner)
		require.NoError(t, err, "owner's code %d, whatever the address", i)
	}
	_, err := e.svc.Start(from("198.51.100.7"), owner)
	assert.Equal(t, ports.CodeRateLimited, ports.ErrorCodeOf(err), "the owner's budget is bounded too")
}

// One client gets ClientSendsPerHour codes in all, whatever the
// destinations; the hour slides.
func TestOneClientHasTenCodesAnHourInAll(t *testing.T) {
	e := newEnv(t)
	for i := range 10 {
		_, err := e.svc.Start(from("2001:db8::1"), otp.StartRequest{Purpose: otp.PurposeSignup, To: fmt.Sprintf("+4479111234%02d", i)})
		require.NoError(t, err, "code %d", i+1)
		e.clock.Advance(time.Minute)
	}
	// Another address of the same IPv6 /64 is the same client.
	_, err := e.svc.Start(from("2001:db8::2"), otp.StartRequest{Purpose: otp.PurposeSignup, To: "+447911123499"})
	require.Equal(t, ports.CodeRateLimited, ports.ErrorCodeOf(err))
	var pe *ports.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 50*time.Minute, pe.RetryAfter, "until the oldest code leaves the hour")
	_, err = e.svc.Start(from("2001:db8:0:1::1"), otp.StartRequest{Purpose: otp.PurposeSignup, To: "+447911123499"})
	assert.NoError(t, err, "another client")
	e.clock.Advance(50 * time.Minute)
	_, err = e.svc.Start(from("2001:db8::2"), otp.StartRequest{Purpose: otp.PurposeSignup, To: "+447911123498"})
	assert.NoError(t, err, "an hour after the first code")
}
