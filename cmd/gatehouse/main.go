// Command gatehouse is the Gatehouse identity and onboarding service.
//
//	gatehouse [serve]               run the GraphQL server (default)
//	gatehouse migrate up|down|status
//	gatehouse admin create (--email EMAIL | --phone +E164) [--role MEMBER]   (password on stdin for --email)
//	gatehouse dev seed --users N      add N made-up users (not in prod)
//	gatehouse version
//
// Configuration comes from environment variables only (see README.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

// version is set at build time: -ldflags "-X main.version=..."
var version = "dev"

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "gatehouse:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "version", "--version", "-v":
		fmt.Fprintln(stdout, "gatehouse", version)
		return nil
	case "serve":
		return serve()
	case "migrate":
		return migrate(args, stdout)
	case "admin":
		return admin(args, os.Stdin, stdout)
	case "dev":
		return dev(args, stdout)
	case "help", "--help", "-h":
		fmt.Fprintln(stdout, "usage: gatehouse [serve] | migrate up|down|status | admin create (--email E | --phone P) [--role R] | dev seed --users N | version")
		return nil
	}
	return fmt.Errorf("unknown command %q (want serve, migrate, admin, dev or version)", cmd)
}

func loadConfig() (app.Config, error) {
	cfg, err := app.Load(os.Getenv)
	if err != nil {
		return cfg, fmt.Errorf("invalid configuration:\n%w", err)
	}
	cfg.Version = version
	return cfg, nil
}

// serve runs until SIGINT/SIGTERM, then drains requests and exits 0.
func serve() error {
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	log := app.NewLogger(cfg)
	a := fx.New(app.Options(cfg, log))
	if err := a.Err(); err != nil {
		return err
	}
	// Listen before starting: a SIGTERM that arrives while starting waits
	// in the channel and stops the app in order once it is up, instead of
	// killing the process mid-start.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGINT, syscall.SIGTERM)
	startCtx, cancel := context.WithTimeout(context.Background(), a.StartTimeout())
	defer cancel()
	if err := a.Start(startCtx); err != nil {
		stopCtx, c2 := context.WithTimeout(context.Background(), a.StopTimeout())
		defer c2()
		return errors.Join(err, a.Stop(stopCtx))
	}
	s := <-sig
	log.Info("shutting down", "signal", s.String())
	stopCtx, c3 := context.WithTimeout(context.Background(), a.StopTimeout())
	defer c3()
	return a.Stop(stopCtx)
}
