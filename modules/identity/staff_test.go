package identity_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// TestCreateUserWithEmail: the operator's account is active with its
// password at once, takes the address from an unconfirmed sign-up, and
// never from a real account.
func TestCreateUserWithEmail(t *testing.T) {
	e := newEnv(t)
	const pw = "violet-Harbor-91-quiet"
	_, err := e.svc.Signup.SignUpWithEmail(e.ctx(), identity.EmailSignup{Email: "squat@example.com",
		Password: "another-Lantern-77-calm", AcceptTerms: true, DeviceKey: "d1"})
	require.NoError(t, err)

	u, created, err := e.svc.Staff.CreateUserWithEmail(e.ctx(), " Squat@Example.com ", "COMPLIANCE", pw)
	require.NoError(t, err)
	require.True(t, created)
	require.Equal(t, "squat@example.com", u.Email)
	stored, err := e.users.GetByEmail(e.ctx(), "squat@example.com")
	require.NoError(t, err)
	require.Equal(t, u.ID, stored.ID, "the unconfirmed sign-up kept the address")
	require.Equal(t, identity.StateActive, stored.State)
	require.Equal(t, "COMPLIANCE", stored.Role)
	require.True(t, stored.HasPassword)

	again, created, err := e.svc.Staff.CreateUserWithEmail(e.ctx(), "squat@example.com", "ADMIN", pw)
	require.NoError(t, err)
	require.False(t, created)
	require.Equal(t, u.ID, again.ID)
	require.Equal(t, "COMPLIANCE", again.Role, "an existing account changed role")

	for name, c := range map[string]struct{ email, role, pw, field string }{
		"bad email":       {"not-an-email", "ADMIN", pw, "email"},
		"unknown role":    {"x@example.com", "KING", pw, "role"},
		"common password": {"x@example.com", "ADMIN", "password123", "password"},
		"own email":       {"violet.harbor@example.com", "ADMIN", "violet.harbor@example.com", "password"},
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := e.svc.Staff.CreateUserWithEmail(e.ctx(), c.email, c.role, c.pw)
			var pe *ports.Error
			require.ErrorAs(t, err, &pe)
			require.Equal(t, ports.CodeValidationFailed, pe.Code)
			require.Contains(t, pe.Fields, c.field)
		})
	}
}
