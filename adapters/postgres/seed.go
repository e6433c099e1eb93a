package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
)

// seedBatch is how many users one COPY transaction inserts.
const seedBatch = 25_000

// seedBase is the "now" of seeded data, fixed so that runs compare.
var seedBase = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// Seed inserts n made-up users for demos and benchmarks: profiles, labels
// (consistent with each user's level), KYC files, documents and
// submissions in every status, and a mix of roles, states, countries,
// emails, phones and last sign-ins. Rows go in by COPY, in transactions of
// seedBatch users; progress is called after each with the users done.
//
// The data is deterministic: a run on an empty database always makes the
// same rows; a later run continues the sequence (numbering after the users
// already there), so it never collides with an earlier one.
//
// The search columns (search_name, kyc_status, last_sign_in_at) and the
// distinct search names (user_search_names) are written directly, exactly
// as the admin migration's triggers would compute them; the per-row triggers that maintain them are disabled inside
// each COPY transaction only (the ALTERs are transactional: no other
// session ever sees them off). Tables are analysed at the end.
func Seed(ctx context.Context, db *bun.DB, n int, progress func(done int)) error {
	if n < 0 {
		return fmt.Errorf("seed: negative user count %d", n)
	}
	var offset int64
	if err := db.NewRaw(`SELECT count(*) FROM users`).Scan(ctx, &offset); err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	sc, err := db.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	defer sc.Close()
	g := &seeder{rng: rand.New(rand.NewPCG(20261123, uint64(offset))), next: offset,
		step: seedSpan / time.Duration(max(n, 1))}
	err = sc.Raw(func(dc any) error {
		c := dc.(*stdlib.Conn).Conn()
		// Make the next batch while the server copies this one.
		batches := make(chan *seedRows, 1)
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			defer close(batches)
			for made := 0; made < n; {
				k := min(seedBatch, n-made)
				select {
				case batches <- g.batch(k):
				case <-stop:
					return
				}
				made += k
			}
		}()
		done := 0
		for b := range batches {
			if err := b.copy(ctx, c); err != nil {
				return err
			}
			done += len(b.users)
			if progress != nil {
				progress(done)
			}
		}
		_, err := c.Exec(ctx, `ANALYZE users, user_search_names, kyc_profiles, labels, kyc_files, kyc_documents, kyc_submissions`)
		return err
	})
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	return nil
}

type seeder struct {
	rng  *rand.Rand
	next int64 // number of the next user (unique across runs)
	// Users sign up one after the other over seedSpan, step apart on
	// average: created_at (and the time-ordered ids) follow insertion
	// order, as in a real table.
	i    int64
	step time.Duration
}

// seedSpan is how far back the first seeded user signed up.
const seedSpan = 3 * 365 * 24 * time.Hour

type seedRows struct {
	users, pins, profiles, labels, files, documents, submissions [][]any
}

var (
	seedUserCols       = []string{"id", "phone", "email", "name", "country_code", "state", "role", "level", "referral_code", "created_at", "updated_at", "deleted_at", "last_sign_in_at", "kyc_status", "search_name"}
	seedSearchNameCol  = slices.Index(seedUserCols, "search_name")
	seedPINCols        = []string{"user_id", "hash", "updated_at"}
	seedProfileCols    = []string{"user_id", "first_name", "last_name", "date_of_birth", "address", "postcode", "city", "country", "confirmed_at", "created_at", "updated_at"}
	seedLabelCols      = []string{"user_id", "key", "value", "scope", "created_at", "updated_at"}
	seedFileCols       = []string{"id", "user_id", "purpose", "content_type", "size", "width", "height", "sha256", "blob_key", "created_at"}
	seedDocumentCols   = []string{"id", "user_id", "type", "number", "expires_on", "front_file_id", "back_file_id", "created_at", "replaced_at"}
	seedSubmissionCols = []string{"id", "user_id", "status", "country", "document_id", "selfie_id", "submitted_at", "decided_at", "decided_by", "reason"}
)

// copy inserts the batch in one transaction, with the search-column
// triggers off (the rows carry the values the triggers would compute).
func (b *seedRows) copy(ctx context.Context, c *pgx.Conn) error {
	tx, err := c.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx) //nolint:errcheck
	const triggers = `users DISABLE TRIGGER users_search_name;
		ALTER TABLE kyc_profiles DISABLE TRIGGER kyc_profiles_search_name;
		ALTER TABLE kyc_submissions DISABLE TRIGGER kyc_submissions_status`
	if _, err := tx.Exec(ctx, `ALTER TABLE `+triggers); err != nil {
		return err
	}
	for _, t := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"users", seedUserCols, b.users},
		{"pin_credentials", seedPINCols, b.pins},
		{"kyc_profiles", seedProfileCols, b.profiles},
		{"labels", seedLabelCols, b.labels},
		{"kyc_files", seedFileCols, b.files},
		{"kyc_documents", seedDocumentCols, b.documents},
		{"kyc_submissions", seedSubmissionCols, b.submissions},
	} {
		if len(t.rows) == 0 {
			continue
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
			return fmt.Errorf("copy %s: %w", t.table, err)
		}

	}
	// The distinct search names the users trigger would have added.
	seen := map[string]bool{}
	var names []string
	for _, u := range b.users {
		if n := u[seedSearchNameCol].(string); n != "" && !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO user_search_names (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
		names); err != nil {
		return fmt.Errorf("insert user_search_names: %w", err)
	}
	if _, err := tx.Exec(ctx, `ALTER TABLE `+strings.ReplaceAll(triggers, "DISABLE", "ENABLE")); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

var (
	seedFirstNames = strings.Fields(`james mary john patricia robert jennifer michael linda william elizabeth david
		barbara richard susan joseph jessica thomas sarah charles karen daniel nancy matthew lisa anthony betty mark
		margaret donald sandra steven ashley paul kimberly andrew emily joshua donna kenneth michelle kevin carol
		brian amanda george melissa timothy deborah lukas sophie leon marie finn emma jonas mia paul hannah elias
		lena noah anna louis chloe hugo camille lucas lea mateo lucia pablo sofia marco giulia luca chiara jan
		zofia piotr maja olivier ines tiago beatriz sean aoife erik astrid`)
	seedLastNames = strings.Fields(`smith johnson williams brown jones garcia miller davis rodriguez martinez
		hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
		sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green
		adams nelson baker hall rivera campbell mitchell carter roberts muller schmidt schneider fischer weber
		meyer wagner becker schulz hoffmann martin bernard dubois durand leroy moreau simon laurent lefebvre
		michel rossi russo ferrari esposito bianchi romano colombo ricci marino greco nowak kowalski wisniewski
		wojcik kowalczyk silva santos ferreira pereira oliveira costa murphy kelly byrne ryan obrien andersson
		johansson karlsson nilsson eriksson devries jansen bakker visser`)
	seedSyllables = strings.Fields(`ka ri to mu sa le no vi da re ma ti lo ne ba si ko ru fe zo an el or ul
		ist berg man son ten ler`)
	seedCities = strings.Fields(`london berlin paris madrid rome amsterdam warsaw lisbon dublin stockholm vienna
		brussels zurich bucharest athens prague manchester munich lyon barcelona milan krakow porto cork`)
	seedDomains = []string{"gmail.com", "gmail.com", "gmail.com", "yahoo.com", "outlook.com", "hotmail.com",
		"icloud.com", "proton.me", "gmx.de", "web.de", "orange.fr", "libero.it"}
)

type seedCountry struct {
	code, dial string
	weight     int
}

var seedCountries = []seedCountry{
	{"GB", "44", 20}, {"DE", "49", 12}, {"FR", "33", 10}, {"ES", "34", 8}, {"IT", "39", 8}, {"US", "1", 8},
	{"NL", "31", 5}, {"PL", "48", 5}, {"PT", "351", 3}, {"IE", "353", 3}, {"SE", "46", 3}, {"AT", "43", 3},
	{"BE", "32", 3}, {"CH", "41", 3}, {"RO", "40", 2}, {"GR", "30", 2}, {"CZ", "420", 2},
}

var seedCountryTotal = func() int {
	t := 0
	for _, c := range seedCountries {
		t += c.weight
	}
	return t
}()

// userID is a version 7 (time-ordered) id of a user created at t.
func (g *seeder) userID(t time.Time) uuid.UUID {
	u := g.uuid()
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		u[i] = byte(ms >> (8 * (5 - i)))
	}
	u[6] = u[6]&0x0f | 0x70
	return u
}

func (g *seeder) uuid() uuid.UUID {
	var u uuid.UUID
	hi, lo := g.rng.Uint64(), g.rng.Uint64()
	for i := range 8 {
		u[i] = byte(hi >> (8 * i))
		u[8+i] = byte(lo >> (8 * i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

func (g *seeder) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *seeder) chance(p float64) bool { return g.rng.Float64() < p }

// between is a time in [from, to), to the microsecond.
func (g *seeder) between(from, to time.Time) time.Time {
	d := to.Sub(from)
	if d <= 0 {
		return from
	}
	return from.Add(time.Duration(g.rng.Int64N(int64(d)))).Truncate(time.Microsecond)
}

func (g *seeder) lastName() string {
	if g.chance(0.5) {
		return g.pick(seedLastNames)
	}
	s := ""
	for range 2 + g.rng.IntN(2) {
		s += g.pick(seedSyllables)
	}
	return s
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func (g *seeder) role() string {
	switch r := g.rng.IntN(10_000); {
	case r < 9_700:
		return "MEMBER"
	case r < 9_850:
		return "PARTNER"
	case r < 9_920:
		return "SUPPORT"
	case r < 9_960:
		return "COMPLIANCE"
	case r < 9_985:
		return "ACCOUNTANT"
	case r < 9_997:
		return "ADMIN"
	default:
		return "SUPERADMIN"
	}
}

func (g *seeder) state() string {
	switch r := g.rng.IntN(100); {
	case r < 90:
		return "ACTIVE"
	case r < 93:
		return "LOCKED"
	case r < 95:
		return "BANNED"
	case r < 98:
		return "PENDING"
	default:
		return "DELETED"
	}
}

func (g *seeder) level() int {
	switch r := g.rng.IntN(100); {
	case r < 10:
		return 0
	case r < 40:
		return 1
	case r < 75:
		return 2
	default:
		return 3
	}
}

func (g *seeder) country() seedCountry {
	r := g.rng.IntN(seedCountryTotal)
	for _, c := range seedCountries {
		if r < c.weight {
			return c
		}
		r -= c.weight
	}
	return seedCountries[0]
}

// batch makes the rows of k users.
func (g *seeder) batch(k int) *seedRows {
	b := &seedRows{}
	for range k {
		g.user(b)
	}
	return b
}

func (g *seeder) user(b *seedRows) {
	num := g.next
	g.next++
	slot := seedBase.Add(-seedSpan).Add(time.Duration(g.i) * g.step)
	g.i++
	created := g.between(slot, slot.Add(g.step))
	id := g.userID(created)
	state, role, level := g.state(), g.role(), g.level()
	country := g.country()
	first, last := g.pick(seedFirstNames), g.lastName()
	var phone, email any
	var name string
	var deletedAt, lastSignIn any
	kycStatus := "NONE"
	switch state {
	case "DELETED":
		// Scrubbed: no contact, no name, nothing attached.
		level = 0
		deletedAt = g.between(created, seedBase)
	case "PENDING":
		// Signed up by email, never confirmed.
		level = 0
		email = fmt.Sprintf("%s.%s%d@%s", first, last, num, g.pick(seedDomains))
	default:
		if level >= 1 || g.chance(0.7) {
			// Bijective in num below 10^10: unique numbers.
			phone = fmt.Sprintf("+%s%010d", country.dial, (num*7_919+1_234_567)%10_000_000_000)
		}
		if level >= 2 || g.chance(0.6) {
			email = fmt.Sprintf("%s.%s%d@%s", first, last, num, g.pick(seedDomains))
		}
		switch r := g.rng.IntN(10); {
		case r < 4:
			name = title(first) + " " + strings.ToUpper(last[:1]) + "."
		case r < 6:
			name = first + strconv.Itoa(int(num%1000))
		}
		if g.chance(0.85) {
			lastSignIn = g.between(created, seedBase)
		}
	}
	if state == "DELETED" {
		country.code = ""
	}
	searchName := strings.ToLower(strings.TrimSpace(name))
	at := created
	label := func(key, value, scope string) {
		at = g.between(at, at.Add(72*time.Hour))
		b.labels = append(b.labels, []any{id, key, value, scope, at, at})
	}
	if state != "DELETED" && state != "PENDING" {
		if level >= 1 {
			label("phone", "verified", "PRIVATE")
		}
		if level >= 2 || (level == 1 && g.chance(0.3)) {
			// A profile: level 2 confirmed it.
			pAt := g.between(created, created.Add(30*24*time.Hour))
			var confirmed any
			if level >= 2 {
				confirmed = pAt
				label("email", "verified", "PRIVATE")
				label("profile", "verified", "PRIVATE")
			}
			dob := time.Date(1950+g.rng.IntN(55), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
			b.profiles = append(b.profiles, []any{id, title(first), title(last), dob,
				fmt.Sprintf("%d %s street", 1+g.rng.IntN(200), title(g.pick(seedLastNames))),
				fmt.Sprintf("%05d", g.rng.IntN(100_000)), title(g.pick(seedCities)), country.code, confirmed, pAt, pAt})
			searchName = strings.ToLower(title(first) + " " + title(last))
		}
		kycStatus = g.kyc(b, id, level, created, country.code, label)
		if g.chance(0.6) {
			label("source", []string{"organic", "ads", "referral", "partner"}[g.rng.IntN(4)], "PUBLIC")
		}
		if g.chance(0.2) {
			label("tier", []string{"gold", "silver", "bronze"}[g.rng.IntN(3)], "PUBLIC")
		}
		if g.chance(0.005) {
			label("vip", "true", "PRIVATE")
		}
		if g.chance(0.01) {
			label("risk", "high", "PRIVATE")
		}
	}
	updated := created
	if t, ok := lastSignIn.(time.Time); ok {
		updated = t
	}
	if t, ok := deletedAt.(time.Time); ok {
		updated = t
	}
	if phone != nil && state != "DELETED" && g.chance(0.9) {
		// Not a hash of anything: nobody signs in as a seeded user.
		b.pins = append(b.pins, []any{id, "$seed$no-pin", created})
	}
	b.users = append(b.users, []any{id, phone, email, name, country.code, state, role, level,
		fmt.Sprintf("SEED%08d", num), created, updated, deletedAt, lastSignIn, kycStatus, searchName})
}

// kyc adds the submissions of a user (the latest decides kyc_status) with
// their documents and files: level 3 was approved (some after a
// rejection); some level 2 users wait for review or were rejected.
func (g *seeder) kyc(b *seedRows, id uuid.UUID, level int, created time.Time, country string, label func(k, v, s string)) string {
	var statuses []string
	switch {
	case level >= 3:
		statuses = []string{"APPROVED"}
		if g.chance(0.1) {
			statuses = []string{"REJECTED", "APPROVED"}
		}
	case level == 2:
		switch r := g.rng.IntN(100); {
		case r < 8:
			statuses = []string{"PENDING"}
		case r < 11:
			statuses = []string{"REJECTED", "PENDING"}
		case r < 17:
			statuses = []string{"REJECTED"}
		}
	}
	if len(statuses) == 0 {
		return "NONE"
	}
	at := g.between(created, created.Add(60*24*time.Hour))
	docType := []string{"PASSPORT", "NATIONAL_ID", "DRIVER_LICENSE"}[g.rng.IntN(3)]
	var prevDoc, prevSelfie []any
	for _, st := range statuses {
		// Every file describes one of the few SeedImages (StoreSeedFiles
		// stores the objects of the first pending ones), so the review
		// pages show an image.
		file := func(purpose string) uuid.UUID {
			fid := g.uuid()
			img := seedImage(purpose, g.rng.IntN(seedVariants))
			b.files = append(b.files, []any{fid, id, purpose, "image/jpeg", int64(len(img.Data)),
				int32(img.Width), int32(img.Height), img.SHA256[:], "seed/" + fid.String(), at})
			return fid
		}
		front, selfie := file("DOCUMENT_FRONT"), file("SELFIE")
		if prevDoc != nil {
			prevDoc[8], prevSelfie[8] = at, at // replaced by this submission
		}
		docID, selfieID := g.uuid(), g.uuid()
		expires := at.AddDate(2+g.rng.IntN(8), 0, 0).Truncate(24 * time.Hour)
		doc := []any{docID, id, docType, fmt.Sprintf("X%08d", g.rng.IntN(100_000_000)), expires, front, nil, at, nil}
		self := []any{selfieID, id, "SELFIE", "", nil, selfie, nil, at, nil}
		b.documents = append(b.documents, doc, self)
		prevDoc, prevSelfie = doc, self
		var decided any
		reason := ""
		if st != "PENDING" {
			decided = g.between(at, at.Add(48*time.Hour))
			if st == "REJECTED" {
				reason = "document unreadable"
			}
		}
		b.submissions = append(b.submissions, []any{g.uuid(), id, st, country, docID, selfieID, at, decided, nil, reason})
		if st == "APPROVED" {
			label("document", "verified", "PRIVATE")
			label("selfie", "verified", "PRIVATE")
		}
		at = g.between(at.Add(72*time.Hour), at.Add(30*24*time.Hour))
	}
	return statuses[len(statuses)-1]
}
