package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gatehouse/gatehouse/adapters/postgres/embedded"
)

// machine is what the figures were taken on.
type machine struct {
	cores                 int
	cpu, kernel, goVer    string
	postgres, gatehouse   string
	date                  time.Time
	command, databaseNote string
}

func describeMachine(ctx context.Context, s *server, dataDir string) machine {
	m := machine{cores: runtime.NumCPU(), cpu: cpuModel(), goVer: runtime.Version(), date: time.Now().UTC(),
		command: commandLine(os.Args[1:])}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = "Linux " + strings.TrimSpace(string(b))
	}
	if out, err := s.command(ctx, "", "version"); err == nil {
		m.gatehouse = strings.TrimSpace(out)
	}
	url, where := os.Getenv("DATABASE_URL"), "DATABASE_URL"
	if url == "" {
		where = "the embedded PostgreSQL of a throwaway data directory (`make run`'s defaults)"
		url, _ = embedded.RunningURL(embeddedPGDir(dataDir), "postgres")
	}
	m.databaseNote = where
	m.postgres = postgresVersion(ctx, url)
	return m
}

// embeddedPGDir is where serve keeps the embedded cluster of dataDir: pg/
// inside it, or, as root where the postgres user cannot reach it, a
// folder of its own under /var/lib/gatehouse (README, `make run`).
func embeddedPGDir(dataDir string) string {
	dir := filepath.Join(dataDir, "pg")
	if embedded.CheckReachable(dir) != nil {
		return embedded.KeyedDir("/var/lib/gatehouse", dir)
	}
	return dir
}

// commandLine is how to run the tool again with args, as a shell reads it
// (make load runs it with go run).
func commandLine(args []string) string {
	out := []string{"go", "run", "./cmd/gatehouse-load"}
	for _, a := range args {
		if a == "" || strings.ContainsAny(a, " \t'\"$`\\|&;<>()*?#~") {
			a = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

func postgresVersion(ctx context.Context, url string) string {
	if url == "" {
		return "unknown (no database URL)"
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	defer conn.Close(ctx)
	var v, fsync string
	if err := conn.QueryRow(ctx, "SELECT current_setting('server_version'), current_setting('fsync')").Scan(&v, &fsync); err != nil {
		return "unknown (" + err.Error() + ")"
	}
	return fmt.Sprintf("PostgreSQL %s (fsync %s)", v, fsync)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/float64(time.Millisecond)) }

func mib(b int64, reset bool) string {
	if b == 0 {
		return "?"
	}
	s := fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
	if !reset {
		s += " (since start)"
	}
	return s
}

// printTable writes the results as a Markdown table (readable in a
// terminal too).
func printTable(w io.Writer, results []result) {
	fmt.Fprintln(w, "| scenario | connections | requests | req/s | p50 | p99 | errors | peak RSS |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---|---:|")
	for _, r := range results {
		lat := r.latencies()
		fmt.Fprintf(w, "| %s | %d | %d | %.0f | %s | %s | %s | %s |\n", r.scenario, r.conns, len(r.samples), r.perSecond(),
			ms(percentile(lat, 50)), ms(percentile(lat, 99)), describeErrors(r.errors()), mib(r.peakRSS, r.rssReset))
	}
}

// writeReport writes docs/bench/load.md: the machine, the command, the
// settings the run changed, what each scenario does, and the figures.
func writeReport(path, note string, m machine, knobs []knob, scs []scenario, results []result, cfg config) error {
	var b strings.Builder
	fmt.Fprintln(&b, "# Load: `me`, the staff user page, sign-ins, the OTP journey")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "Written by `make load` (`go run ./cmd/gatehouse-load`); README's \"Load\" says how to run it.")
	if note != "" {
		fmt.Fprintf(&b, "\n**%s**\n", note)
	}
	fmt.Fprintln(&b, "\n## Machine")
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "- date: %s\n", m.date.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- CPU: %s, %d cores (the load generator runs on the same cores)\n", m.cpu, m.cores)
	if m.kernel != "" {
		fmt.Fprintf(&b, "- kernel: %s\n", m.kernel)
	}
	fmt.Fprintf(&b, "- Go: %s\n", m.goVer)
	fmt.Fprintf(&b, "- database: %s, on %s\n", m.postgres, m.databaseNote)
	if m.gatehouse != "" {
		fmt.Fprintf(&b, "- server: `%s`\n", m.gatehouse)
	}
	fmt.Fprintf(&b, "- command: `%s`\n", m.command)
	fmt.Fprintf(&b, "- data: %d made-up users (`gatehouse dev seed`), %d phone users and %d email users signed up through GraphQL, one ADMIN; the `me` user has one account with %d portfolios\n",
		cfg.extra, cfg.conns, cfg.conns, cfg.portfolios)
	fmt.Fprintf(&b, "- per run: a freshly started server, %s warm-up (not counted), then %s measured; connections: %d and 1\n", cfg.warmup, cfg.duration, cfg.conns)
	fmt.Fprintln(&b, "\n## Settings the run changes")
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "The server runs as `make run` runs it (`GATEHOUSE_ENV=dev`, its own data directory), with these documented settings so that Gatehouse's own limits do not refuse the load:")
	fmt.Fprintln(&b)
	for _, k := range knobs {
		fmt.Fprintf(&b, "- `%s=%s`: %s\n", k.name, k.value, k.why)
	}
	fmt.Fprintln(&b, "\n## Scenarios")
	fmt.Fprintln(&b)
	for _, sc := range scs {
		fmt.Fprintf(&b, "- **%s**: %s\n", sc.name, sc.what)
	}
	fmt.Fprintln(&b, "\n## Figures")
	fmt.Fprintln(&b)
	printTable(&b, results)
	fmt.Fprintln(&b)
	fmt.Fprintln(&b, "req/s counts every completed request (errors included) over the measured time; p50 and p99 are exact (nearest rank over every sample, timed per request); errors are by `extensions.code` (`HTTP_<status>` for an answer that is not GraphQL, `TRANSPORT` for no answer, `STATUS_<status>` for a trusted-device sign-in that did not sign in); each row runs on a server started afresh on the same data (the users, sessions and keys stay), warmed up for the warm-up time; peak RSS is that server process's VmHWM, reset after the warm-up (`/proc/<pid>/clear_refs`), so it is the peak of the measured time alone (the embedded PostgreSQL's processes are not counted).")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}
