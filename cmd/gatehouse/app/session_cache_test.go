package app_test

import (
	"encoding/json"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/identity"
)

const qMeRole = `{ me { id role state } }`

// cachedPair starts two Gatehouses on one database with one signing key
// (a token of one is good on the other), and returns their session
// caches once both listen.
func cachedPair(t *testing.T) (a, b *harness, ca, cb *identity.SessionCache) {
	t.Helper()
	a = newHarnessWith(t, []fx.Option{fx.Populate(&ca)})
	b = newHarnessWith(t, []fx.Option{fx.Populate(&cb)}, func(c *app.Config) {
		c.DatabaseURL, c.SigningKeyFile = a.cfg.DatabaseURL, a.cfg.SigningKeyFile
	})
	for deadline := time.Now().Add(10 * time.Second); !ca.Live() || !cb.Live(); {
		if time.Now().After(deadline) {
			t.Fatalf("the session caches do not listen: a %v, b %v", ca.Live(), cb.Live())
		}
		time.Sleep(10 * time.Millisecond)
	}
	return a, b, ca, cb
}

// warm uses token on both instances and checks that each now holds it,
// so what follows tests the cache, not the database.
func warm(t *testing.T, a, b *harness, ca, cb *identity.SessionCache, token string) {
	t.Helper()
	for _, h := range []*harness{a, b, a, b} {
		if c := h.post(token, qMeRole, nil).code(); c != "" {
			t.Fatalf("me before the change: %s", c)
		}
	}
	must(t, ca.Len() > 0 && cb.Len() > 0, "the token is not cached: a %d, b %d", ca.Len(), cb.Len())
}

// TestSignOutReachesAnotherInstanceWithinASecond is the test: a
// token used (and cached) on two instances, signed out on one, is refused
// on the other within a second.
func TestSignOutReachesAnotherInstanceWithinASecond(t *testing.T) {
	t.Parallel()
	a, b, ca, cb := cachedPair(t)
	user := a.signUp("+447911131001", "258025", "phone-1")
	warm(t, a, b, ca, cb, user.AccessToken)

	var out struct{ SignOut bool }
	a.ok(user.AccessToken, mSignOut, nil, &out)
	start := time.Now()
	// The instance that signed out refuses at once.
	a.fails(user.AccessToken, qMeRole, nil, "UNAUTHENTICATED")
	within(t, "instance B refuses the signed-out token", start, func() bool {
		return b.post(user.AccessToken, qMeRole, nil).code() == "UNAUTHENTICATED"
	})
}

// TestStaffBanAndRoleChangeReachAnotherInstanceWithinASecond: a ban and a
// role change made by staff on one instance apply on the other within a
// second, though the user's token sits in its cache.
func TestStaffBanAndRoleChangeReachAnotherInstanceWithinASecond(t *testing.T) {
	t.Parallel()
	a, b, ca, cb := cachedPair(t)
	admin := a.staff("ADMIN", "+447911131011")

	// A role change: the cached snapshot on B must not keep the old role.
	member := a.signUp("+447911131012", "258025", "phone-2")
	warm(t, a, b, ca, cb, member.AccessToken)
	role := func(h *harness) string {
		var me struct{ Me struct{ Role string } }
		r := h.post(member.AccessToken, qMeRole, nil)
		if len(r.Errors) > 0 || json.Unmarshal(r.Data, &me) != nil {
			return "error"
		}
		return me.Me.Role
	}
	must(t, role(b) == "MEMBER", "role on B before the change: %s", role(b))
	var changed struct{ SetUserRole struct{ ID, Role string } }
	a.ok(admin.token, mSetUserRole, vars("input", map[string]any{"userId": member.User.ID, "role": "SUPPORT",
		"reason": "joined support"}), &changed)
	start := time.Now()
	must(t, role(a) == "SUPPORT", "role on A right after the change: %s", role(a))
	within(t, "instance B reads the new role", start, func() bool { return role(b) == "SUPPORT" })

	// A ban: the cached session on B must be refused.
	banned := a.signUp("+447911131013", "258025", "phone-3")
	warm(t, a, b, ca, cb, banned.AccessToken)
	var set struct{ SetUserState struct{ ID, State string } }
	a.ok(admin.token, mSetUserState, vars("input", map[string]any{"userId": banned.User.ID, "state": "BANNED",
		"reason": "fraud"}), &set)
	start = time.Now()
	refused := func(h *harness) bool {
		c := h.post(banned.AccessToken, qMeRole, nil).code()
		return c == "UNAUTHENTICATED" || c == "ACCESS_RESTRICTED"
	}
	must(t, refused(a), "instance A still serves the banned user")
	within(t, "instance B refuses the banned user", start, func() bool { return refused(b) })
}
