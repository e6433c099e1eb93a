package partners_test

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/partners"
	"github.com/gatehouse/gatehouse/modules/partners/partnerstest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func TestCreateShowsTheSecretOnceAndKeepsItsHash(t *testing.T) {
	e := newEnv(t)
	c := e.create("  Acme back office ", partners.ScopeUsersRead, partners.ScopeAccountsWrite, partners.ScopeUsersRead)
	require.Equal(t, "Acme back office", c.App.Name)
	require.Equal(t, []string{partners.ScopeAccountsWrite, partners.ScopeUsersRead}, c.App.Scopes, "deduplicated, in catalogue order")
	require.True(t, strings.HasPrefix(c.Secret, "ghps_") && len(c.Secret) == 5+43, "secret %q", c.Secret)
	stored, err := e.apps.Get(as(ports.RoleAdmin), c.App.ID)
	require.NoError(t, err)
	require.Equal(t, partners.HashSecret(c.Secret), stored.SecretHash)
	require.NotContains(t, string(stored.SecretHash), c.Secret)
	require.Len(t, e.activities.WithAction("partner_app.create"), 1)

	other := e.create("Other", partners.ScopeUsersRead)
	require.NotEqual(t, c.Secret, other.Secret)
}

func TestCreateRefusesBadInput(t *testing.T) {
	e := newEnv(t)
	for name, tc := range map[string]struct {
		in     partners.CreateInput
		fields []string
	}{
		"no name":          {partners.CreateInput{Name: " ", Scopes: []string{partners.ScopeUsersRead}}, []string{"name"}},
		"long name":        {partners.CreateInput{Name: strings.Repeat("n", 101), Scopes: []string{partners.ScopeUsersRead}}, []string{"name"}},
		"control":          {partners.CreateInput{Name: "a\x00b", Scopes: []string{partners.ScopeUsersRead}}, []string{"name"}},
		"no scope":         {partners.CreateInput{Name: "a"}, []string{"scopes"}},
		"unknown scope":    {partners.CreateInput{Name: "a", Scopes: []string{"admin"}}, []string{"scopes"}},
		"too many":         {partners.CreateInput{Name: "a", Scopes: slices.Repeat([]string{partners.ScopeUsersRead}, 11)}, []string{"scopes"}},
		"both bad at once": {partners.CreateInput{Name: "", Scopes: []string{"x"}}, []string{"name", "scopes"}},
	} {
		_, err := e.manage.Create(as(ports.RoleAdmin), tc.in)
		require.ElementsMatch(t, tc.fields, keys(errtest.Fields(t, err, name)), name)
	}
}

func TestOnlyTheRowsRolesManagePartnerApps(t *testing.T) {
	e := newEnv(t)
	app := e.create("A", partners.ScopeUsersRead)
	for _, role := range []string{ports.RoleMember, ports.RoleSupport, ports.RoleCompliance, ports.RolePartner} {
		_, err := e.manage.Create(as(role), partners.CreateInput{Name: "x", Scopes: []string{partners.ScopeUsersRead}})
		require.Equal(t, ports.CodeForbidden, ports.ErrorCodeOf(err), role)
		_, err = e.manage.List(as(role), 10, "")
		require.Equal(t, ports.CodeForbidden, ports.ErrorCodeOf(err), role)
		_, err = e.manage.RotateSecret(as(role), app.App.ID)
		require.Equal(t, ports.CodeForbidden, ports.ErrorCodeOf(err), role)
		_, err = e.manage.Disable(as(role), app.App.ID)
		require.Equal(t, ports.CodeForbidden, ports.ErrorCodeOf(err), role)
	}
	_, err := e.manage.List(as(ports.RoleAnonymous), 10, "")
	require.Equal(t, ports.CodeUnauthenticated, ports.ErrorCodeOf(err))
	_, err = e.manage.List(as(ports.RoleSuperadmin), 10, "")
	require.NoError(t, err)
	// The rows decide, not a list of roles in the service.
	e.rules.Set(ports.RoleSupport, "partnerApps", "ALLOW")
	_, err = e.manage.List(as(ports.RoleSupport), 10, "")
	require.NoError(t, err)
}

func TestListPagesOldestFirst(t *testing.T) {
	e := newEnv(t)
	var want []uuid.UUID
	for i := range 3 {
		want = append(want, e.create(string(rune('A'+i)), partners.ScopeUsersRead).App.ID)
		e.clock.Advance(time.Second)
	}
	p1, err := e.manage.List(as(ports.RoleAdmin), 2, "")
	require.NoError(t, err)
	require.True(t, p1.HasNext)
	p2, err := e.manage.List(as(ports.RoleAdmin), 2, p1.Cursors[1])
	require.NoError(t, err)
	require.False(t, p2.HasNext)
	got := []uuid.UUID{p1.Items[0].ID, p1.Items[1].ID, p2.Items[0].ID}
	require.Equal(t, want, got)
	_, err = e.manage.List(as(ports.RoleAdmin), 0, "nope")
	require.ElementsMatch(t, []string{"first", "after"}, keys(errtest.Fields(t, err)))
}

func TestTheMostAppsIsALimit(t *testing.T) {
	e := newEnv(t, func(c *partners.Config) { c.MaxApps = 2 })
	e.create("A", partners.ScopeUsersRead)
	e.create("B", partners.ScopeUsersRead)
	_, err := e.manage.Create(as(ports.RoleAdmin), partners.CreateInput{Name: "C", Scopes: []string{partners.ScopeUsersRead}})
	require.Equal(t, ports.CodeConflict, ports.ErrorCodeOf(err))
}

func TestRotateAndDisableUnknownOrDisabledApps(t *testing.T) {
	e := newEnv(t)
	_, err := e.manage.RotateSecret(as(ports.RoleAdmin), uuid.New())
	require.Equal(t, ports.CodeNotFound, ports.ErrorCodeOf(err))
	_, err = e.manage.Disable(as(ports.RoleAdmin), uuid.New())
	require.Equal(t, ports.CodeNotFound, ports.ErrorCodeOf(err))
	app := e.create("A", partners.ScopeUsersRead)
	d, err := e.manage.Disable(as(ports.RoleAdmin), app.App.ID)
	require.NoError(t, err)
	require.Equal(t, partners.Disabled, d.State)
	_, err = e.manage.RotateSecret(as(ports.RoleAdmin), app.App.ID)
	require.Equal(t, ports.CodeConflict, ports.ErrorCodeOf(err))
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// readTogether holds the first two Gets until both have been made (or a
// second has passed): two staff members rotating one app at once, both
// having read it before either writes.
type readTogether struct {
	*partnerstest.Store
	n   *atomic.Int32
	all chan struct{}
}

func newReadTogether(s *partnerstest.Store) readTogether {
	return readTogether{Store: s, n: new(atomic.Int32), all: make(chan struct{})}
}

func (r readTogether) Get(ctx context.Context, id uuid.UUID) (partners.App, error) {
	a, err := r.Store.Get(ctx, id)
	switch r.n.Add(1) {
	case 1:
		select {
		case <-r.all:
		case <-time.After(time.Second):
		}
	case 2:
		close(r.all)
	}
	return a, err
}

func TestParallelRotationsLetOneWinAndKeepTheGrace(t *testing.T) {
	e := newEnv(t)
	app := e.create("A", partners.ScopeUsersRead)
	log := slog.New(slog.DiscardHandler)
	together := newReadTogether(e.apps)
	m := partners.NewManage(e.cfg, together, callers{}, e.rules, e.clock, e.activities, log)
	type result struct {
		c   partners.Credentials
		err error
	}
	results := make(chan result, 2)
	for range 2 {
		go func() {
			c, err := m.RotateSecret(as(ports.RoleAdmin), app.App.ID)
			results <- result{c, err}
		}()
	}
	var won []partners.Credentials
	for range 2 {
		r := <-results
		if r.err == nil {
			won = append(won, r.c)
			continue
		}
		require.Equal(t, ports.CodeConflict, ports.ErrorCodeOf(r.err))
		var pe *ports.Error
		require.ErrorAs(t, r.err, &pe)
		require.Equal(t, partners.ReasonSecretRotated, pe.Reason)
	}
	require.Len(t, won, 1, "both rotations were told they won")
	// The winner's secret and, for its grace period, the one it replaced.
	for _, secret := range []string{won[0].Secret, app.Secret} {
		_, err := e.issuer.Issue(from("203.0.113.10"), partners.TokenRequest{ClientID: app.App.ID.String(),
			ClientSecret: secret})
		require.NoError(t, err)
	}
}
