package embedded

import (
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
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
func makeDirs(dir string) error {
	var missing []string
	for p := filepath.Dir(dir); p != filepath.Dir(p); p = filepath.Dir(p) {
		if _, err := os.Stat(p); err == nil {
			break
		}
		missing = append(missing, p)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	for _, p := range missing {
		if err := os.Chmod(p, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// checkReachable fails early, with advice, when a directory above dir
// cannot be traversed by a; otherwise initdb would fail later with a bare
// "Permission denied". Only the primary group counts: the server is started
// with no supplementary groups. ACLs are not considered.
func checkReachable(dir string, a *account) error {
	for p := filepath.Dir(dir); ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
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
			return fmt.Errorf("data directory %s is not reachable by the %s OS user that PostgreSQL runs as: "+
				"%s is mode %04o owned by uid %d; set GATEHOUSE_DATA_DIR to a directory outside it (e.g. under /var/lib or /tmp) "+
				"or make it traversable (chmod o+x %s)", dir, a.name, p, fi.Mode().Perm(), st.Uid, p)
		}
		if p == filepath.Dir(p) {
			return nil
		}
	}
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
