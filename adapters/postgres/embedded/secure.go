package embedded

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5"
)

// secure gives the superuser of a cluster made with trust authentication
// (by builds before v0.1.0, which had no password) a password, and makes
// the server ask for it: until then any local user could connect to it as
// its superuser. The steps keep the cluster usable if one fails: the
// password is set and written down while trust still lets us in, and only
// then does the server start asking for it. A failure is logged, and the
// cluster keeps working as it did.
func (c *Cluster) secure(ctx context.Context, a *account) {
	if err := c.requirePassword(ctx, a); err != nil {
		c.log.Warn("the embedded PostgreSQL's superuser has no password Gatehouse knows; "+
			"remove the cluster to have it made anew", "dir", c.dataDir, "err", err)
		return
	}
	c.log.Info("the embedded PostgreSQL trusted every local connection; its superuser now signs in with a password", "dir", c.dataDir)
}

func (c *Cluster) requirePassword(ctx context.Context, a *account) error {
	hba := filepath.Join(c.dataDir, "pg_hba.conf")
	b, err := os.ReadFile(hba)
	if err != nil {
		return err
	}
	lines := strings.Split(string(b), "\n")
	trusting := false
	for i, l := range lines {
		f := strings.Fields(l)
		if len(f) > 0 && !strings.HasPrefix(f[0], "#") && f[len(f)-1] == "trust" {
			lines[i] = strings.TrimSuffix(strings.TrimRight(l, " \t"), "trust") + "scram-sha-256"
			trusting = true
		}
	}
	if !trusting {
		return fmt.Errorf("its password file %s is missing", passwordPathFor(c.dataDir))
	}
	conn, err := pgx.Connect(ctx, c.URL("postgres"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	pw := rand.Text() + rand.Text() // base32: nothing to quote
	if _, err := conn.Exec(ctx, "ALTER ROLE postgres PASSWORD '"+pw+"'"); err != nil {
		return err
	}
	if err := savePassword(c.dataDir, pw, a); err != nil {
		return err
	}
	c.password = pw
	tmp := hba + ".gatehouse"
	if err := os.WriteFile(tmp, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		return err
	}
	if a != nil {
		if err := os.Lchown(tmp, int(a.uid), int(a.gid)); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, hba); err != nil {
		return err
	}
	var ok bool
	if err := conn.QueryRow(ctx, "SELECT pg_reload_conf()").Scan(&ok); err != nil || !ok {
		return fmt.Errorf("reload the configuration: %v", err)
	}
	return nil
}
