package app

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Claim is a server's hold on its data directory, from before anything is
// made in it until the process ends: the folders and files the start made,
// so that a start that fails can take them away, and a lock, so that what
// it takes away is nobody else's.
type Claim struct {
	dir  string
	lock *os.File
	made []string        // folders made for the data directory, deepest first
	had  map[string]bool // what the data directory (and its keys/) held once locked

	lockWasThere bool
}

// ClaimDataDir makes the data directory (and any missing folder above it)
// and locks it for `serve`: exclusively with the embedded database, whose
// cluster one server runs at a time, shared with DATABASE_URL, where
// servers on one machine may share a data directory. A data directory
// another server holds is refused. Release the claim at exit; Undo it
// when the start fails.
func ClaimDataDir(cfg Config) (*Claim, error) {
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	c := &Claim{dir: dir, had: map[string]bool{}}
	var missing []string
	for p := dir; p != filepath.Dir(p); p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		}
		missing = append(missing, p)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		// Traversable, not listable: the postgres OS user may need to pass.
		if err := os.Mkdir(missing[i], 0o711); errors.Is(err, fs.ErrExist) {
			continue // made by someone else meanwhile: not ours
		} else if err != nil {
			c.removeMade()
			return nil, fmt.Errorf("GATEHOUSE_DATA_DIR %s cannot be made: %w", cfg.DataDir, err)
		}
		c.made = append([]string{missing[i]}, c.made...)
		if err := os.Chmod(missing[i], 0o711); err != nil { // whatever the umask
			c.removeMade()
			return nil, err
		}
	}
	_, err = os.Lstat(filepath.Join(dir, "serve.lock"))
	c.lockWasThere = err == nil
	c.lock, err = os.OpenFile(filepath.Join(dir, "serve.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		c.removeMade()
		return nil, fmt.Errorf("GATEHOUSE_DATA_DIR %s cannot be used: %w", cfg.DataDir, err)
	}
	how := syscall.LOCK_EX
	if cfg.DatabaseURL != "" {
		how = syscall.LOCK_SH
	}
	if err := syscall.Flock(int(c.lock.Fd()), how|syscall.LOCK_NB); err != nil {
		c.lock.Close()
		return nil, fmt.Errorf("GATEHOUSE_DATA_DIR %s is in use by another Gatehouse server: stop it, "+
			"or set GATEHOUSE_DATA_DIR to another directory", dir)
	}
	for _, sub := range []string{"", "keys"} {
		entries, _ := os.ReadDir(filepath.Join(dir, sub))
		for _, e := range entries {
			c.had[filepath.Join(sub, e.Name())] = true
		}
	}
	return c, nil
}

// Undo takes away what the failed start made: a cluster it created (db,
// when the database was opened), the keys and folders it made in the data
// directory, and the data directory itself if it made it. It does so only
// while no other server shares the directory; what was there before stays.
func (c *Claim) Undo(db *Database) {
	if db != nil {
		db.Discard()
	}
	if syscall.Flock(int(c.lock.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return // shared with a server that is using it
	}
	for _, sub := range []string{"keys", ""} {
		entries, _ := os.ReadDir(filepath.Join(c.dir, sub))
		for _, e := range entries {
			if name := filepath.Join(sub, e.Name()); !c.had[name] && name != "serve.lock" {
				_ = os.RemoveAll(filepath.Join(c.dir, name))
			}
		}
	}
	if !c.lockWasThere {
		_ = os.Remove(c.lock.Name())
	}
	c.removeMade()
}

// removeMade removes the folders ClaimDataDir made, if nothing else is in
// them.
func (c *Claim) removeMade() {
	for _, p := range c.made {
		_ = os.Remove(p)
	}
}

// Release lets the data directory go (the process's exit does too).
func (c *Claim) Release() { _ = c.lock.Close() }
