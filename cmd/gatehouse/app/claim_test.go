package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

func write(t *testing.T, path string) {
	t.Helper()
	must(t, os.MkdirAll(filepath.Dir(path), 0o700) == nil, "mkdir %s", path)
	must(t, os.WriteFile(path, []byte("x"), 0o600) == nil, "write %s", path)
}

// TestUndoRemovesOnlyWhatTheStartMade: in a data directory that held
// files and keys, a failed start takes away the keys and folders it made
// and nothing else; a data directory it made goes entirely, with the
// folders made above it.
func TestUndoRemovesOnlyWhatTheStartMade(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "notes.txt"))
	write(t, filepath.Join(dir, "keys", "signing.pem"))
	c, err := app.ClaimDataDir(app.Config{DataDir: dir})
	must(t, err == nil, "claim: %v", err)
	write(t, filepath.Join(dir, "keys", "data.key"))
	write(t, filepath.Join(dir, "blobs", "k1", "file"))
	c.Undo(nil)
	c.Release()
	for _, kept := range []string{"notes.txt", "keys/signing.pem"} {
		_, err := os.Stat(filepath.Join(dir, kept))
		must(t, err == nil, "%s was removed: %v", kept, err)
	}
	for _, gone := range []string{"keys/data.key", "blobs", "serve.lock"} {
		_, err := os.Stat(filepath.Join(dir, gone))
		must(t, os.IsNotExist(err), "%s was left: %v", gone, err)
	}

	parent := t.TempDir()
	fresh := filepath.Join(parent, "a", "b", "data")
	c, err = app.ClaimDataDir(app.Config{DataDir: fresh})
	must(t, err == nil, "claim: %v", err)
	write(t, filepath.Join(fresh, "keys", "signing.pem"))
	c.Undo(nil)
	c.Release()
	_, err = os.Stat(filepath.Join(parent, "a"))
	must(t, os.IsNotExist(err), "folders made for the data directory were left: %v", err)
}

// TestOneServerPerEmbeddedDataDir: with the embedded database a second
// server is refused the data directory; servers on DATABASE_URL share it,
// and one that fails takes nothing from under the other.
func TestOneServerPerEmbeddedDataDir(t *testing.T) {
	dir := t.TempDir()
	first, err := app.ClaimDataDir(app.Config{DataDir: dir})
	must(t, err == nil, "claim: %v", err)
	_, err = app.ClaimDataDir(app.Config{DataDir: dir})
	must(t, err != nil && strings.Contains(err.Error(), "is in use by another Gatehouse server"), "second claim: %v", err)
	first.Release()

	url := app.Config{DataDir: dir, DatabaseURL: "postgres://gh@db/gh"}
	a, err := app.ClaimDataDir(url)
	must(t, err == nil, "claim: %v", err)
	b, err := app.ClaimDataDir(url)
	must(t, err == nil, "a shared claim refused: %v", err)
	write(t, filepath.Join(dir, "keys", "signing.pem"))
	b.Undo(nil)
	b.Release()
	_, err = os.Stat(filepath.Join(dir, "keys", "signing.pem"))
	must(t, err == nil, "a failed start removed the keys of a server still running: %v", err)
	a.Release()
}
