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

// warm uses token on the instances until each holds it, so what follows
// tests the cache, not the database. (The notifications of the sign-up's
// own changes may still be on their way and drop a first entry: the
// token is used again until they are all in.)
func warm(t *testing.T, token string, pairs ...cachedInstance) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		held := true
		for _, p := range pairs {
			if c := p.h.post(token, qMeRole, nil).code(); c != "" {
				t.Fatalf("me before the change: %s", c)
			}
			held = held && p.c.Len() > 0
		}
		if held {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("the token is not cached")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// cachedInstance is a harness with its session cache.
type cachedInstance struct {
	h *harness
	c *identity.SessionCache
}

// TestSignOutReachesAnotherInstanceWithinASecond is the test: a
// token used (and cached) on two instances, signed out on one, is refused
// on the other within a second.
func TestSignOutReachesAnotherInstanceWithinASecond(t *testing.T) {
	t.Parallel()
	a, b, ca, cb := cachedPair(t)
	user := a.signUp("+447911131001", "258025", "phone-1")
	warm(t, user.AccessToken, cachedInstance{a, ca}, cachedInstance{b, cb})

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
	warm(t, member.AccessToken, cachedInstance{a, ca}, cachedInstance{b, cb})
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
	warm(t, banned.AccessToken, cachedInstance{a, ca}, cachedInstance{b, cb})
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

// TestSessionCacheFailsClosedWhenItsConnectionFreezes: a listening
// connection that stops answering, with no error (bytes no longer
// forwarded), is found out by the listener's pings: within a second the
// cache empties itself and is bypassed, so no request is answered from
// memory while a revocation could go unheard. Once the database answers
// again the cache listens and serves again.
func TestSessionCacheFailsClosedWhenItsConnectionFreezes(t *testing.T) {
	t.Parallel()
	var cache *identity.SessionCache
	var proxy *dbProxy
	h := newHarnessWith(t, []fx.Option{fx.Populate(&cache)}, func(c *app.Config) {
		proxy, c.DatabaseURL = newDBProxy(t, c.DatabaseURL)
	})
	waitLive := func(what string) {
		for deadline := time.Now().Add(20 * time.Second); !cache.Live(); {
			if time.Now().After(deadline) {
				t.Fatalf("the session cache does not listen %s", what)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	waitLive("at start")
	user := h.signUp("+447911131021", "258025", "phone-4")
	warm(t, user.AccessToken, cachedInstance{h, cache})

	proxy.freeze()
	start := time.Now()
	within(t, "the cache is bypassed and empty", start, func() bool { return !cache.Live() && cache.Len() == 0 })
	proxy.unfreeze()
	waitLive("after the database came back")
	warm(t, user.AccessToken, cachedInstance{h, cache})
}
