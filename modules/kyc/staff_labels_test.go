package kyc_test

import (
	"context"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/kyc"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// kycAudit is a small AuditTrail recording admin activities.
type kycAudit struct {
	mu   sync.Mutex
	rows []ports.AdminActivity
}

func (a *kycAudit) RecordAdmin(ctx context.Context, r ports.AdminActivity) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rows = append(a.rows, r)
	return nil
}

func (a *kycAudit) of(action string) []ports.AdminActivity {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []ports.AdminActivity
	for _, r := range a.rows {
		if r.Action == action {
			out = append(out, r)
		}
	}
	return out
}

func TestStaffSetsPrivateLabelAndLevelRecomputes(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "+447700900001")
	compliance := e.user(ports.RoleCompliance, "")
	ctx, slot := ports.WithAuditSlot(e.as(compliance))
	l, err := e.svc.Labels.SetUserLabel(ctx, u.ID, kyc.StaffLabelInput{LabelInput: kyc.LabelInput{Key: "phone", Value: "verified"},
		Scope: kyc.ScopePrivate}, " phone checked by call ")
	require.NoError(t, err)
	require.Equal(t, kyc.ScopePrivate, l.Scope)
	require.Equal(t, 1, e.level(u))
	require.True(t, slot.Written())
	rows := e.audit.of("setUserLabel")
	require.Len(t, rows, 1)
	require.Equal(t, "phone checked by call", rows[0].Reason)
	require.Equal(t, compliance.ID, rows[0].AdminID)
	require.Equal(t, u.ID, *rows[0].TargetUserID)
	require.Equal(t, "phone", rows[0].Input["key"])
	// The user reads that staff changed something, not which private key.
	theirs := e.activities.WithAction("label.staff_set")
	require.Len(t, theirs, 2)
	for _, a := range theirs {
		if *a.UserID == u.ID {
			require.Equal(t, "COMPLIANCE", a.Details["by"])
			require.NotContains(t, a.Details, "key")
		}
	}

	// The user cannot remove a PRIVATE label; staff can.
	_, err = e.svc.Labels.RemoveMyLabel(e.as(u), "phone")
	errtest.Code(t, err, ports.CodeConflict)
	ctx, slot = ports.WithAuditSlot(e.as(compliance))
	ok, err := e.svc.Labels.RemoveUserLabel(ctx, u.ID, "phone", "mistake")
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, 0, e.level(u))
	require.True(t, slot.Written())
	ok, err = e.svc.Labels.RemoveUserLabel(e.as(compliance), u.ID, "phone", "again")
	require.NoError(t, err)
	require.False(t, ok)
	require.Len(t, e.audit.of("removeUserLabel"), 2, "one row per call, removed or not")
}

func TestStaffLabelRules(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	pending := e.user(ports.RoleMember, "")
	require.NoError(t, e.users.SetState(context.Background(), pending.ID, "PENDING", e.clock.Now()))
	good := kyc.StaffLabelInput{LabelInput: kyc.LabelInput{Key: "vip", Value: "gold"}, Scope: kyc.ScopePublic}
	for _, role := range []string{ports.RoleMember, ports.RoleSupport, ports.RoleAccountant} {
		_, err := e.svc.Labels.SetUserLabel(e.as(e.user(role, "")), u.ID, good, "r")
		errtest.Code(t, err, ports.CodeForbidden, role)
		_, err = e.svc.Labels.RemoveUserLabel(e.as(e.user(role, "")), u.ID, "vip", "r")
		errtest.Code(t, err, ports.CodeForbidden, role)
	}
	admin := e.user(ports.RoleAdmin, "")
	_, err := e.svc.Labels.SetUserLabel(e.as(admin), admin.ID, good, "r")
	errtest.Code(t, err, ports.CodeForbidden, "not on oneself")
	_, err = e.svc.Labels.RemoveUserLabel(e.as(admin), admin.ID, "vip", "r")
	errtest.Code(t, err, ports.CodeForbidden, "not on oneself")
	_, err = e.svc.Labels.SetUserLabel(e.as(admin), pending.ID, good, "r")
	errtest.Code(t, err, ports.CodeConflict)
	_, err = e.svc.Labels.SetUserLabel(e.as(admin), uuid.New(), good, "r")
	errtest.Code(t, err, ports.CodeNotFound)
	_, err = e.svc.Labels.SetUserLabel(e.as(admin), u.ID, kyc.StaffLabelInput{LabelInput: kyc.LabelInput{Key: "Bad Key"},
		Scope: "SECRET"}, "")
	f := errtest.Fields(t, err)
	for _, name := range []string{"key", "value", "scope", "reason"} {
		require.Contains(t, f, name)
	}
	_, err = e.svc.Labels.RemoveUserLabel(e.as(admin), u.ID, "vip", string(make([]byte, 501)))
	require.Contains(t, errtest.Fields(t, err), "reason")
	require.Empty(t, e.audit.rows, "failures write no admin activity")

	l, err := e.svc.Labels.SetUserLabel(e.as(admin), u.ID, good, "r")
	require.NoError(t, err)
	require.Equal(t, "gold", l.Value)
	labels, err := e.svc.Labels.LabelsOf(e.as(u), u.ID)
	require.NoError(t, err)
	require.Len(t, labels, 1, "a PUBLIC label set by staff is seen by the user")
}

func TestDeleteUserDataRecordAudited(t *testing.T) {
	e := newEnv(t)
	u := e.user(ports.RoleMember, "")
	_, err := e.svc.PersonalData.PutMyDataRecord(e.as(u), "tax", map[string]any{"tin": "1"})
	require.NoError(t, err)
	compliance := e.user(ports.RoleCompliance, "")
	_, err = e.svc.PersonalData.DeleteUserDataRecord(e.as(compliance), u.ID, "tax", "")
	require.Contains(t, errtest.Fields(t, err), "reason")
	require.Empty(t, e.audit.rows)
	ctx, slot := ports.WithAuditSlot(e.as(compliance))
	ok, err := e.svc.PersonalData.DeleteUserDataRecord(ctx, u.ID, "tax", "user asked")
	require.NoError(t, err)
	require.True(t, ok)
	require.True(t, slot.Written())
	rows := e.audit.of("deleteUserDataRecord")
	require.Len(t, rows, 1)
	require.Equal(t, "user asked", rows[0].Reason)
	require.Equal(t, "tax", rows[0].Input["title"])
}
