// Command gatehouse is the Gatehouse identity and onboarding service.
//
//	gatehouse [serve]               run the GraphQL server (default)
//	gatehouse migrate up|status|down [N]|down --all --yes
//	gatehouse admin create (--email EMAIL | --phone +E164) [--role MEMBER]   (password on stdin for --email)
//	gatehouse dev seed --users N      add N made-up users (not in prod)
//	gatehouse version [--json]
//
// Configuration comes from environment variables only (see README.md);
// each command reads only the settings it uses.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"go.uber.org/dig"
	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", explain(err))
		os.Exit(1)
	}
}

const usage = "usage: gatehouse [serve] | migrate up|status|down [N]|down --all --yes | admin create (--email E | --phone P) [--role R] | dev seed --users N | version [--json]"

func run(args []string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version", "--version", "-v":
		return printVersion(args, stdout)
	case "serve":
		return serve()
	case "migrate":
		return migrate(args, stdout)
	case "admin":
		return admin(args, os.Stdin, stdout)
	case "dev":
		return dev(args, stdout)
	case "help", "--help", "-h":
		fmt.Fprintln(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, admin, dev or version)", cmd)
}

// explain turns a failure into what its user needs: the root cause, on
// one line, with its hint. fx wraps a constructor's error in the chain of
// everything that needed it ("could not build arguments for function …"),
// which says nothing to an operator; the configuration's problems keep
// their list, one line each.
func explain(err error) string {
	var cfgErr *app.ConfigError
	if errors.As(err, &cfgErr) {
		return cfgErr.Error()
	}
	msg := dig.RootCause(err).Error()
	return strings.Join(strings.Fields(msg), " ")
}

// loadConfig reads what a command of the given scope uses.
func loadConfig(scope app.Scope) (app.Config, error) {
	cfg, err := app.LoadFor(os.Getenv, scope)
	if err != nil {
		return cfg, err
	}
	cfg.Version = version
	return cfg, nil
}

// commandLogger is the log of a one-shot command: warnings and errors
// only, unless GATEHOUSE_LOG_LEVEL asks for more, so that its output is
// what it did.
func commandLogger(cfg app.Config) app.Config {
	if os.Getenv("GATEHOUSE_LOG_LEVEL") == "" {
		cfg.LogLevel = max(cfg.LogLevel, slog.LevelWarn)
	}
	return cfg
}

// tellDatabase says, on stderr, which database a one-shot command works
// on: run from the wrong directory, a command must not look as if it
// worked on the right one.
func tellDatabase(d *app.Database) {
	fmt.Fprintln(os.Stderr, "gatehouse: database:", d.Where)
}

// serve runs until SIGINT/SIGTERM, then drains requests and exits 0.
func serve() error {
	cfg, err := loadConfig(app.ScopeServe)
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg)
	app.ApplyMemoryLimit(cfg)
	// Listen before building anything: a SIGINT or SIGTERM that arrives
	// while starting (initdb, migrations) waits in the channel and stops
	// the app in order once it is up, instead of killing the process
	// mid-start and leaving half of it behind.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	if !cfg.Prod() && os.Getenv("MAKELEVEL") != "" {
		// Under `make run`, Ctrl-C reaches this process alone, so that
		// make ends as the server does: 0 after a clean shutdown.
		defer takeTerminal()()
	}
	// A start that fails leaves nothing it made: the data directory, the
	// keys, a cluster it created.
	claim, err := app.ClaimDataDir(cfg)
	if err != nil {
		return err
	}
	defer claim.Release()
	var db *app.Database
	a := fx.New(app.Options(cfg, log), fx.Decorate(func(d *app.Database) *app.Database {
		db = d // as soon as it is open, even if a later step of the build fails
		return d
	}))
	if err := a.Err(); err != nil {
		claim.Undo(db)
		return err
	}
	startCtx, cancel := context.WithTimeout(context.Background(), a.StartTimeout())
	defer cancel()
	if err := a.Start(startCtx); err != nil {
		stopCtx, c2 := context.WithTimeout(context.Background(), a.StopTimeout())
		defer c2()
		err = errors.Join(err, a.Stop(stopCtx))
		claim.Undo(db)
		return err
	}
	var failure error
	select {
	case s := <-sig:
		log.Info("shutting down", "signal", s.String())
	case sd := <-a.Wait():
		// fx relays SIGINT/SIGTERM too, with exit code 0, and may win the
		// race with sig: that is the same clean stop. Anything else is the
		// app stopping itself: the embedded PostgreSQL died for good.
		failure = db.Failure()
		if failure == nil && sd.ExitCode == 0 {
			log.Info("shutting down", "signal", sd.String())
			break
		}
		if failure == nil {
			failure = fmt.Errorf("stopped (exit code %d)", sd.ExitCode)
		}
		log.Info("shutting down", "reason", failure.Error())
	}
	stopCtx, c3 := context.WithTimeout(context.Background(), a.StopTimeout())
	defer c3()
	if err := a.Stop(stopCtx); err != nil && failure == nil {
		return err
	}
	return failure
}
