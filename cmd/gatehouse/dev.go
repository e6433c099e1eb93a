package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const devUsage = "usage: gatehouse dev seed --users N [--files N]   (not in prod: GATEHOUSE_ENV=dev)"

// defaultSeedFiles is how many pending submissions get real files.
const defaultSeedFiles = 200

// maxSeedUsers bounds one seed run.
const maxSeedUsers = 10_000_000

// maxSeedFiles bounds the submissions given stored files (two objects
// of some 20 kB each).
const maxSeedFiles = 100_000

// dev runs development helpers. `dev seed --users N` adds N made-up users
// (profiles, labels, KYC documents and submissions) to the database the
// app uses, by COPY, for demos and benchmarks, then stores the files of the
// first --files pending submissions of the review queue (small drawn
// images, sealed by the blob store as uploads are) so that the console's
// KYC review shows them. It refuses to run in prod.
func dev(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "seed" {
		return errors.New(devUsage)
	}
	fs := flag.NewFlagSet("dev seed", flag.ContinueOnError)
	fs.SetOutput(out)
	users := fs.Int("users", 0, "how many users to add")
	files := fs.Int("files", defaultSeedFiles, "how many pending submissions (oldest first) get stored files")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 0 || *users <= 0 || *users > maxSeedUsers {
		return fmt.Errorf("--users must be 1..%d\n%s", maxSeedUsers, devUsage)
	}
	if *files < 0 || *files > maxSeedFiles {
		return fmt.Errorf("--files must be 0..%d\n%s", maxSeedFiles, devUsage)
	}
	// Refused before reading the rest of the configuration: prod is the
	// default when GATEHOUSE_ENV is unset.
	if env := os.Getenv("GATEHOUSE_ENV"); env == "" || env == "prod" {
		return errors.New("dev seed refuses to run in prod (GATEHOUSE_ENV unset or prod): it writes made-up users; set GATEHOUSE_ENV=dev")
	}
	// The server's configuration: the files go to its blob store.
	cfg, err := loadConfig(app.ScopeServe)
	if err != nil {
		return err
	}
	if cfg.Prod() {
		return errors.New("dev seed refuses to run in prod: it writes made-up users")
	}
	cfg = commandLogger(cfg)
	ctx := context.Background()
	log := app.NewLogger(cfg)
	// The database as a one-shot command opens it: it shares the embedded
	// PostgreSQL a running `make run` started instead of being refused as
	// a second server (the whole configuration is read for the blob store).
	dbCfg := cfg
	dbCfg.Scope = app.ScopeDatabase
	d, err := app.OpenDatabase(ctx, dbCfg, log)
	if err != nil {
		return err
	}
	defer d.Close()
	tellDatabase(d)
	if err := app.PrepareSchema(ctx, dbCfg, d.DB, log); err != nil {
		return err
	}
	start := time.Now()
	err = postgres.Seed(ctx, d.DB, *users, func(done int) {
		el := time.Since(start)
		fmt.Fprintf(out, "seeded %d/%d users (%s, %.0f users/s)\n", done, *users, el.Round(time.Second),
			float64(done)/el.Seconds())
	})
	if err != nil {
		return err
	}
	blobs, err := app.OpenBlobStore(cfg)
	if err != nil {
		return err
	}
	stored, err := postgres.StoreSeedFiles(ctx, d.DB, blobs, *files)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "done: %d users in %s (tables analysed); %d KYC files stored for the first %d pending submissions\n",
		*users, time.Since(start).Round(time.Second), stored, *files)
	return nil
}
