package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/netip"
	"net/url"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/adapters/geoip/geoiptest"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/perimeter"
)

const (
	mCreateRestriction = `mutation($input: CreateRestrictionInput!) { createRestriction(input: $input) { id scope value category state code } }`
	mUpdateRestriction = `mutation($input: UpdateRestrictionInput!) { updateRestriction(input: $input) { id state } }`
	mDeleteRestriction = `mutation($input: DeleteRestrictionInput!) { deleteRestriction(input: $input) }`
	mCreateWhitelink   = `mutation($s: Int!) { createWhitelink(input: {expiresIn: $s}) { token header expiresAt } }`
	qRestrictions      = `query($after: String) { restrictions(first: 2, after: $after) { edges { cursor node { id value } } pageInfo { hasNextPage endCursor } } }`
)

// behindProxy is a harness whose test client (127.0.0.1) is the trusted
// load balancer: X-Forwarded-For names the client.
func behindProxy(c *app.Config) {
	c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
}

// postWith posts one GraphQL request with extra headers (X-Forwarded-For,
// the whitelink).
func (h *harness) postWith(headers map[string]string, token, query string, vs map[string]any) gqlResponse {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vs})
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		h.t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return out
}

func from(ip string) map[string]string { return map[string]string{"X-Forwarded-For": ip} }

// fence is what a refused client sees: extensions code, reason and
// restrictionCode ("" and 0 when it passed).
type fence struct {
	code, reason string
	rc           int
}

func fenceOf(r gqlResponse) fence {
	if len(r.Errors) == 0 {
		return fence{}
	}
	e := r.Errors[0].Extensions
	reason, _ := e["reason"].(string)
	rc, _ := e["restrictionCode"].(float64)
	return fence{r.code(), reason, int(rc)}
}

// restrict creates a restriction as staff and returns its id.
func (h *harness) restrict(token, scope, value, category string, code int) string {
	h.t.Helper()
	var out struct{ CreateRestriction struct{ ID string } }
	h.ok(token, mCreateRestriction, in("scope", scope, "value", value, "category", category, "code", code), &out)
	return out.CreateRestriction.ID
}

// restrictHolding is restrict for a rule that refuses the staff member's
// own address: only one presenting a whitelink may make it (SELF_LOCKOUT
// otherwise).
func (h *harness) restrictHolding(link, token, scope, value, category string, code int) {
	h.t.Helper()
	r := h.postWith(map[string]string{perimeter.WhitelinkHeader: link}, token, mCreateRestriction,
		in("scope", scope, "value", value, "category", category, "code", code))
	if len(r.Errors) > 0 {
		h.t.Fatalf("create a restriction holding a whitelink: %+v", r.Errors)
	}
}

// seen waits (at most a second, the promise) until the client at headers
// gets want for query.
func (h *harness) seen(what string, headers map[string]string, token, query string, want fence) {
	h.t.Helper()
	start := time.Now()
	for {
		got := fenceOf(h.postWith(headers, token, query, nil))
		if got == want {
			return
		}
		if time.Since(start) > time.Second {
			h.t.Fatalf("%s: got %+v, want %+v within a second", what, got, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

var passes = fence{}

func TestRestrictionsRefuseAddressesAndIPv6Subnets(t *testing.T) {
	t.Parallel()
	h := newHarness(t, behindProxy)
	admin := h.staff("ADMIN", "+447911128001")
	h.restrict(admin.token, "IP", "203.0.113.7", "BLACKLIST", 4031)
	h.seen("the blacklisted address", from("203.0.113.7"), "", qServerInfo,
		fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4031})
	h.seen("its neighbour", from("203.0.113.8"), "", qServerInfo, passes)

	h.restrict(admin.token, "IP_SUBNET", "2001:db8:abcd::/48", "BLACKLIST", 4032)
	h.seen("an address of the IPv6 subnet", from("2001:db8:abcd:12::1"), "", qServerInfo,
		fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4032})
	h.seen("an address beside it", from("2001:db8:abce::1"), "", qServerInfo, passes)

	// A client cannot name itself: the proxy appends the address it saw,
	// and that rightmost entry is the one judged.
	h.seen("a spoofed first hop", from("198.51.100.1, 203.0.113.7"), "", qServerInfo,
		fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4031})

	// Bad values are VALIDATION_FAILED with the field named.
	r := h.post(admin.token, mCreateRestriction, in("scope", "IP_SUBNET", "value", "10.1.2.3/8", "category", "BLACKLIST", "code", 1))
	must(t, r.code() == "VALIDATION_FAILED" && r.Errors[0].Extensions["fields"].(map[string]any)["value"] != nil,
		"host bits in a subnet: %+v", r.Errors)
	r = h.post(admin.token, mCreateRestriction, in("scope", "IP", "value", "203.0.113.7", "category", "BLACKLIST", "code", 1))
	must(t, r.code() == "CONFLICT", "the same rule twice: %+v", r.Errors)
	// A member may not touch them.
	member := h.staff("MEMBER", "+447911128002")
	h.fails(member.token, mCreateRestriction, in("scope", "ALL", "value", "", "category", "MAINTENANCE", "code", 1), "FORBIDDEN")
	h.fails(member.token, qRestrictions, nil, "FORBIDDEN")
}

func TestForwardedForCountsOnlyFromTrustedProxies(t *testing.T) {
	t.Parallel()
	h := newHarness(t) // no trusted proxy: the peer is the client
	admin := h.staff("ADMIN", "+447911128011")
	links := whitelink(h, admin.token, 600)
	h.restrict(admin.token, "IP", "203.0.113.7", "BLACKLIST", 4041)
	r := h.postWith(nil, admin.token, mCreateRestriction, in("scope", "IP", "value", "127.0.0.1", "category", "BLACKLIST", "code", 4042))
	must(t, fenceOf(r) == fence{"CONFLICT", "SELF_LOCKOUT", 0}, "blacklisting one's own address: %+v", r.Errors)
	h.restrictHolding(links, admin.token, "IP", "127.0.0.1", "BLACKLIST", 4042)
	// The header names a blacklisted address: ignored, the peer is judged.
	h.seen("the peer behind a forged header", from("198.51.100.1"), "", qServerInfo,
		fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4042})
	// And a forged header does not get the peer out either.
	hdr := from("203.0.113.9")
	hdr[perimeter.WhitelinkHeader] = links
	h.seen("the admin with a whitelink", hdr, admin.token, qServerInfo, passes)
	var del struct{ DeleteRestriction bool }
	var list struct {
		Restrictions struct {
			Edges []struct{ Node struct{ ID, Value string } }
		}
	}
	mustOK(t, h.postWith(hdr, admin.token, qRestrictions, nil), &list)
	for _, e := range list.Restrictions.Edges {
		if e.Node.Value == "127.0.0.1" {
			mustOK(t, h.postWith(hdr, admin.token, mDeleteRestriction, in("id", e.Node.ID)), &del)
		}
	}
	must(t, del.DeleteRestriction, "the peer's rule was not deleted")
	h.seen("a forged header naming a blacklisted address", from("203.0.113.7"), "", qServerInfo, passes)
}

func mustOK(t *testing.T, r gqlResponse, dst any) {
	t.Helper()
	must(t, len(r.Errors) == 0, "errors: %+v", r.Errors)
	must(t, json.Unmarshal(r.Data, dst) == nil, "decode %s", r.Data)
}

func whitelink(h *harness, token string, seconds int) string {
	h.t.Helper()
	var out struct {
		CreateWhitelink struct {
			Token, Header string
			ExpiresAt     time.Time
		}
	}
	h.ok(token, mCreateWhitelink, vars("s", seconds), &out)
	must(h.t, out.CreateWhitelink.Header == perimeter.WhitelinkHeader && out.CreateWhitelink.Token != "",
		"whitelink %+v", out.CreateWhitelink)
	return out.CreateWhitelink.Token
}

// TestCountryRulesUseTheGeolocationDatabase: a test database built with
// mmdbwriter places 81.2.69.0/24 in GB and 2.125.160.0/20 in DE; a
// whitelist of GB lets only British clients in (whitelist-only mode).
func TestCountryRulesUseTheGeolocationDatabase(t *testing.T) {
	t.Parallel()
	db := geoiptest.Write(t,
		geoiptest.Network{CIDR: "81.2.69.0/24", Country: "GB", Continent: "EU"},
		geoiptest.Network{CIDR: "2.125.160.0/20", Country: "DE", Continent: "EU"},
		geoiptest.Network{CIDR: "2001:db8:1::/48", Country: "JP", Continent: "AS"})
	h := newHarness(t, behindProxy, func(c *app.Config) { c.GeoIPDB = db })
	admin := h.staff("ADMIN", "+447911128021")
	link := whitelink(h, admin.token, 600)

	h.restrict(admin.token, "COUNTRY", "de", "BLACKLIST", 4901)
	h.seen("a German client", from("2.125.160.216"), "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4901})
	h.seen("a British client", from("81.2.69.160"), "", qServerInfo, passes)
	h.restrict(admin.token, "CONTINENT", "AS", "BLACKLIST", 4902)
	h.seen("an Asian IPv6 client", from("2001:db8:1::9"), "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4902})

	// Whitelist-only: once a whitelist exists, only its clients pass; the
	// admin's own address is not on it and needs the whitelink.
	h.restrictHolding(link, admin.token, "COUNTRY", "GB", "WHITELIST", 4903)
	h.seen("an unknown client under a whitelist", from("203.0.113.7"), "", qServerInfo,
		fence{"ACCESS_RESTRICTED", "NOT_WHITELISTED", 0})
	h.seen("the admin without the whitelink", nil, admin.token, qServerInfo,
		fence{"ACCESS_RESTRICTED", "NOT_WHITELISTED", 0})
	h.seen("a British client under the whitelist", from("81.2.69.160"), "", qServerInfo, passes)
	h.seen("the admin with the whitelink", map[string]string{perimeter.WhitelinkHeader: link}, admin.token, qServerInfo, passes)
}

func TestGeolocationDatabaseThatIsNoneIsAConfigError(t *testing.T) {
	_, err := app.Load(func(k string) string {
		return map[string]string{"GATEHOUSE_ENV": "dev", "GATEHOUSE_GEOIP_DB": "/nonexistent/country.mmdb"}[k]
	})
	must(t, err != nil && bytes.Contains([]byte(err.Error()), []byte("GATEHOUSE_GEOIP_DB")), "config error: %v", err)
}

func TestMaintenanceLetsStaffThrough(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911128031")
	member := h.staff("MEMBER", "+447911128032")
	support := h.staff("SUPPORT", "+447911128033")
	id := h.restrict(admin.token, "ALL", "", "MAINTENANCE", 5031)
	h.seen("an anonymous client", nil, "", qServerInfo, fence{"MAINTENANCE", "MAINTENANCE", 5031})
	h.seen("a member", nil, member.token, qMe, fence{"MAINTENANCE", "MAINTENANCE", 5031})
	h.seen("support staff", nil, support.token, qMe, passes)
	h.seen("the admin", nil, admin.token, qRestrictions, passes)
	// Disabling the rule ends the maintenance.
	var up struct{ UpdateRestriction struct{ State string } }
	h.ok(admin.token, mUpdateRestriction, in("id", id, "state", "DISABLED"), &up)
	h.seen("a member after maintenance", nil, member.token, qMe, passes)
}

func TestBlockLoginLeavesSignedInUsersWorking(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911128041")
	member := h.staff("MEMBER", "+447911128042")
	h.restrict(admin.token, "ALL", "", "BLOCKLOGIN", 4051)
	h.seen("a sign-up", nil, "", `mutation { startPhoneSignup(input: {phone: "+447911128043"}) { id } }`,
		fence{"ACCESS_RESTRICTED", "LOGIN_BLOCKED", 4051})
	h.seen("a sign-in", nil, "", `mutation { signInWithPin(input: {phone: "+447911128042", pin: "135792", deviceId: "d"}) { status } }`,
		fence{"ACCESS_RESTRICTED", "LOGIN_BLOCKED", 4051})
	h.seen("the signed-in member", nil, member.token, qMe, passes)
	h.seen("an anonymous read", nil, "", qServerInfo, passes)
}

func TestWhitelinkPassesUntilItExpires(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911128051")
	super := h.staff("SUPERADMIN", "+447911128052")
	superLink := whitelink(h, super.token, 3600)
	link := whitelink(h, admin.token, 300)
	h.restrictHolding(link, admin.token, "ALL", "", "BLACKLIST", 4061)
	h.seen("everyone", nil, "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4061})
	with := map[string]string{perimeter.WhitelinkHeader: link}
	h.seen("the whitelink's holder", with, "", qServerInfo, passes)
	forged := map[string]string{perimeter.WhitelinkHeader: link[:len(link)-3] + "AAA"}
	h.seen("a forged whitelink", forged, "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4061})
	h.clock.Advance(299 * time.Second)
	h.seen("the whitelink a second before it expires", with, "", qServerInfo, passes)
	h.clock.Advance(time.Second)
	h.seen("the expired whitelink", with, "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4061})
	r := h.postWith(map[string]string{}, admin.token, mCreateWhitelink, vars("s", 30))
	must(t, fenceOf(r).code == "ACCESS_RESTRICTED", "the admin is fenced too: %+v", r.Errors)

	// Each change is in the audit trail, with its reason; the token is not.
	var wl struct{ CreateWhitelink struct{ Token string } }
	row := h.audited("createWhitelink", func() {
		mustOK(t, h.postWith(map[string]string{perimeter.WhitelinkHeader: superLink}, super.token, `mutation { createWhitelink(input: {expiresIn: 60, reason: "visit 12"}) { token } }`, nil), &wl)
	})
	must(t, row.AdminID == super.id && row.Reason == "visit 12" && row.Result == "SUCCEEDED", "audit row %+v", row)
	var leaks int
	err := h.db.NewRaw(`SELECT count(*) FROM admin_activities WHERE input::text LIKE ? OR input::text LIKE ?`,
		"%"+superLink+"%", "%"+wl.CreateWhitelink.Token+"%").Scan(context.Background(), &leaks)
	must(t, err == nil && leaks == 0, "whitelink tokens in the audit trail: %d (%v)", leaks, err)
	must(t, len(h.adminRows("createRestriction")) == 1, "createRestriction not audited")
	// Nor are they in the logs (captured at debug level), whole or in part.
	logs := h.logs.String()
	must(t, strings.Contains(logs, "root=createWhitelink"), "operation log lines missing")
	for _, tok := range []string{link, superLink, wl.CreateWhitelink.Token} {
		must(t, !strings.Contains(logs, tok[len(tok)-16:]), "a whitelink token is in the logs")
	}
}

// TestRestrictionChangeReachesAnotherInstance runs two Gatehouses on one
// database: a rule made through the first refuses on the second within a
// second, and its removal lets the client back in as fast.
func TestRestrictionChangeReachesAnotherInstance(t *testing.T) {
	t.Parallel()
	a := newHarness(t, behindProxy)
	b := newHarness(t, behindProxy, func(c *app.Config) { c.DatabaseURL = a.cfg.DatabaseURL })
	admin := a.staff("ADMIN", "+447911128061")
	b.seen("the client before the rule", from("203.0.113.50"), "", qServerInfo, passes)
	id := a.restrict(admin.token, "IP_SUBNET", "203.0.113.0/26", "BLACKLIST", 4071)
	b.seen("the client on instance B", from("203.0.113.50"), "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4071})
	var del struct{ DeleteRestriction bool }
	a.ok(admin.token, mDeleteRestriction, in("id", id), &del)
	must(t, del.DeleteRestriction, "not deleted")
	b.seen("the client on B after the delete", from("203.0.113.50"), "", qServerInfo, passes)
}

// TestRestrictionsAddNoStatement: with 1,000 restrictions loaded, a
// member's me runs the same statements as with none, and none of them
// reads the restrictions.
func TestRestrictionsAddNoStatement(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	var gate *perimeter.Gate
	h := newHarnessWith(t, []fx.Option{logStatements(log), fx.Populate(&gate)}, func(c *app.Config) {
		c.SessionCacheTTL = 0 // the cold path: the same statements every time
	})
	member := h.staff("MEMBER", "+447911128071")
	const q = `{ me { id phone role } }`
	var me struct{ Me struct{ ID string } }
	h.ok(member.token, q, nil, &me)
	before := log.during(func() { h.ok(member.token, q, nil, &me) })

	_, err := h.db.ExecContext(context.Background(), `INSERT INTO restrictions (id, scope, value, category, state, code)
		SELECT gen_random_uuid(), 'IP', '198.18.' || (i / 256) || '.' || (i % 256), 'BLACKLIST', 'ENABLED', i
		FROM generate_series(1, 1000) AS i`)
	must(t, err == nil, "insert restrictions: %v", err)
	within(t, "the gate loads 1,000 rules", time.Now(), func() bool { return gate.Count() == 1000 })

	after := log.during(func() { h.ok(member.token, q, nil, &me) })
	must(t, touching(after, "restrictions") == 0, "me read the restrictions: %v", after)
	must(t, len(after) == len(before), "me ran %d statements with 1,000 restrictions, %d with none:\n%v\n%v",
		len(after), len(before), after, before)
}

// BenchmarkMeRestricted is BenchmarkMe with the 1,000 restrictions
// loaded (none matching the client, so every index is consulted): compare
// it with BenchmarkMe for what the perimeter adds to a request.
func BenchmarkMeRestricted(b *testing.B) {
	var gate *perimeter.Gate
	h := newHarnessWith(b, []fx.Option{fx.Populate(&gate)}, func(c *app.Config) {
		c.Argon2MemoryKiB, c.Argon2Iterations, c.Argon2Parallelism = 64*1024, 1, 2
		c.SignInsPerMinute, c.StatusChecksPerMinute = 1000000, 1000000
		c.LogLevel = slog.LevelInfo
	})
	a := h.signUp("+447911123501", "4831", "bench-device")
	_, err := h.db.ExecContext(context.Background(), `INSERT INTO restrictions (id, scope, value, category, state, code)
		SELECT gen_random_uuid(), CASE WHEN i % 2 = 0 THEN 'IP' ELSE 'IP_SUBNET' END,
			CASE WHEN i % 2 = 0 THEN '198.18.' || (i / 256) || '.' || (i % 256)
			ELSE '10.' || (i / 256) || '.' || (i % 256) || '.0/24' END, 'BLACKLIST', 'ENABLED', i
		FROM generate_series(1, 1000) AS i`)
	if err != nil {
		b.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); gate.Count() != 1000; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatalf("the gate holds %d rules", gate.Count())
		}
	}
	b.ReportMetric(float64(runtime.NumCPU()), "cores")
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := h.post(a.AccessToken, `{ me { id phone hasPin } }`, nil)
			if len(r.Errors) > 0 {
				b.Errorf("me failed: %+v", r.Errors)
				return
			}
		}
	})
}

// TestTokenEndpointIsBehindThePerimeter: the OAuth2 token endpoint hands
// out credentials, so a BLOCKLOGIN rule refuses it as it refuses sign-in
// (403, JSON with the rule's code), and a whitelink lets its holder reach
// it.
func TestTokenEndpointIsBehindThePerimeter(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911128081")
	link := whitelink(h, admin.token, 600)
	h.restrict(admin.token, "ALL", "", "BLOCKLOGIN", 4081)
	h.seen("a sign-in", nil, "", `mutation { signInWithPin(input: {phone: "+447911128082", pin: "135792", deviceId: "d"}) { status } }`,
		fence{"ACCESS_RESTRICTED", "LOGIN_BLOCKED", 4081})
	token := func(headers map[string]string) (int, map[string]any) {
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/oauth2/token",
			strings.NewReader("grant_type=client_credentials&client_id=nobody&client_secret=nothing"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res, err := h.srv.Client().Do(req)
		must(t, err == nil, "post: %v", err)
		defer res.Body.Close()
		var body map[string]any
		must(t, json.NewDecoder(res.Body).Decode(&body) == nil, "decode the token answer")
		return res.StatusCode, body
	}
	status, body := token(nil)
	must(t, status == http.StatusForbidden && body["code"] == "ACCESS_RESTRICTED" && body["reason"] == "LOGIN_BLOCKED" &&
		body["restrictionCode"] == float64(4081), "refused token request: %d %v", status, body)
	status, body = token(map[string]string{perimeter.WhitelinkHeader: link})
	must(t, body["error"] == "invalid_client" && body["code"] == nil, "with the whitelink: %d %v", status, body)
}

// TestKycFileLinksAreBehindThePerimeter: a signed KYC file link is a
// bearer capability, so one that leaks must not open the documents to a
// network staff shut out: BLACKLIST (and WHITELIST) judge the file route
// too. MAINTENANCE does not: the link was issued moments ago to someone
// who passed it (staff reviewing during maintenance), and the browser
// fetching it carries no token to prove who that was.
func TestKycFileLinksAreBehindThePerimeter(t *testing.T) {
	t.Parallel()
	h := newHarness(t, behindProxy)
	admin := h.staff("ADMIN", "+447911128091")
	compliance := h.staff("COMPLIANCE", "+447911128092")
	a := h.signUp("+447911128093", "4831", "device-A")
	var d struct{ UploadKycDocument gqlDocument }
	h.uploadOK(a.AccessToken, mUploadDocument, vars("input", map[string]any{"type": "RESIDENCE_PERMIT", "number": "RP-91"}), &d,
		file("variables.input.front", "permit.png", pngBytes(t, 64, 64, 120)))
	var u struct {
		User *struct{ Documents []gqlDocument }
	}
	h.ok(compliance.token, `query($id: ID!) { user(id: $id) { documents { `+documentFields+` } } }`, vars("id", a.User.ID), &u)
	must(t, u.User != nil && len(u.User.Documents) == 1 && u.User.Documents[0].Front.URL != nil, "compliance view: %+v", u.User)
	link := *u.User.Documents[0].Front.URL
	get := func(headers map[string]string) int {
		lu, _ := url.Parse(link)
		req, _ := http.NewRequest(http.MethodGet, h.srv.URL+lu.RequestURI(), nil)
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res, err := h.srv.Client().Do(req)
		must(t, err == nil, "get: %v", err)
		defer res.Body.Close()
		_, _ = io.Copy(io.Discard, res.Body)
		return res.StatusCode
	}
	must(t, get(from("203.0.113.91")) == http.StatusOK, "the link before any rule")

	h.restrict(admin.token, "IP", "203.0.113.91", "BLACKLIST", 4091)
	h.seen("the blacklisted client", from("203.0.113.91"), "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4091})
	must(t, get(from("203.0.113.91")) == http.StatusForbidden, "the link from the blacklisted network is refused")
	must(t, get(from("203.0.113.92")) == http.StatusOK, "the link from elsewhere still works")

	h.restrict(admin.token, "ALL", "", "MAINTENANCE", 5091)
	h.seen("maintenance", from("203.0.113.92"), "", qServerInfo, fence{"MAINTENANCE", "MAINTENANCE", 5091})
	must(t, get(from("203.0.113.92")) == http.StatusOK, "the link during maintenance")
	must(t, get(from("203.0.113.91")) == http.StatusForbidden, "the blacklist during maintenance")
}

// TestUploadsFromRefusedNetworksAreNotRead: a multipart body is read (its
// files spooled, an upload slot held) before the operation runs; a client
// the restrictions refuse is answered before any of it, so a blacklisted
// network cannot hold the upload slots and disk that the users' KYC and
// PIN-reset uploads need. The body here never ends: only an answer given
// before reading it comes back.
func TestUploadsFromRefusedNetworksAreNotRead(t *testing.T) {
	t.Parallel()
	h := newHarness(t, behindProxy)
	admin := h.staff("ADMIN", "+447911128101")
	h.restrict(admin.token, "IP_SUBNET", "203.0.113.0/24", "BLACKLIST", 4101)
	h.seen("the blacklisted client", from("203.0.113.101"), "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4101})

	pr, pw := io.Pipe()
	defer pw.Close()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("operations", `{"query":"mutation($f: Upload!) { uploadSelfie(input: {file: $f}) { id } }","variables":{"f":null}}`)
		_ = mw.WriteField("map", `{"0":["variables.f"]}`)
		fw, err := mw.CreateFormFile("0", "selfie.png")
		if err != nil {
			return // the test ended and closed the pipe first (a loaded machine)
		}
		_, _ = fw.Write(make([]byte, 1024)) // and never more, never the end
	}()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", pr)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Forwarded-For", "203.0.113.101")
	type answer struct {
		res *http.Response
		err error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := h.srv.Client().Do(req)
		got <- answer{res, err}
	}()
	var a answer
	select {
	case a = <-got:
	case <-time.After(5 * time.Second):
		// Cut the connection, or the server would read the body forever.
		h.srv.CloseClientConnections()
		t.Fatal("the refused upload was not answered before its body ended")
	}
	must(t, a.err == nil, "post: %v", a.err)
	defer a.res.Body.Close()
	var out gqlResponse
	must(t, json.NewDecoder(a.res.Body).Decode(&out) == nil, "decode the answer (HTTP %d)", a.res.StatusCode)
	must(t, fenceOf(out) == fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4101}, "the refused upload: %+v", out.Errors)
}

// TestTokenRequestsFromRefusedNetworksAreNotRead: the token endpoint's
// refusal is answered without reading the body first (net/http would
// otherwise drain it before answering), so a refused client cannot hold
// a connection by never finishing one.
func TestTokenRequestsFromRefusedNetworksAreNotRead(t *testing.T) {
	t.Parallel()
	h := newHarness(t, behindProxy)
	admin := h.staff("ADMIN", "+447911128111")
	h.restrict(admin.token, "IP", "203.0.113.111", "BLACKLIST", 4111)
	h.seen("the blacklisted client", from("203.0.113.111"), "", qServerInfo, fence{"ACCESS_RESTRICTED", "BLACKLISTED", 4111})

	pr, pw := io.Pipe()
	defer pw.Close()
	go func() { _, _ = pw.Write([]byte("grant_type=client_credentials&client_id=")) }() // and never the end
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/oauth2/token", pr)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", "203.0.113.111")
	type answer struct {
		res *http.Response
		err error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := h.srv.Client().Do(req)
		got <- answer{res, err}
	}()
	var a answer
	select {
	case a = <-got:
	case <-time.After(5 * time.Second):
		h.srv.CloseClientConnections()
		t.Fatal("the refused token request was not answered before its body ended")
	}
	must(t, a.err == nil, "post: %v", a.err)
	defer a.res.Body.Close()
	var body map[string]any
	must(t, json.NewDecoder(a.res.Body).Decode(&body) == nil, "decode the answer")
	must(t, a.res.StatusCode == http.StatusForbidden && body["reason"] == "BLACKLISTED", "answer: %d %v", a.res.StatusCode, body)
}
