package app_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"go.uber.org/fx"
)

// statementLog records the SQL statements the app runs for GraphQL
// operations; background work (the permission rows reloading when their
// watcher connects or hears a change) runs outside any operation and is
// not a request's statement.
type statementLog struct {
	mu    sync.Mutex
	stmts []string
}

func (l *statementLog) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context {
	return ctx
}

func (l *statementLog) AfterQuery(ctx context.Context, e *bun.QueryEvent) {
	if !graphql.HasOperationContext(ctx) {
		return
	}
	l.mu.Lock()
	l.stmts = append(l.stmts, e.Query)
	l.mu.Unlock()
}

// logStatements is the harness option that records every statement the
// app runs in log.
func logStatements(log *statementLog) fx.Option {
	return fx.Decorate(func(db *bun.DB) *bun.DB {
		db.AddQueryHook(log)
		return db
	})
}

// during returns the statements run while f ran.
func (l *statementLog) during(f func()) []string {
	l.mu.Lock()
	start := len(l.stmts)
	l.mu.Unlock()
	f()
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.stmts[start:]...)
}

func touching(stmts []string, table string) int {
	n := 0
	for _, s := range stmts {
		if strings.Contains(s, `"`+table+`"`) || strings.Contains(s, " "+table+" ") || strings.Contains(s, " "+table+"\n") {
			n++
		}
	}
	return n
}

// Nested accounts and portfolios are loaded in batches: a request costs
// the same number of statements for 1 portfolio as for 50, for the owner
// (me) and for staff (user(id)).
func TestNestedPortfoliosCostTheSameStatementsForOneOrFifty(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	// The cold path: with the session cache on, whether the viewer's
	// session is read would depend on what the cache holds.
	h := newHarnessWith(t, []fx.Option{logStatements(log)}, func(c *app.Config) {
		c.MaxPortfolios, c.SessionCacheTTL = 50, 0
	})
	compliance := h.staff("COMPLIANCE", "+447911124101")
	accountant := h.staff("ACCOUNTANT", "+447911124102")
	owner, _ := h.approvedUser("+447911124103", compliance, 41)

	var me struct {
		Me struct {
			Accounts []struct{ ID string }
		}
	}
	h.ok(owner.AccessToken, `query { me { accounts { id } } }`, nil, &me)
	must(t, len(me.Me.Accounts) == 1, "accounts: %+v", me.Me.Accounts)
	account := me.Me.Accounts[0].ID
	create := func(i int) {
		typ := "SAVINGS"
		if i%2 == 0 {
			typ = "TRADING"
		}
		var out struct{ CreatePortfolio struct{ ID string } }
		h.ok(owner.AccessToken, `mutation($in: CreatePortfolioInput!) { createPortfolio(input: $in) { id } }`,
			vars("in", map[string]any{"accountId": account, "name": fmt.Sprintf("P%02d", i), "type": typ}), &out)
	}

	const nested = `{ id accounts { id defaultPortfolio { id address } portfolios { id name type address } } }`
	measure := func(want int) (mine, staff []string) {
		var got struct {
			Me struct {
				Accounts []struct {
					Portfolios []struct{ Address string }
				}
			}
			User struct {
				Accounts []struct {
					Portfolios []struct{ Address string }
				}
			}
		}
		mine = log.during(func() { h.ok(owner.AccessToken, `query { me `+nested+` }`, nil, &got) })
		staff = log.during(func() {
			h.ok(accountant.token, `query($id: ID!) { user(id: $id) `+nested+` }`, vars("id", owner.User.ID), &got)
		})
		must(t, len(got.Me.Accounts[0].Portfolios) == want && len(got.User.Accounts[0].Portfolios) == want,
			"want %d portfolios, got %+v", want, got)
		return mine, staff
	}

	create(0)
	mineOne, staffOne := measure(1)
	for i := 1; i < 50; i++ {
		create(i)
	}
	mineFifty, staffFifty := measure(50)

	must(t, len(mineOne) == len(mineFifty), "me: %d statements for 1 portfolio, %d for 50:\n%s",
		len(mineOne), len(mineFifty), strings.Join(mineFifty, "\n"))
	must(t, len(staffOne) == len(staffFifty), "user(id): %d statements for 1 portfolio, %d for 50:\n%s",
		len(staffOne), len(staffFifty), strings.Join(staffFifty, "\n"))
	must(t, touching(mineFifty, "portfolios") == 1, "portfolios read %d times:\n%s",
		touching(mineFifty, "portfolios"), strings.Join(mineFifty, "\n"))
	t.Logf("me: %d statements; user(id): %d statements, for 1 and for 50 portfolios", len(mineFifty), len(staffFifty))
}

// A staff list of users asking every per-user field costs the same number
// of statements for a page of 20 as for a page of 50: each field is read
// for the whole page at once, not once per user.
func TestUserPageCostsTheSameStatementsForTwentyOrFifty(t *testing.T) {
	t.Parallel()
	log := &statementLog{}
	h := newHarnessWith(t, []fx.Option{logStatements(log)}, func(c *app.Config) { c.SessionCacheTTL = 0 }) // as above
	compliance := h.staff("COMPLIANCE", "+447911127001")
	var members []uuid.UUID
	for i := range 50 {
		u, _, _, err := h.ids.CreateUser(context.Background(), fmt.Sprintf("+4479111272%02d", i), "MEMBER")
		must(t, err == nil, "create member %d: %v", i, err)
		members = append(members, u.ID)
	}
	// The newest users, so on both pages: a full KYC picture each (profile,
	// passport, selfie, labels, phones), one with a data record too.
	h.clock.Advance(time.Minute)
	var rich []string
	var firstToken string
	for i := range 3 {
		a, _ := h.approvedUser(fmt.Sprintf("+4479111273%02d", i), compliance, uint64(60+i))
		rich = append(rich, a.User.ID)
		if i == 0 {
			firstToken = a.AccessToken
		}
	}
	var rec struct{ PutMyDataRecord struct{ Title string } }
	h.ok(firstToken, `mutation { putMyDataRecord(input: {title: "employer", data: {name: "ACME"}}) { title } }`, nil, &rec)

	const q = `query($n: Int!) { users(first: $n) { edges { node { id
		kycStatus kycRejectionReason profile { firstName lastName }
		labels { key value scope } phones { number verified }
		documents { type front { url } back { url } } selfie { image { url } }
		dataRecords { title } devices { deviceId push { token } } sessions { id device { deviceId } }
		recentActivity(first: 5) { action } } } } }`
	type node struct {
		ID        string
		KycStatus string
		Profile   *struct{ FirstName string }
		Labels    []struct{ Key, Value, Scope string }
		Phones    []struct{ Number string }
		Documents []struct {
			Type  string
			Front struct{ URL *string }
		}
		Selfie      *struct{ Image struct{ URL *string } }
		DataRecords []struct{ Title string }
		Devices     []struct {
			DeviceID string
			Push     *struct{ Token string }
		}
		Sessions []struct {
			ID     string
			Device struct{ DeviceID string }
		}
		RecentActivity []struct{ Action string }
	}
	page := func(n int) []string {
		var d struct {
			Users struct{ Edges []struct{ Node node } }
		}
		stmts := log.during(func() { h.ok(compliance.token, q, vars("n", n), &d) })
		must(t, len(d.Users.Edges) == n, "want %d users, got %d", n, len(d.Users.Edges))
		seen := 0
		for _, e := range d.Users.Edges {
			u := e.Node
			if u.ID == compliance.id {
				continue // signed in, and approving: not bare
			}
			if !slices.Contains(rich, u.ID) {
				must(t, u.KycStatus == "NONE" && u.Profile == nil && len(u.Documents) == 0 && u.Selfie == nil &&
					len(u.DataRecords) == 0 && len(u.Devices) == 0 && len(u.Sessions) == 0 && len(u.RecentActivity) == 1,
					"bare user: %+v", u)
				continue
			}
			seen++
			must(t, u.KycStatus == "APPROVED" && u.Profile != nil && u.Profile.FirstName == "Ada" &&
				len(u.Documents) == 1 && u.Documents[0].Type == "PASSPORT" && u.Documents[0].Front.URL != nil &&
				u.Selfie != nil && u.Selfie.Image.URL != nil && len(u.Phones) == 1 && len(u.Labels) > 0,
				"approved user: %+v", u)
			must(t, (len(u.DataRecords) == 1) == (u.ID == rich[0]), "data records of %s: %+v", u.ID, u.DataRecords)
			// Signed up on one device, with a session on it; staff see no
			// push token, and at most the 5 latest activities.
			must(t, len(u.Devices) == 1 && len(u.Sessions) >= 1 && u.Sessions[0].Device.DeviceID == u.Devices[0].DeviceID &&
				(u.Devices[0].Push == nil || u.Devices[0].Push.Token == "") && len(u.RecentActivity) == 5,
				"devices, sessions and activity of %s: %+v", u.ID, u)
		}
		must(t, seen == len(rich), "page of %d shows %d of the approved users", n, seen)
		return stmts
	}
	twenty, fifty := page(20), page(50)
	t.Logf("users(first: 20): %d statements; users(first: 50): %d statements", len(twenty), len(fifty))
	must(t, len(twenty) == len(fifty), "%d statements for 20 users, %d for 50:\n%s",
		len(twenty), len(fifty), strings.Join(fifty, "\n"))
	for _, table := range []string{"kyc_profiles", "kyc_submissions", "labels", "kyc_phones", "kyc_documents",
		"kyc_files", "data_records", "activities"} {
		must(t, touching(fifty, table) == 1, "%s read %d times:\n%s", table, touching(fifty, table),
			strings.Join(fifty, "\n"))
	}
	// The review queue announces its users too: their profiles and KYC
	// fields are read once for the page.
	var subs struct {
		KycSubmissions struct {
			Edges []struct {
				Node struct {
					Profile struct{ FirstName string }
					User    struct {
						KycStatus string
						Labels    []struct{ Key string }
					}
				}
			}
		}
	}
	queue := log.during(func() {
		h.ok(compliance.token, `{ kycSubmissions(filter: {status: APPROVED}, first: 10) { edges { node {
			profile { firstName } user { kycStatus labels { key } } } } } }`, nil, &subs)
	})
	must(t, len(subs.KycSubmissions.Edges) == len(rich), "approved submissions: %+v", subs)
	for _, e := range subs.KycSubmissions.Edges {
		must(t, e.Node.Profile.FirstName == "Ada" && e.Node.User.KycStatus == "APPROVED" && len(e.Node.User.Labels) > 0,
			"submission: %+v", e.Node)
	}
	for _, table := range []string{"kyc_profiles", "labels"} {
		must(t, touching(queue, table) == 1, "%s read %d times for the queue:\n%s", table, touching(queue, table),
			strings.Join(queue, "\n"))
	}

	seedQueues(t, h, members)
	queueCostsTheSameForTwentyOrFifty(t, h, log, compliance, members)
	resetsCostTheSameForTwentyOrFifty(t, h, log, compliance, members)
}

// seedQueues gives each member a passport and a selfie of their own
// (replaced already, so no live document changes), a PENDING submission
// of them, and a REJECTED PIN reset naming the passport and the selfie's
// file. The rows are written straight into the tables: the statements
// of the queues' reads are under test, not the uploads.
func seedQueues(t *testing.T, h *harness, members []uuid.UUID) {
	_, err := h.db.ExecContext(context.Background(), `WITH m AS (
			SELECT id, n FROM unnest(?::uuid[]) WITH ORDINALITY AS m(id, n)),
		f AS (INSERT INTO kyc_files (id, user_id, purpose, content_type, size, sha256, blob_key, created_at)
			SELECT gen_random_uuid(), m.id, p.purpose, 'image/jpeg', 1234, '\x07', 'seed/' || m.id || '/' || p.purpose, now()
			FROM m CROSS JOIN (VALUES ('DOCUMENT_FRONT'), ('SELFIE')) AS p(purpose)
			RETURNING id, user_id, purpose),
		d AS (INSERT INTO kyc_documents (id, user_id, type, number, front_file_id, created_at, replaced_at)
			SELECT gen_random_uuid(), f.user_id, CASE f.purpose WHEN 'SELFIE' THEN 'SELFIE' ELSE 'PASSPORT' END, 'P1',
				f.id, now(), now()
			FROM f RETURNING id, user_id, type, front_file_id),
		s AS (INSERT INTO kyc_submissions (id, user_id, status, country, document_id, selfie_id, submitted_at)
			SELECT gen_random_uuid(), m.id, 'PENDING', 'GB', pd.id, sd.id, now() + m.n * interval '1 second'
			FROM m JOIN d AS pd ON pd.user_id = m.id AND pd.type = 'PASSPORT'
			JOIN d AS sd ON sd.user_id = m.id AND sd.type = 'SELFIE')
		INSERT INTO pin_resets (id, user_id, ticket_hash, status, reason, document_id, selfie_file_id, expires_at,
			created_at, decided_at)
		SELECT gen_random_uuid(), m.id, uuid_send(gen_random_uuid()), 'REJECTED', 'blurred', pd.id, sd.front_file_id,
			now() + interval '1 hour', now() + m.n * interval '1 second', now() + m.n * interval '1 second'
		FROM m JOIN d AS pd ON pd.user_id = m.id AND pd.type = 'PASSPORT'
		JOIN d AS sd ON sd.user_id = m.id AND sd.type = 'SELFIE'`, pgdialect.Array(members))
	must(t, err == nil, "seed the queues: %v", err)
}

// queueCostsTheSameForTwentyOrFifty: the review queue asking the user of
// each submission, and that user's per-user fields, costs the same number
// of statements for 20 submissions as for 50 (seedQueues wrote them).
func queueCostsTheSameForTwentyOrFifty(t *testing.T, h *harness, log *statementLog, compliance staffUser,
	members []uuid.UUID) {
	const q = `query($n: Int!) { kycSubmissions(filter: {status: PENDING}, first: $n) { edges { node {
		user { id phone kycStatus labels { key } devices { deviceId } sessions { id } recentActivity(first: 3) { action } }
		} } } }`
	page := func(n int) []string {
		var d struct {
			KycSubmissions struct {
				Edges []struct {
					Node struct {
						User struct {
							ID, Phone, KycStatus string
							Labels               []struct{ Key string }
							Devices, Sessions    []struct{ ID string }
							RecentActivity       []struct{ Action string }
						}
					}
				}
			}
		}
		stmts := log.during(func() { h.ok(compliance.token, q, vars("n", n), &d) })
		must(t, len(d.KycSubmissions.Edges) == n, "want %d submissions, got %d", n, len(d.KycSubmissions.Edges))
		for _, e := range d.KycSubmissions.Edges {
			u := e.Node.User
			must(t, slices.Contains(members, uuid.MustParse(u.ID)) && u.Phone != "" && u.KycStatus == "PENDING" &&
				len(u.Labels) == 1 && len(u.Devices) == 0 && len(u.Sessions) == 0 && len(u.RecentActivity) == 1,
				"submitter: %+v", u)
		}
		return stmts
	}
	twenty, fifty := page(20), page(50)
	t.Logf("kycSubmissions(first: 20): %d statements; kycSubmissions(first: 50): %d statements", len(twenty), len(fifty))
	must(t, len(twenty) == len(fifty), "%d statements for 20 submissions, %d for 50:\n%s",
		len(twenty), len(fifty), strings.Join(fifty, "\n"))
}

// resetsCostTheSameForTwentyOrFifty: the PIN reset queue asking the user
// of each reset and that user's per-user fields, and the document and
// selfie each names, costs the same number of statements for 20 resets as
// for 50 (seedQueues wrote them).
func resetsCostTheSameForTwentyOrFifty(t *testing.T, h *harness, log *statementLog, compliance staffUser,
	members []uuid.UUID) {
	const q = `query($n: Int!) { pinResets(status: REJECTED, first: $n) { edges { node { reason
		document { type front { url } } selfie { url }
		user { id phone kycStatus labels { key } devices { deviceId } sessions { id } recentActivity(first: 3) { action } }
		} } } }`
	page := func(n int) []string {
		var d struct {
			PinResets struct {
				Edges []struct {
					Node struct {
						Reason   string
						Document *struct {
							Type  string
							Front struct{ URL *string }
						}
						Selfie *struct{ URL *string }
						User   struct {
							ID, Phone, KycStatus string
							Labels               []struct{ Key string }
							Devices, Sessions    []struct{ ID string }
							RecentActivity       []struct{ Action string }
						}
					}
				}
			}
		}
		stmts := log.during(func() { h.ok(compliance.token, q, vars("n", n), &d) })
		must(t, len(d.PinResets.Edges) == n, "want %d resets, got %d", n, len(d.PinResets.Edges))
		for _, e := range d.PinResets.Edges {
			u := e.Node.User
			must(t, e.Node.Document != nil && e.Node.Document.Type == "PASSPORT" && e.Node.Document.Front.URL != nil &&
				e.Node.Selfie != nil && e.Node.Selfie.URL != nil, "document and selfie of a reset: %+v", e.Node)
			must(t, e.Node.Reason == "blurred" && slices.Contains(members, uuid.MustParse(u.ID)) && u.Phone != "" &&
				len(u.Labels) == 1 && len(u.Devices) == 0 && len(u.Sessions) == 0 && len(u.RecentActivity) == 1,
				"user of a reset: %+v", e.Node)
		}
		return stmts
	}
	twenty, fifty := page(20), page(50)
	t.Logf("pinResets(first: 20): %d statements; pinResets(first: 50): %d statements", len(twenty), len(fifty))
	must(t, len(twenty) == len(fifty), "%d statements for 20 resets, %d for 50:\n%s",
		len(twenty), len(fifty), strings.Join(fifty, "\n"))
}
