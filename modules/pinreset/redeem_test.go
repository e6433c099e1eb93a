package pinreset_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/modules/identity/identitytest"
	"github.com/gatehouse/gatehouse/modules/pinreset"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

// promotedUsers is the user store with roles changed since the users were
// made (the fake has no role change).
type promotedUsers struct {
	*identitytest.UserStore
	roles map[uuid.UUID]string
}

func (p *promotedUsers) GetByID(ctx context.Context, id uuid.UUID) (identity.User, error) {
	u, err := p.UserStore.GetByID(ctx, id)
	if role, ok := p.roles[id]; ok && err == nil {
		u.Role = role
	}
	return u, err
}

func (e *pinResetEnv) promote(id uuid.UUID, role string) {
	p, ok := e.parts.users.(*promotedUsers)
	if !ok {
		p = &promotedUsers{UserStore: e.users, roles: map[uuid.UUID]string{}}
		e.parts.users = p
		e.rebuild()
	}
	p.roles[id] = role
}

// redeem completes a reset as identity does: inside a transaction.
func (e *pinResetEnv) redeem(ticket string) (uuid.UUID, error) {
	var id uuid.UUID
	err := e.parts.tx.InTx(e.ctx(), func(ctx context.Context) error {
		var err error
		id, err = pinreset.Redeem(e.svc.Steps, ctx, ticket)
		return err
	})
	return id, err
}

func TestPINResetRedeemRechecksTheRole(t *testing.T) {
	e := newPinResetEnv(t)
	u := e.user("+447911123311")
	ticket, id := e.pendingOf(u)
	_, err := e.svc.Review.Approve(func() context.Context { c, _ := e.as(ports.RoleCompliance); return c }(), id)
	require.NoError(t, err)
	e.promote(u.ID, ports.RoleAdmin) // made staff after the approval
	_, err = e.redeem(ticket)
	pe := errtest.Code(t, err, ports.CodeForbidden)
	require.Contains(t, pe.Message, "SUPERADMIN")
	require.Equal(t, pinreset.Approved, e.resetOf(ticket).Status, "nothing spent")

	e.promote(u.ID, ports.RoleMember) // a member again: the approval stands
	got, err := e.redeem(ticket)
	require.NoError(t, err)
	require.Equal(t, u.ID, got)

	// Approved by a SUPERADMIN: a promotion since changes nothing.
	v := e.user("+447911123312")
	ticket, id = e.pendingOf(v)
	super := e.userWithRole("+447911123313", ports.RoleSuperadmin)
	ctx := context.WithValue(e.ctx(), pinResetCallerKey{}, &ports.Caller{UserID: super.ID, Role: super.Role})
	_, err = e.svc.Review.Approve(ctx, id)
	require.NoError(t, err)
	e.promote(v.ID, ports.RoleCompliance)
	got, err = e.redeem(ticket)
	require.NoError(t, err)
	require.Equal(t, v.ID, got)
}

// Completing a reset rejects any other open one of the user (one that a
// race left open).
func TestPINResetOneOpenResetPerUser(t *testing.T) {
	e := newPinResetEnv(t)
	ticket, id := e.pending(pinResetPhone)
	staff, _ := e.as(ports.RoleCompliance)
	_, err := e.svc.Review.Approve(staff, id)
	require.NoError(t, err)
	r := e.resetOf(ticket)
	// No second open reset can exist beside it (the store's unique index).
	late := pinreset.Reset{ID: uuid.New(), UserID: r.UserID, TicketHash: []byte("another ticket hash"),
		Status: pinreset.Approved, ExpiresAt: r.ExpiresAt.Add(time.Second), CreatedAt: r.CreatedAt.Add(time.Second)}
	errtest.Code(t, e.resets.Create(context.Background(), late), ports.CodeConflict)

	got, err := pinreset.Redeem(e.svc.Steps, e.ctx(), ticket)
	require.NoError(t, err)
	require.Equal(t, r.UserID, got)
	done, err := e.resets.Get(context.Background(), id)
	require.NoError(t, err)
	require.Equal(t, pinreset.Completed, done.Status)
	open, err := e.resets.OpenOf(context.Background(), r.UserID)
	require.NoError(t, err)
	require.Empty(t, open)
}
