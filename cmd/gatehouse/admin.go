package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/identity"
)

const adminUsage = "usage: gatehouse admin create (--email EMAIL | --phone +E164) [--role MEMBER]\n" +
	"  --email reads the password from the first line of stdin"

// admin runs operator commands. `admin create --email E [--role R]` makes
// an account whose email counts as verified, with the password read from
// stdin; `admin create --phone P [--role R]` makes one with a random PIN,
// printed once.
func admin(args []string, stdin io.Reader, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New(adminUsage)
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(out)
	email := fs.String("email", "", "email address (the password is read from stdin)")
	phone := fs.String("phone", "", "phone number in international format (+…)")
	role := fs.String("role", "MEMBER", "role: MEMBER, SUPPORT, COMPLIANCE, ACCOUNTANT, ADMIN, SUPERADMIN or PARTNER")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if (*email == "") == (*phone == "") {
		return errors.New(adminUsage)
	}
	password := ""
	if *email != "" {
		line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read the password from stdin: %w", err)
		}
		if password = strings.TrimRight(line, "\r\n"); password == "" {
			return errors.New("no password on stdin: pipe it in, e.g. `printf '%s\\n' \"$PW\" | gatehouse admin create --email …`")
		}
	}
	cfg, err := loadConfig(app.ScopeAccounts)
	if err != nil {
		return err
	}
	cfg = commandLogger(cfg)
	var ids *identity.StaffService
	var db *app.Database
	a := fx.New(app.CoreOptions(cfg, app.NewLogger(cfg)), fx.Populate(&ids, &db))
	if err := a.Err(); err != nil {
		return err
	}
	tellDatabase(db)
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		return errors.Join(err, a.Stop(ctx))
	}
	defer a.Stop(ctx) //nolint:errcheck
	if *email != "" {
		u, created, err := ids.CreateUserWithEmail(ctx, *email, *role, password)
		if err != nil {
			return err
		}
		if !created {
			return fmt.Errorf("%s already has an account (id %s, role %s)", u.Email, u.ID, u.Role)
		}
		fmt.Fprintf(out, "created %s: id %s, role %s; sign in with signIn (email and password)\n", u.Email, u.ID, u.Role)
		return nil
	}
	u, pin, created, err := ids.CreateUser(ctx, *phone, *role)
	if err != nil {
		return err
	}
	if !created {
		return fmt.Errorf("%s already has an account (id %s, role %s)", u.Phone, u.ID, u.Role)
	}
	fmt.Fprintf(out, "created %s: id %s, role %s, PIN %s (shown once; sign in and change it)\n", u.Phone, u.ID, u.Role, pin)
	return nil
}
