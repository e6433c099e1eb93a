package kyc_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestDataRecords(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "", nil)
	require.Equal(t, map[string]string{"title": "is required", "data": "is required"}, errtest.Fields(t, err))
	_, err = e.svc.PersonalData.PutMyDataRecord(e.as(u), strings.Repeat("t", 65), map[string]any{"x": strings.Repeat("d", 16<<10)})
	require.Equal(t, map[string]string{"title": "must be 1 to 64 characters", "data": "must be at most 16 KiB as JSON"},
		errtest.Fields(t, err))

	r, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "123"})
	require.NoError(t, err)
	require.JSONEq(t, `{"tin":"123"}`, string(r.Data))
	_, err = e.svc.PersonalData.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "456"})
	require.NoError(t, err)
	for i := 1; i < kyc.MaxDataRecords; i++ {
		_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), fmt.Sprintf("r%02d", i), map[string]any{})
		require.NoError(t, err)
	}
	_, err = e.svc.PersonalData.PutMyDataRecord(e.as(u), "one more", map[string]any{})
	require.Equal(t, map[string]string{"title": "you have 50 records already"}, errtest.Fields(t, err))
	_, err = e.svc.PersonalData.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "789"})
	require.NoError(t, err, "replacing at the limit is fine")

	mine, err := e.svc.PersonalData.MyDataRecords(e.as(u))
	require.NoError(t, err)
	require.Len(t, mine, kyc.MaxDataRecords)
	require.Equal(t, "r01", mine[0].Title)
	require.JSONEq(t, `{"tin":"789"}`, string(mine[len(mine)-1].Data))

	for _, role := range []string{ports.RoleMember, ports.RoleSupport, ports.RoleAccountant} {
		_, err := e.svc.PersonalData.DeleteUserDataRecord(e.as(e.user(role, "")), u.ID, "tax", "cleanup")
		errtest.Code(t, err, ports.CodeForbidden, role)
	}
	_, err = e.svc.PersonalData.DeleteUserDataRecord(e.as(u), u.ID, "tax", "cleanup")
	errtest.Code(t, err, ports.CodeForbidden, "not even the owner")
	compliance := e.user(ports.RoleCompliance, "")
	ok, err := e.svc.PersonalData.DeleteUserDataRecord(e.as(compliance), u.ID, "tax", "cleanup")
	require.NoError(t, err)
	require.True(t, ok)
	ok, err = e.svc.PersonalData.DeleteUserDataRecord(e.as(compliance), u.ID, "tax", "cleanup")
	require.NoError(t, err)
	require.False(t, ok)
	staff, err := e.svc.PersonalData.DataRecordsOf(e.as(e.user(ports.RoleSupport, "")), u.ID)
	require.NoError(t, err)
	require.Len(t, staff, kyc.MaxDataRecords-1)
}

func TestJSONInputsAreChecked(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	deep := map[string]any{}
	cur := deep
	for range 10 {
		next := map[string]any{}
		cur["a"] = next
		cur = next
	}
	for name, data := range map[string]map[string]any{
		"NUL in a value": {"x": "a\x00b"},
		"NUL in a key":   {"a\x00": "b"},
		"too deep":       deep,
		"infinite":       {"x": math.Inf(1)},
	} {
		_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "t", data)
		require.Contains(t, errtest.Fields(t, err), "data", name)
		_, err = e.svc.PersonalData.UpsertMyProfile(e.as(u), kyc.ProfileInput{FirstName: "A", LastName: "B", DateOfBirth: "1990-01-01",
			Country: "GB", Metadata: data}, false)
		require.Contains(t, errtest.Fields(t, err), "metadata", name)
		_, err = e.svc.Uploads.UploadDocument(e.as(u), kyc.DocumentInput{Type: kyc.DocPassport, Number: "P1", Metadata: data,
			Front: up(jpegOf(t, 8, 8))})
		require.Contains(t, errtest.Fields(t, err), "metadata", name)
	}
	recs, err := e.svc.PersonalData.MyDataRecords(e.as(u))
	require.NoError(t, err)
	require.Empty(t, recs)
	p, err := e.svc.PersonalData.MyProfile(e.as(u))
	require.NoError(t, err)
	require.Nil(t, p)
	require.Zero(t, e.blobs.count())
}
