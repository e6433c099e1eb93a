package postgres_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/admin"
)

// benchPage is the page size the target is set for.
const benchPage = 50

// benchDepth is how many pages deep the benchmark reads: iteration i reads
// page i mod benchDepth, following the cursors.
const benchDepth = 5

// benchReport is where the results and plans go, from this package's
// directory.
var benchReport = filepath.Join("..", "..", "docs", "bench", "users-search.md")

// captureHook records the SQL of the last query of a bun.DB.
type captureHook struct {
	mu   sync.Mutex
	last string
}

func (h *captureHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }

func (h *captureHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	// Only the page queries (not the estimate, the substring probe or the
	// transaction statements of a name search).
	if !strings.HasPrefix(e.Query, "SELECT u.*") {
		return
	}
	h.mu.Lock()
	h.last = e.Query
	h.mu.Unlock()
}

type benchResult struct {
	filter, order string
	p50, p99, max time.Duration
	rows          int
	plan          string
}

// BenchmarkUserSearch seeds GATEHOUSE_BENCH_USERS users (e.g. 1000000)
// into its own database, then for each filter and order reads pages of 50
// and reports p50/p99; it writes the table and the EXPLAIN (ANALYZE,
// BUFFERS) plan of every query to docs/bench/users-search.md and fails
// when a plan scans the users table sequentially. With
// GATEHOUSE_BENCH_DATABASE_URL it reads that database instead (seeded
// once by `gatehouse dev seed --users N`, migrated up by the benchmark),
// so that runs after a change skip the seed.
//
//	GATEHOUSE_BENCH_USERS=1000000 go test -run '^$' -bench UserSearch -benchtime 200x ./adapters/postgres/
func BenchmarkUserSearch(b *testing.B) {
	n, _ := strconv.Atoi(os.Getenv("GATEHOUSE_BENCH_USERS"))
	reuse := os.Getenv("GATEHOUSE_BENCH_DATABASE_URL")
	if n <= 0 && reuse == "" {
		b.Skip("set GATEHOUSE_BENCH_USERS (e.g. 1000000) to run the user search benchmark")
	}
	ctx := context.Background()
	t0 := time.Now()
	var db *bun.DB
	seeded := ""
	if reuse != "" {
		// A database seeded before (gatehouse dev seed --users N), kept
		// between runs: migrated up (a new index is built on its rows)
		// and read as it is.
		var err error
		if db, err = postgres.Open(reuse, 10); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close() })
		if _, err := postgres.MigrateUp(ctx, db); err != nil {
			b.Fatal(err)
		}
		if err := db.NewRaw(`SELECT count(*) FROM users`).Scan(ctx, &n); err != nil {
			b.Fatal(err)
		}
		seeded = "`gatehouse dev seed` (`postgres.Seed`, COPY) beforehand, reused from GATEHOUSE_BENCH_DATABASE_URL and migrated up"
	} else {
		db = pgtest.DB(b)
		last := time.Now()
		if err := postgres.Seed(ctx, db, n, func(done int) {
			if time.Since(last) > 10*time.Second || done == n {
				b.Logf("seeded %d/%d users in %s", done, n, time.Since(t0).Round(time.Second))
				last = time.Now()
			}
		}); err != nil {
			b.Fatal(err)
		}
		seeded = "`postgres.Seed` (COPY, " + time.Since(t0).Round(time.Second).String() + ")"
	}
	// Let autovacuum's visibility map work not disturb the measurements.
	if _, err := db.ExecContext(ctx, `VACUUM (ANALYZE) users, labels, user_search_names`); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d users seeded and vacuumed in %s", n, time.Since(t0).Round(time.Second))

	dir := postgres.NewUserDirectory(db)
	hook := &captureHook{}
	spy := bun.NewDB(db.DB, pgdialect.New())
	spy.AddQueryHook(hook)
	spyDir := postgres.NewUserDirectory(spy)

	var sample struct {
		ID    uuid.UUID `bun:"id"`
		Email string    `bun:"email"`
		Phone string    `bun:"phone"`
	}
	if err := db.NewRaw(`SELECT id, email, phone FROM users WHERE email IS NOT NULL AND phone LIKE '+44%'
		ORDER BY id LIMIT 1`).Scan(ctx, &sample); err != nil {
		b.Fatal(err)
	}
	level := func(l int) *int { return &l }
	yes, no := true, false
	from, to := time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	filters := []struct {
		name string
		f    admin.UserFilter
	}{
		{"none", admin.UserFilter{}},
		{"id", admin.UserFilter{ID: &sample.ID}},
		{"email prefix", admin.UserFilter{EmailPrefix: "john.smith"}},
		{"email exact", admin.UserFilter{EmailPrefix: sample.Email}},
		{"email partial", admin.UserFilter{EmailPrefix: "mary.gar"}},
		// Emails start with the first name: the users of a short prefix
		// bunch up in name order ("zo": the ~9,300 Zofias, last by name).
		{"email short", admin.UserFilter{EmailPrefix: "zo"}},
		{"phone country", admin.UserFilter{PhonePrefix: "+44"}},
		{"phone prefix", admin.UserFilter{PhonePrefix: sample.Phone[:9]}},
		{"name", admin.UserFilter{Name: "smith"}},
		{"name full", admin.UserFilter{Name: "maria garcia"}},
		{"name typo", admin.UserFilter{Name: "jonh smith"}},
		{"name short", admin.UserFilter{Name: "lee"}},
		{"role rare", admin.UserFilter{Role: "SUPPORT"}},
		{"role common", admin.UserFilter{Role: "MEMBER"}},
		{"state", admin.UserFilter{State: "BANNED"}},
		{"level min", admin.UserFilter{LevelMin: level(3)}},
		{"level max", admin.UserFilter{LevelMax: level(0)}},
		{"country", admin.UserFilter{Country: "DE"}},
		{"kyc status", admin.UserFilter{KYCStatus: "REJECTED"}},
		{"label", admin.UserFilter{LabelKey: "vip", LabelValue: "true"}},
		{"label key", admin.UserFilter{LabelKey: "tier"}},
		{"created window", admin.UserFilter{CreatedFrom: &from, CreatedTo: &to}},
		{"documents pending", admin.UserFilter{DocumentsPending: &yes}},
		{"documents not pending", admin.UserFilter{DocumentsPending: &no}},
	}
	orders := []admin.UserOrder{
		{Field: admin.OrderCreatedAt, Desc: true}, {Field: admin.OrderCreatedAt},
		{Field: admin.OrderLastSignIn, Desc: true}, {Field: admin.OrderLastSignIn},
		{Field: admin.OrderName}, {Field: admin.OrderName, Desc: true},
	}

	var results []benchResult
	for _, fl := range filters {
		for _, o := range orders {
			oname := o.Field
			if o.Desc {
				oname += " DESC"
			}
			res := benchResult{filter: fl.name, order: oname}
			// The cursors of the first pages, and the plan of the deepest.
			cursors := []string{""}
			for len(cursors) < benchDepth {
				hits, err := spyDir.Search(ctx, admin.UserSearch{Filter: fl.f, Order: o, After: cursors[len(cursors)-1], Limit: benchPage})
				if err != nil {
					b.Fatal(err)
				}
				if len(cursors) == 1 {
					res.rows = len(hits)
				}
				if len(hits) < benchPage {
					break
				}
				cursors = append(cursors, hits[len(hits)-1].Cursor)
			}
			hook.mu.Lock()
			q := hook.last
			hook.mu.Unlock()
			var plan []string
			// As the search runs it: the similarity threshold of a name
			// search's fallback is set in its transaction.
			if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				if _, err := tx.ExecContext(ctx, `SET LOCAL pg_trgm.similarity_threshold = 0.5`); err != nil {
					return err
				}
				return tx.NewRaw(`EXPLAIN (ANALYZE, BUFFERS) `+q).Scan(ctx, &plan)
			}); err != nil {
				b.Fatalf("explain %s: %v", q, err)
			}
			res.plan = "-- " + fl.name + ", " + oname + " (page " + strconv.Itoa(len(cursors)) + ")\n" + q + "\n\n" +
				strings.Join(plan, "\n")
			if strings.Contains(res.plan, "Seq Scan on users") {
				b.Errorf("%s / %s scans users sequentially:\n%s", fl.name, oname, res.plan)
			}
			b.Run(strings.ReplaceAll(fl.name, " ", "_")+"/"+strings.ReplaceAll(oname, " ", "_"), func(b *testing.B) {
				lat := make([]time.Duration, 0, b.N)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					s := time.Now()
					_, err := dir.Search(ctx, admin.UserSearch{Filter: fl.f, Order: o, After: cursors[i%len(cursors)], Limit: benchPage})
					lat = append(lat, time.Since(s))
					if err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				slices.Sort(lat)
				res.p50, res.p99, res.max = lat[len(lat)/2], lat[(len(lat)*99)/100], lat[len(lat)-1]
				b.ReportMetric(float64(res.p50.Microseconds())/1000, "p50-ms")
				b.ReportMetric(float64(res.p99.Microseconds())/1000, "p99-ms")
				if res.p99 > 20*time.Millisecond && b.N >= 100 {
					b.Errorf("p99 %s > 20ms", res.p99)
				}
			})
			results = append(results, res)
		}
	}
	// The other reads of the users screen, timed once each (warm).
	var extra []string
	for _, e := range []struct {
		name string
		run  func() error
	}{
		{"Count(no filter, limit 10000)", func() error { _, _, err := dir.Count(ctx, admin.UserFilter{}, 10_000); return err }},
		{"Count(country DE, limit 10000)", func() error {
			_, _, err := dir.Count(ctx, admin.UserFilter{Country: "DE"}, 10_000)
			return err
		}},
		{"Count(name smith, limit 10000)", func() error {
			_, _, err := dir.Count(ctx, admin.UserFilter{Name: "smith"}, 10_000)
			return err
		}},
		{"LabelUsage", func() error { _, err := dir.LabelUsage(ctx); return err }},
	} {
		var best time.Duration
		for i := range 3 {
			s := time.Now()
			if err := e.run(); err != nil {
				b.Fatal(err)
			}
			if d := time.Since(s); i == 0 || d < best {
				best = d
			}
		}
		extra = append(extra, fmt.Sprintf("| %s | %.2f |", e.name, ms(best)))
	}
	if err := writeBenchReport(n, seeded, results, extra); err != nil {
		b.Fatal(err)
	}
}

func writeBenchReport(n int, seeded string, results []benchResult, extra []string) error {
	var s strings.Builder
	fmt.Fprintf(&s, "# User search benchmark\n\n")
	fmt.Fprintf(&s, "`BenchmarkUserSearch` (adapters/postgres/directory_bench_test.go), run by `make bench`: %d users seeded by\n", n)
	fmt.Fprintf(&s, "%s, then pages of %d read through `UserDirectory.Search` for each filter and\n",
		seeded, benchPage)
	fmt.Fprintf(&s, "order, cycling over the first %d pages (following the cursors). Latency is measured in Go around `Search`\n", benchDepth)
	fmt.Fprintf(&s, "(query, scan, mapping). PostgreSQL: the embedded test cluster with default settings (shared_buffers 128MB).\n")
	fmt.Fprintf(&s, "Machine: %d CPUs, %s/%s. Generated %s.\n\n", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH,
		time.Now().UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&s, "Target: p99 < 20 ms per page of %d; no plan with a sequential scan of users.\n\n", benchPage)
	s.WriteString("| filter | order | rows (page 1) | p50 ms | p99 ms | max ms | top plan node |\n|---|---|---:|---:|---:|---:|---|\n")
	for _, r := range results {
		fmt.Fprintf(&s, "| %s | %s | %d | %.2f | %.2f | %.2f | %s |\n", r.filter, r.order, r.rows,
			ms(r.p50), ms(r.p99), ms(r.max), planSummary(r.plan))
	}
	s.WriteString("\nOther reads (best of 3):\n\n| read | ms |\n|---|---:|\n" + strings.Join(extra, "\n") + "\n")
	s.WriteString("\n## Plans\n\nEXPLAIN (ANALYZE, BUFFERS) of the deepest page read, with the statement as sent.\n\n")
	for _, r := range results {
		fmt.Fprintf(&s, "```sql\n%s\n```\n\n", r.plan)
	}
	if err := os.MkdirAll(filepath.Dir(benchReport), 0o755); err != nil {
		return err
	}
	return os.WriteFile(benchReport, []byte(s.String()), 0o644)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// planSummary names the index scans of a plan.
func planSummary(plan string) string {
	var idx []string
	for _, line := range strings.Split(plan, "\n") {
		if _, after, ok := strings.Cut(line, " using "); ok {
			name, _, _ := strings.Cut(after, " ")
			if !strings.Contains(name, "credentials") && !slices.Contains(idx, name) {
				idx = append(idx, name)
			}
		}
		if _, after, ok := strings.Cut(line, "Bitmap Index Scan on "); ok {
			name, _, _ := strings.Cut(after, " ")
			if !slices.Contains(idx, name) {
				idx = append(idx, name)
			}
		}
	}
	return strings.Join(idx, ", ")
}
