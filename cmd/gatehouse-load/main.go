// Command gatehouse-load measures Gatehouse under load on this machine:
// `me`, the staff user page, PIN and password sign-in on trusted devices,
// and the OTP journey, each at -conns connections and at one. It builds
// and starts its own dev server (loopback only) on a throwaway data
// directory (or DATABASE_URL), seeds its users through the public
// GraphQL journeys, prints req/s, p50, p99, errors by code and the
// server's peak RSS, and writes docs/bench/load.md.
//
//	go run ./cmd/gatehouse-load [-conns 16] [-duration 10s] [-only me,users] [-out docs/bench/load.md]
//
// Run it from the repository root (make load does).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

type config struct {
	addr, bin, out, note string
	only                 []string
	conns                int
	duration, warmup     time.Duration
	timeout              time.Duration
	portfolios, extra    int
	keep                 bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("gatehouse-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "the server's listen address, loopback only (port 0: a free one)")
	fs.StringVar(&c.bin, "bin", "", "a gatehouse binary to run (default: go build ./cmd/gatehouse into the throwaway directory)")
	fs.StringVar(&c.out, "out", "docs/bench/load.md", "where to write the report (empty: print only)")
	fs.StringVar(&c.note, "note", "", "a line put at the top of the report (e.g. what kind of run it was)")
	only := fs.String("only", "me,users,pin,password,otp", "scenarios to run, comma-separated")
	fs.IntVar(&c.conns, "conns", 16, "connections of the concurrent runs (each scenario also runs at 1)")
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "measured time of each run (scenario × connection count)")
	fs.DurationVar(&c.warmup, "warmup", time.Second, "unmeasured time before each run")
	fs.DurationVar(&c.timeout, "timeout", 15*time.Minute, "the whole run, server start and seeding included, is cut after this")
	fs.IntVar(&c.portfolios, "portfolios", 2, "portfolios of the `me` user's account")
	fs.IntVar(&c.extra, "extra-users", 200, "made-up users added with `gatehouse dev seed` so the staff page is full (0: none)")
	fs.BoolVar(&c.keep, "keep", false, "keep the throwaway directory (server log, data) after the run")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	if err := checkLoopback(c.addr); err != nil {
		return c, err
	}
	if err := checkDatabaseURL(os.Getenv("DATABASE_URL")); err != nil {
		return c, err
	}
	known := []string{"me", "users", "pin", "password", "otp"}
	for _, n := range strings.Split(*only, ",") {
		if n = strings.TrimSpace(n); n == "" {
			continue
		}
		if !slices.Contains(known, n) {
			return c, fmt.Errorf("-only: unknown scenario %q (known: %s)", n, strings.Join(known, ", "))
		}
		c.only = append(c.only, n)
	}
	switch {
	case len(c.only) == 0:
		return c, errors.New("-only: no scenario")
	case c.conns < 1 || c.conns > 1024:
		return c, errors.New("-conns must be 1 to 1024")
	case c.duration <= 0 || c.warmup < 0:
		return c, errors.New("-duration must be positive and -warmup not negative")
	case c.timeout <= 0 || c.timeout > 23*time.Hour:
		return c, errors.New("-timeout must be positive and at most 23h (tokens must outlive it)")
	case c.portfolios < 0 || c.portfolios > 20:
		return c, errors.New("-portfolios must be 0 to 20 (GATEHOUSE_MAX_PORTFOLIOS_PER_ACCOUNT)")
	case c.extra < 0:
		return c, errors.New("-extra-users must not be negative")
	}
	return c, nil
}

func main() {
	cfg, err := parseFlags(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err == nil {
		err = loadRun(cfg, os.Stdout)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse-load:", err)
		os.Exit(1)
	}
}

func loadRun(cfg config, stdout io.Writer) error {
	ctx, cancelTimeout := context.WithTimeoutCause(context.Background(), cfg.timeout,
		fmt.Errorf("the run took longer than -timeout %s", cfg.timeout))
	defer cancelTimeout()
	ctx, stopSignals := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stopSignals()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	say := func(format string, a ...any) { fmt.Fprintf(stdout, "· "+format+"\n", a...) }

	dir, err := os.MkdirTemp("", "gatehouse-load-")
	if err != nil {
		return err
	}
	// As root the embedded PostgreSQL runs as the postgres OS user, which
	// must traverse this directory to reach its data (not list it).
	if err := os.Chmod(dir, 0o711); err != nil {
		return err
	}
	defer func() {
		if cfg.keep {
			say("kept %s", dir)
			return
		}
		_ = os.RemoveAll(dir)
	}()
	bin := cfg.bin
	if bin == "" {
		say("building ./cmd/gatehouse")
		if bin, err = buildServer(ctx, dir); err != nil {
			return err
		}
	}
	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	addr, err := listenAddr(cfg.addr)
	if err != nil {
		return err
	}
	knobs := loadKnobs(cfg.timeout)
	dataDir := filepath.Join(dir, "data")
	env := serverEnv(dataDir, addr, knobs)
	say("starting gatehouse on %s (GATEHOUSE_ENV=dev, data in %s); settings changed for load:", addr, dataDir)
	for _, k := range knobs {
		say("  %s=%s (%s)", k.name, k.value, k.why)
	}
	logPath := filepath.Join(dir, "server.log")
	// start starts a server on the data directory; one that exits before
	// the tool stops it ends the run.
	start := func() (*server, error) {
		s, err := startServer(ctx, bin, env, addr, logPath)
		if err != nil {
			return nil, err
		}
		go func() {
			select {
			case <-s.done:
				if !s.stopping.Load() {
					cancel(fmt.Errorf("gatehouse exited during the run: %v", s.exitErr))
				}
			case <-ctx.Done():
			}
		}()
		return s, nil
	}
	s, err := start()
	if err != nil {
		return err
	}
	defer func() {
		if s != nil { // nil when a restart failed (and stopped what it started)
			s.stop()
		}
	}()

	numbers := newPhones()
	u, err := seed(ctx, s, numbers, cfg.conns, cfg.portfolios, cfg.extra, say)
	if err != nil {
		return fmt.Errorf("seeding: %w (server log: %s; -keep keeps it)", err, logPath)
	}
	m := describeMachine(ctx, s, dataDir)
	say("%s, %d cores, %s, %s", m.cpu, m.cores, m.goVer, m.postgres)

	var chosen []scenario
	for _, sc := range scenarios(s, u, numbers) {
		if slices.Contains(cfg.only, sc.name) {
			chosen = append(chosen, sc)
		}
	}
	var results []result
	for _, chosenSc := range chosen {
		for _, conns := range connCounts(cfg.conns) {
			// Each run has a server of its own, started afresh on the same
			// data (users, sessions and keys stay): memory the Go runtime
			// keeps from seeding's hashes or an earlier run would
			// otherwise count in this run's peak RSS.
			s.stop()
			if s, err = start(); err != nil {
				return fmt.Errorf("restarting gatehouse before %s: %w", chosenSc.name, err)
			}
			sc := scenarioNamed(scenarios(s, u, numbers), chosenSc.name)
			say("%s at %d connection(s) on a restarted server: %s warm-up, %s measured", sc.name, conns, cfg.warmup, cfg.duration)
			r := run(ctx, s, sc, conns, cfg.warmup, cfg.duration)
			if ctx.Err() != nil {
				return fmt.Errorf("cut during %s: %w (server log: %s)", sc.name, context.Cause(ctx), logPath)
			}
			results = append(results, r)
		}
	}
	fmt.Fprintln(stdout)
	printTable(stdout, results)
	if cfg.out != "" {
		if err := writeReport(cfg.out, cfg.note, m, knobs, chosen, results, cfg); err != nil {
			return err
		}
		say("wrote %s", cfg.out)
	}
	return nil
}

func scenarioNamed(scs []scenario, name string) scenario {
	i := slices.IndexFunc(scs, func(sc scenario) bool { return sc.name == name })
	return scs[i]
}

// connCounts is the concurrent run, then one connection (once when they
// are the same).
func connCounts(n int) []int {
	if n == 1 {
		return []int{1}
	}
	return []int{n, 1}
}
