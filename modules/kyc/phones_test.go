package kyc_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestAddAndVerifyPhone(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	other := e.user(ports.RoleMember, "")
	const number = "+447911123457"

	_, err := e.svc.Phones.AddPhone(e.as(u), "07911 123457")
	require.Contains(t, errtest.Fields(t, err), "phone")

	ch, err := e.svc.Phones.AddPhone(e.as(u), "+44 7911 123457")
	require.NoError(t, err)
	require.Equal(t, otp.PurposePhoneAdd, ch.Purpose)
	phones, err := e.svc.Phones.MyPhones(e.as(u))
	require.NoError(t, err)
	require.Len(t, phones, 1)
	require.Nil(t, phones[0].VerifiedAt)
	code1, ok := e.sms.LastCode(number)
	require.True(t, ok)

	_, err = e.svc.Phones.VerifyPhone(e.as(other), ch.ID, code1)
	errtest.Code(t, err, ports.CodeNotFound, "someone else's challenge")
	_, err = e.svc.Phones.VerifyPhone(e.as(u), ch.ID, "000000x")
	require.Error(t, err)

	p, err := e.svc.Phones.VerifyPhone(e.as(u), ch.ID, code1)
	require.NoError(t, err)
	require.Equal(t, number, p.Number)
	require.NotNil(t, p.VerifiedAt)
	require.Equal(t, 1, e.level(u), "a verified phone gives level 1")
	_, err = e.svc.Phones.VerifyPhone(e.as(u), ch.ID, code1)
	require.Error(t, err, "a code works once")

	_, err = e.svc.Phones.AddPhone(e.as(u), number)
	errtest.Code(t, err, ports.CodeConflict, "verified already")

	// Another user may add it, but not verify it while u has it.
	ch2, err := e.svc.Phones.AddPhone(e.as(other), number)
	require.NoError(t, err)
	code2, _ := e.sms.LastCode(number)
	_, err = e.svc.Phones.VerifyPhone(e.as(other), ch2.ID, code2)
	errtest.Code(t, err, ports.CodeConflict)
	theirs, err := e.svc.Phones.PhonesOf(e.as(other), other.ID)
	require.NoError(t, err)
	require.Len(t, theirs, 1)
	require.Nil(t, theirs[0].VerifiedAt)
	_, err = e.svc.Phones.PhonesOf(e.as(other), u.ID)
	errtest.Code(t, err, ports.CodeForbidden)
}

func TestPhoneLimit(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	numbers := []string{"+447911123001", "+447911123002", "+447911123003", "+447911123004", "+447911123005",
		"+447911123006", "+447911123007", "+447911123008", "+447911123009", "+447911123010"}
	for _, n := range numbers {
		_, err := e.svc.Phones.AddPhone(e.as(u), n)
		require.NoError(t, err)
	}
	_, err := e.svc.Phones.AddPhone(e.as(u), "+447911123011")
	require.Equal(t, map[string]string{"phone": "you have 10 numbers already"}, errtest.Fields(t, err))
	_, err = e.svc.Phones.AddPhone(e.as(u), numbers[0])
	require.NoError(t, err, "a code again to a number already added")
}
