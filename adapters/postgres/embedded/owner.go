package embedded

import (
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// account is the OS user initdb and postgres run as. nil means "as this
// process", which is the normal case when not running as root.
type account struct {
	name     string
	uid, gid uint32
}

// serverAccount returns the postgres OS user when running as root, because
// initdb and postgres refuse to run as root.
func serverAccount() (*account, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL refuses to run as root, but there is no `postgres` OS user to run it as (%v); "+
			"create it with `useradd --system --home /var/lib/postgresql --shell /bin/bash postgres` "+
			"(installing the postgresql package also does) or run Gatehouse as an unprivileged user", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("postgres OS user has non-numeric uid/gid %q/%q", u.Uid, u.Gid)
	}
	return &account{name: u.Username, uid: uint32(uid), gid: uint32(gid)}, nil
}

// makeDirs creates dir 0700, as PostgreSQL requires, and any missing
// parents 0755 whatever the umask, so the postgres user can traverse them.
// It returns the directories it created itself, deepest first, so that a
// failed start can take them away again: a directory that another process
// made in the meantime (mkdir says it exists) is not counted as ours.
func makeDirs(dir string) (created []string, err error) {
	var missing []string
	for p := dir; p != filepath.Dir(p); p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		}
		missing = append(missing, p)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		p, mode := missing[i], fs.FileMode(0o755)
		if i == 0 {
			mode = 0o700
		}
		if err := os.Mkdir(p, mode); errors.Is(err, fs.ErrExist) {
			continue
		} else if err != nil {
			return created, err
		}
		created = append([]string{p}, created...)
		if err := os.Chmod(p, mode); err != nil { // whatever the umask
			return created, err
		}
	}
	return created, nil
}

// removeCreated undoes makeDirs after a failed first start: the data
// directory goes with whatever initdb left in it, each parent only if
// nothing else is in it.
func removeCreated(dir string, created []string) {
	for _, p := range created {
		if p == dir {
			_ = os.RemoveAll(p)
		} else {
			_ = os.Remove(p) // fails, as it should, when not empty
		}
	}
}

// ErrUnreachable marks a data directory the postgres OS user cannot reach.
var ErrUnreachable = errors.New("not reachable by the postgres OS user")

// CheckReachable reports, before anything is created, whether the server
// could use dir as its data directory: when running as root, every
// existing directory above it must be traversable by the postgres OS user.
// An error wrapping ErrUnreachable says which one is not, with advice.
func CheckReachable(dir string) error {
	acct, err := serverAccount()
	if err != nil || acct == nil {
		return err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	return checkReachable(abs, acct)
}

// checkReachable fails early, with advice, when a directory above dir
// cannot be traversed by a; otherwise initdb would fail later with a bare
// "Permission denied". Directories not made yet are skipped: makeDirs
// makes them traversable. Only the primary group counts: the server is
// started with no supplementary groups. ACLs are not considered.
func checkReachable(dir string, a *account) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) && p != filepath.Dir(p) {
			continue
		} else if err != nil {
			return err
		}
		st, ok := fi.Sys().(*syscall.Stat_t)
		if !ok {
			return nil
		}
		var bit fs.FileMode = 0o001
		switch {
		case st.Uid == a.uid:
			bit = 0o100
		case st.Gid == a.gid:
			bit = 0o010
		}
		if fi.Mode().Perm()&bit == 0 {
			return fmt.Errorf("data directory %s is %w (%s): %s is mode %04o owned by uid %d; "+
				"set GATEHOUSE_DATA_DIR to a directory outside it (e.g. under /var/lib or /tmp) "+
				"or make it traversable (chmod o+x %s)", dir, ErrUnreachable, a.name, p, fi.Mode().Perm(), st.Uid, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
}

// KeyedDir is a cluster directory under root that belongs to dir alone:
// named after dir's path (readable, and a hash of the whole path), so a
// data directory the postgres user cannot reach always maps to the same
// cluster.
func KeyedDir(root, dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	sum := sha256.Sum256([]byte(abs))
	// The data directory's parent names it best: /root/gatehouse/.gatehouse/pg
	// becomes gatehouse-<hash>.
	name := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, filepath.Base(filepath.Dir(filepath.Dir(abs))))
	if len(name) > 40 {
		name = name[:40]
	}
	return filepath.Join(root, fmt.Sprintf("%s-%x", name, sum[:6]), "pg")
}

// chownTree hands dir and everything in it to a: PostgreSQL insists that it
// owns its data directory, and files may have been created by root (by us
// with MkdirAll, or by an operator restoring a backup).
func chownTree(dir string, a *account) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid == a.uid && st.Gid == a.gid {
			return nil
		}
		return os.Lchown(p, int(a.uid), int(a.gid))
	})
}

// passwordPathFor is the file beside the cluster in dir that holds its
// superuser's password.
func passwordPathFor(dir string) string {
	return filepath.Join(filepath.Dir(dir), filepath.Base(dir)+".password")
}

// writePassword makes a new random password for the cluster in dir and
// writes it beside it (see savePassword). It returns the file's path.
func writePassword(dir string, a *account) (string, error) {
	if err := savePassword(dir, rand.Text()+rand.Text(), a); err != nil {
		return "", err
	}
	return passwordPathFor(dir), nil
}

// savePassword writes the password of the cluster in dir beside it,
// readable by this OS user and the server's alone (initdb reads it as the
// postgres user).
func savePassword(dir, pw string, a *account) error {
	path := passwordPathFor(dir)
	_ = os.Remove(path) // a leftover of a failed initdb
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return fmt.Errorf("write the postgres password: %w", err)
	}
	if a != nil {
		if err := os.Lchown(path, int(a.uid), int(a.gid)); err != nil {
			return fmt.Errorf("hand the postgres password to the postgres user: %w", err)
		}
	}
	return nil
}

// readPassword is the password of the cluster in dir; empty for a cluster
// made with trust authentication (before v0.1.0), which has no file.
func readPassword(dir string) (string, error) {
	b, err := os.ReadFile(passwordPathFor(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read the postgres password: %w", err)
	}
	return strings.TrimSpace(string(b)), nil
}
