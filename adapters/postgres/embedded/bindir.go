package embedded

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// installHint is the one place that tells an operator what to install;
// .ci/install-postgres.sh prints the same advice.
const installHint = "PostgreSQL server binaries (initdb, postgres) not found; " +
	"install them with `apt-get install -y postgresql` (Debian/Ubuntu) " +
	"or set GATEHOUSE_PG_BIN to the directory holding them"

// FindBinDir locates the directory holding initdb and postgres. Order:
// GATEHOUSE_PG_BIN, `pg_config --bindir`, the highest
// /usr/lib/postgresql/*/bin (Debian keeps server binaries off PATH).
func FindBinDir() (string, error) {
	if dir := os.Getenv("GATEHOUSE_PG_BIN"); dir != "" {
		// An explicit setting that is wrong is an error, not a hint to
		// guess: silently using another version would surprise.
		if hasServerBinaries(dir) {
			return dir, nil
		}
		return "", fmt.Errorf("GATEHOUSE_PG_BIN=%s has no initdb and postgres: %s", dir, installHint)
	}
	// pg_config may come from libpq-dev alone, so its answer is checked.
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); hasServerBinaries(dir) {
			return dir, nil
		}
	}
	for _, dir := range debianBinDirs() {
		if hasServerBinaries(dir) {
			return dir, nil
		}
	}
	return "", errors.New(installHint)
}

// debianBinDirs lists /usr/lib/postgresql/<major>/bin, highest major first.
func debianBinDirs() []string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	major := func(d string) float64 {
		v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(d)), 64)
		return v
	}
	// Numeric, not lexical: 9.6 < 10 < 15.
	sort.Slice(dirs, func(i, j int) bool { return major(dirs[i]) > major(dirs[j]) })
	return dirs
}

func hasServerBinaries(dir string) bool {
	for _, name := range []string{"initdb", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 == 0 {
			return false
		}
	}
	return true
}
