package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/federation"
	"github.com/gatehouse/gatehouse/modules/federation/federationtest"
)

// freezeOn freezes the database proxy just before the first statement
// containing match goes out, once armed: the database stops answering in
// the middle of a use case.
type freezeOn struct {
	mu    sync.Mutex
	match string
	proxy *dbProxy
}

func (f *freezeOn) arm(match string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.match = match
}

func (f *freezeOn) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.match != "" && strings.Contains(e.Query, f.match) {
		f.match = ""
		f.proxy.freeze()
	}
	return ctx
}

func (f *freezeOn) AfterQuery(context.Context, *bun.QueryEvent) {}

// TestOIDCAttackDatabaseFrozenMidCompletion: the database stops answering
// in the middle of a provider sign-up (the user row written, the identity
// about to be) and of a link by email. The client is told UNAVAILABLE;
// nothing is half-written (no account without the identity that made it,
// no identity without its account); the state was spent (the client
// starts again, as documented) and the next attempt succeeds.
func TestOIDCAttackDatabaseFrozenMidCompletion(t *testing.T) {
	op := federationtest.NewOP(t)
	const stmt, lock, wait = time.Second, 500 * time.Millisecond, time.Second
	f := &freezeOn{}
	var direct string
	h := newHarnessWith(t, []fx.Option{fx.Decorate(func(db *bun.DB) *bun.DB { db.AddQueryHook(f); return db })},
		func(c *app.Config) {
			direct = c.DatabaseURL
			f.proxy, c.DatabaseURL = newDBProxy(t, c.DatabaseURL)
			c.SessionCacheTTL = 0
			c.DBStatementTimeout, c.DBLockTimeout, c.DBPoolWait = stmt, lock, wait
			c.OIDCProviders = []federation.Provider{{Name: oidcProvider, Issuer: op.URL, ClientID: op.ClientID,
				ClientSecret: federation.Secret(op.ClientSecret), RedirectURIs: []string{oidcRedirect}}}
		})
	db, err := postgres.Open(direct, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	count := func(q string, args ...any) int {
		t.Helper()
		n, err := db.NewRaw(q, args...).Exec(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := n.RowsAffected()
		return int(rows)
	}

	// A sign-up: frozen as the identity is inserted, after the user row.
	p := federationtest.Person{Subject: "frozen-1", Email: "frozen@example.com", EmailVerified: true}
	code, state := h.oidcAuthorize(op, "", mStartOIDC, p, "d1")
	f.arm(`INSERT INTO "federated_identities"`)
	a := h.try("", "", mCompleteOIDC, oidcVars(code, state, "d1", "", true))
	f.proxy.unfreeze()
	assertUnavailable(t, "a sign-up while the database froze", a)
	time.Sleep(stmt) // what the frozen connection had sent is over by now
	users := count(`SELECT id FROM users WHERE email = 'frozen@example.com'`)
	ids := count(`SELECT id FROM federated_identities WHERE subject = 'frozen-1'`)
	must(t, users == 0 && ids == 0, "half-written: %d users, %d identities", users, ids)
	h.refused("", mCompleteOIDC, oidcVars(code, state, "d1", "", true), "INVALID_CODE", federation.ReasonStateInvalid)
	res := h.oidcSignIn(op, p, "d1", "", true)
	must(t, res.Status == "SIGNED_IN", "the next attempt: %+v", res)
	must(t, count(`SELECT id FROM federated_identities WHERE subject = 'frozen-1'`) == 1, "the identity after")

	// A link by email: frozen as the identity is inserted.
	lea := h.emailUser("lea@example.com", strongPassword, "", "Lea", testDeviceLaptop)
	p = federationtest.Person{Subject: "frozen-2", Email: "lea@example.com", EmailVerified: true}
	code, state = h.oidcAuthorize(op, "", mStartOIDC, p, testDeviceLaptop)
	f.arm(`INSERT INTO "federated_identities"`)
	a = h.try("", "", mCompleteOIDC, oidcVars(code, state, testDeviceLaptop, lea.secret(), false))
	f.proxy.unfreeze()
	assertUnavailable(t, "a link by email while the database froze", a)
	time.Sleep(stmt)
	must(t, count(`SELECT id FROM federated_identities WHERE subject = 'frozen-2'`) == 0, "linked while the sign-in failed")
	res = h.oidcSignIn(op, p, testDeviceLaptop, lea.secret(), false)
	must(t, res.Status == "SIGNED_IN" && res.Auth.User.ID == lea.User.ID, "lea's next attempt: %+v", res)
}

// beforeOn runs do once, just before the first statement containing match
// goes out, once armed: another request's work lands between two of this
// one's statements.
type beforeOn struct {
	mu    sync.Mutex
	match string
	do    func()
}

func (b *beforeOn) arm(match string, do func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.match, b.do = match, do
}

func (b *beforeOn) BeforeQuery(ctx context.Context, e *bun.QueryEvent) context.Context {
	b.mu.Lock()
	do := b.do
	if b.match == "" || !strings.Contains(e.Query, b.match) {
		do = nil
	} else {
		b.match, b.do = "", nil
	}
	b.mu.Unlock()
	if do != nil {
		do()
	}
	return ctx
}

func (b *beforeOn) AfterQuery(context.Context, *bun.QueryEvent) {}

// TestOIDCAttackAccountDeletedWhileLinkedByEmail: the account a provider
// sign-in links to by email is deleted (or banned) between the sign-in
// reading it and taking its lock. The deletion removed the account's
// links; a link made after it would be an identity opening a deleted
// account, for ever refused and never free for a new account. Nothing is
// linked to an account that is no longer active.
func TestOIDCAttackAccountDeletedWhileLinkedByEmail(t *testing.T) {
	op := federationtest.NewOP(t)
	b := &beforeOn{}
	var direct string
	h := newHarnessWith(t, []fx.Option{fx.Decorate(func(db *bun.DB) *bun.DB { db.AddQueryHook(b); return db })},
		func(c *app.Config) {
			direct = c.DatabaseURL
			c.OIDCProviders = []federation.Provider{{Name: oidcProvider, Issuer: op.URL, ClientID: op.ClientID,
				ClientSecret: federation.Secret(op.ClientSecret), RedirectURIs: []string{oidcRedirect}}}
		})
	db, err := postgres.Open(direct, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	for _, state := range []string{"DELETED", "BANNED"} {
		email := strings.ToLower(state) + "@example.com"
		u := h.emailUser(email, strongPassword, "", "Del", testDeviceLaptop)
		p := federationtest.Person{Subject: "del-" + state, Email: email, EmailVerified: true}
		code, st := h.oidcAuthorize(op, "", mStartOIDC, p, testDeviceLaptop)
		b.arm("FOR NO KEY UPDATE", func() {
			if _, err := db.NewRaw(`UPDATE users SET state = ? WHERE id = ?`, state, u.User.ID).Exec(context.Background()); err != nil {
				t.Error(err)
			}
		})
		r := h.post("", mCompleteOIDC, oidcVars(code, st, testDeviceLaptop, u.secret(), false))
		must(t, r.code() == "ACCESS_RESTRICTED", "%s meanwhile: %+v", state, r.Errors)
		n, err := db.NewRaw(`SELECT id FROM federated_identities WHERE user_id = ?`, u.User.ID).Exec(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		linked, _ := n.RowsAffected()
		must(t, linked == 0, "an identity was linked to an account %s meanwhile", state)
	}
}
