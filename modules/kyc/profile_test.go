package kyc_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestProfileValidation(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	big := map[string]any{"x": strings.Repeat("a", 5000)}
	for name, c := range map[string]struct {
		edit func(p *kyc.ProfileInput)
		want map[string]string
	}{
		"empty names": {func(p *kyc.ProfileInput) { p.FirstName, p.LastName = " ", "" },
			map[string]string{"firstName": "is required", "lastName": "is required"}},
		"long name": {func(p *kyc.ProfileInput) { p.FirstName = strings.Repeat("é", 101) },
			map[string]string{"firstName": "must be 1 to 100 characters"}},
		"not a date": {func(p *kyc.ProfileInput) { p.DateOfBirth = "1990-02-30" },
			map[string]string{"dateOfBirth": "must be a real date written YYYY-MM-DD"}},
		"short date": {func(p *kyc.ProfileInput) { p.DateOfBirth = "1990-2-3" },
			map[string]string{"dateOfBirth": "must be a real date written YYYY-MM-DD"}},
		"17 years old": {func(p *kyc.ProfileInput) { p.DateOfBirth = "2008-11-24" },
			map[string]string{"dateOfBirth": "must be of someone at least 18 years old"}},
		"before 1900": {func(p *kyc.ProfileInput) { p.DateOfBirth = "1899-12-31" },
			map[string]string{"dateOfBirth": "must not be before 1900"}},
		"long address, postcode, city": {func(p *kyc.ProfileInput) {
			p.Address, p.Postcode, p.City = strings.Repeat("a", 201), strings.Repeat("1", 21), strings.Repeat("c", 101)
		}, map[string]string{"address": "must be at most 200 characters", "postcode": "must be at most 20 characters",
			"city": "must be at most 100 characters"}},
		"bad country": {func(p *kyc.ProfileInput) { p.Country = "XX" },
			map[string]string{"country": "must be an ISO 3166-1 alpha-2 country code, e.g. GB"}},
		"no country": {func(p *kyc.ProfileInput) { p.Country = "" }, map[string]string{"country": "is required"}},
		"control char": {func(p *kyc.ProfileInput) { p.City = "Lon\x00don" },
			map[string]string{"city": "must not contain control characters"}},
		"metadata too big": {func(p *kyc.ProfileInput) { p.Metadata = big },
			map[string]string{"metadata": "must be at most 4 KiB as JSON"}},
	} {
		t.Run(name, func(t *testing.T) {
			in := goodProfile()
			c.edit(&in)
			_, err := e.svc.PersonalData.UpsertMyProfile(e.as(u), in, false)
			require.Equal(t, c.want, errtest.Fields(t, err))
		})
	}
	p, err := e.svc.PersonalData.MyProfile(e.as(u))
	require.NoError(t, err)
	require.Nil(t, p, "nothing was saved")

	in := goodProfile()
	in.DateOfBirth = "2008-11-23" // 18 today
	out, err := e.svc.PersonalData.UpsertMyProfile(e.as(u), in, false)
	require.NoError(t, err)
	require.Equal(t, "GB", out.Country)
	require.JSONEq(t, `{}`, string(out.Metadata))
	require.Nil(t, out.ConfirmedAt)
}

func TestProfileConfirmLocksOwner(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	_, err := e.svc.PersonalData.UpsertMyProfile(context.Background(), goodProfile(), false)
	errtest.Code(t, err, ports.CodeUnauthenticated)

	in := goodProfile()
	in.Metadata = map[string]any{"source": "app"}
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, false)
	require.NoError(t, err)
	in.Metadata = nil // keeps the stored metadata
	in.City = "Bath"
	p, err := e.svc.PersonalData.UpsertMyProfile(e.as(u), in, true)
	require.NoError(t, err)
	require.NotNil(t, p.ConfirmedAt)
	require.Equal(t, "Bath", p.City)
	require.JSONEq(t, `{"source":"app"}`, string(p.Metadata))

	l, err := e.store.GetLabel(context.Background(), u.ID, kyc.LabelProfile)
	require.NoError(t, err)
	require.Equal(t, kyc.ScopePrivate, l.Scope)
	require.Equal(t, kyc.LabelVerified, l.Value)

	in.City = "York"
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, false)
	errtest.Code(t, err, ports.CodeConflict)
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), in, true)
	errtest.Code(t, err, ports.CodeConflict)
	got, err := e.svc.PersonalData.MyProfile(e.as(u))
	require.NoError(t, err)
	require.Equal(t, "Bath", got.City, "the confirmed profile stayed as it was")
}

func TestStaffUpdatesProfile(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	other := e.user(ports.RoleMember, "")
	support := e.user(ports.RoleSupport, "")
	compliance := e.user(ports.RoleCompliance, "")
	e.confirmProfile(u)

	for _, who := range []identity.User{u, other, support} {
		_, err := e.svc.PersonalData.UpdateUserProfile(e.as(who), u.ID, goodProfile(), false)
		errtest.Code(t, err, ports.CodeForbidden, who.Role)
	}

	in := goodProfile()
	in.City = "Leeds"
	p, err := e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, in, false)
	require.NoError(t, err)
	require.Nil(t, p.ConfirmedAt)
	require.Equal(t, "Leeds", p.City)
	_, err = e.store.GetLabel(context.Background(), u.ID, kyc.LabelProfile)
	errtest.Code(t, err, ports.CodeNotFound, "unconfirming removes the label")

	// Unconfirmed, the owner may edit again.
	_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), goodProfile(), false)
	require.NoError(t, err)

	p, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), u.ID, goodProfile(), true)
	require.NoError(t, err)
	require.NotNil(t, p.ConfirmedAt)
	_, err = e.store.GetLabel(context.Background(), u.ID, kyc.LabelProfile)
	require.NoError(t, err)

	_, err = e.svc.PersonalData.UpdateUserProfile(e.as(compliance), [16]byte{1}, goodProfile(), true)
	errtest.Code(t, err, ports.CodeNotFound)
}

func TestStaffConfirmSubmitsWithoutStaffMeta(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	compliance := e.user(ports.RoleCompliance, "")
	e.uploadPassport(u)
	e.uploadSelfie(u)
	staffCtx := ports.WithRequestMeta(e.as(compliance), ports.RequestMeta{IP: "203.0.113.9", UserAgent: "Staff/2"})
	_, err := e.svc.PersonalData.UpdateUserProfile(staffCtx, u.ID, goodProfile(), true)
	require.NoError(t, err)
	sub, err := e.store.LatestSubmission(context.Background(), u.ID)
	require.NoError(t, err)
	require.Equal(t, kyc.StatusPending, sub.Status)
	created := e.activities.WithAction("submission.create")
	require.Len(t, created, 1)
	require.Equal(t, u.ID, *created[0].UserID)
	require.Empty(t, created[0].IP)
	require.Empty(t, created[0].UserAgent)
}
