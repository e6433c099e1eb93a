package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"go.uber.org/fx"

	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
	"github.com/gatehouse/gatehouse/modules/identity"
)

// admin runs operator commands: `admin create --phone P [--role R]` makes
// an account with a random PIN, printed once.
func admin(args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: gatehouse admin create --phone +E164 [--role SUPERADMIN]")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	fs.SetOutput(out)
	phone := fs.String("phone", "", "phone number in international format (+…)")
	role := fs.String("role", "SUPERADMIN", "role: MEMBER, SUPPORT, COMPLIANCE, ACCOUNTANT, ADMIN, SUPERADMIN or PARTNER")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	var ids *identity.Service
	a := fx.New(app.CoreOptions(cfg, app.NewLogger(cfg)), fx.Populate(&ids))
	ctx := context.Background()
	if err := a.Start(ctx); err != nil {
		return errors.Join(err, a.Stop(ctx))
	}
	defer a.Stop(ctx) //nolint:errcheck
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
