package main

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/migrations"
)

// migrateRun runs `gatehouse args...` and returns its output and whether
// it exited 0.
func migrateRun(t *testing.T, envs []string, args ...string) (string, bool) {
	t.Helper()
	cmd, out := gatehouse(t, envs, args...)
	err := cmd.Run()
	if err != nil {
		if _, exited := err.(*exec.ExitError); !exited {
			t.Fatalf("gatehouse %v: %v", args, err)
		}
	}
	return out.String(), err == nil
}

// pendingCount is how many migrations `migrate status` lists as pending.
func pendingCount(t *testing.T, envs []string) int {
	t.Helper()
	out, ok := migrateRun(t, envs, "migrate", "status")
	must(t, ok, "migrate status: %s", out)
	return strings.Count(out, "\tpending")
}

// TestMigrateDownOneStepByDefault: `migrate down` once rolled back every
// migration, all data with them. It now rolls back the newest one; `down
// N` rolls back N; everything takes --all --yes.
func TestMigrateDownOneStepByDefault(t *testing.T) {
	t.Parallel()
	envs := []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=" + pgtest.URL(t), "GATEHOUSE_DATA_DIR=" + t.TempDir()}
	must(t, pendingCount(t, envs) == 0, "a fresh test database is migrated")

	// The migrations, newest last (each test database has them all).
	all := migrations.Migrations.Sorted()
	n := len(all)
	must(t, n >= 4, "%d migrations", n)
	newest := func(i int) string { return all[n-1-i].Name }

	out, ok := migrateRun(t, envs, "migrate", "down")
	must(t, ok && strings.Count(out, "rolled back") == 1 && strings.Contains(out, "rolled back "+newest(0)),
		"down rolls back the newest migration only:\n%s", out)
	must(t, pendingCount(t, envs) == 1, "one pending after down")

	out, ok = migrateRun(t, envs, "migrate", "down", "2")
	must(t, ok && strings.Count(out, "rolled back") == 2 && strings.Contains(out, "rolled back "+newest(1)) &&
		strings.Contains(out, "rolled back "+newest(2)), "down 2:\n%s", out)
	must(t, pendingCount(t, envs) == 3, "three pending after down 2")

	for _, bad := range [][]string{{"--all"}, {"0"}, {"x"}, {"--yes"}, {"--all", "--yes", "2"}} {
		out, ok = migrateRun(t, envs, append([]string{"migrate", "down"}, bad...)...)
		must(t, !ok, "migrate down %v was accepted:\n%s", bad, out)
	}
	out, _ = migrateRun(t, envs, "migrate", "down", "--all")
	must(t, strings.Contains(out, "--yes"), "--all without --yes says what to add:\n%s", out)
	must(t, pendingCount(t, envs) == 3, "refused commands rolled nothing back")

	out, ok = migrateRun(t, envs, "migrate", "up")
	must(t, ok && strings.Count(out, "applied 2026") == 3, "up:\n%s", out)
	out, ok = migrateRun(t, envs, "migrate", "down", "--all", "--yes")
	must(t, ok && strings.Count(out, "rolled back 2026") == n && strings.Contains(out, "rolled back river"), "down --all --yes:\n%s", out)
	must(t, pendingCount(t, envs) == n, "all pending after down --all --yes")
	out, ok = migrateRun(t, envs, "migrate", "down")
	must(t, ok && strings.Contains(out, "nothing to roll back"), "down with nothing applied:\n%s", out)
}

// TestMigrateDownRefusedInProd: in production a rollback takes an explicit
// --allow-prod.
func TestMigrateDownRefusedInProd(t *testing.T) {
	t.Parallel()
	envs := []string{"GATEHOUSE_ENV=prod", "DATABASE_URL=" + pgtest.URL(t), "GATEHOUSE_DATA_DIR=" + t.TempDir()}
	for _, args := range [][]string{{"migrate", "down"}, {"migrate", "down", "--all", "--yes"}} {
		out, ok := migrateRun(t, envs, args...)
		must(t, !ok && strings.Contains(out, "--allow-prod"), "%v in prod:\n%s", args, out)
	}
	must(t, pendingCount(t, envs) == 0, "nothing was rolled back")
	out, ok := migrateRun(t, envs, "migrate", "down", "--allow-prod")
	must(t, ok && strings.Count(out, "rolled back") == 1, "down --allow-prod:\n%s", out)
}

// TestMigrateDownRefusedWhileServing: a rollback under a running server
// breaks it and loses what it writes; `migrate down` refuses while a
// server holds the data directory.
func TestMigrateDownRefusedWhileServing(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	envs := []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=" + pgtest.URL(t), "GATEHOUSE_DATA_DIR=" + t.TempDir(),
		"GATEHOUSE_HTTP_ADDR=" + addr}
	srv, srvOut := gatehouse(t, envs, "serve")
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill() //nolint:errcheck
	waitReady(t, "http://"+addr+"/readyz", srvOut)

	out, ok := migrateRun(t, envs, "migrate", "down")
	must(t, !ok && strings.Contains(out, "server is running"), "down while serving:\n%s", out)
	must(t, pendingCount(t, envs) == 0, "nothing was rolled back")

	_ = srv.Process.Kill()
	_ = srv.Wait()
	out, ok = migrateRun(t, envs, "migrate", "down")
	must(t, ok && strings.Count(out, "rolled back") == 1, "down once the server stopped:\n%s", out)
}
