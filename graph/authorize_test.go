package graph

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/errtest"
	"github.com/gatehouse/gatehouse/ports/portsfake"
)

// TestEveryRootFieldSaysWhoMayCallIt reads the schema itself: a new root
// field without exactly one of @public, @auth or @hasRole fails here (and
// is closed to anonymous callers by authorize meanwhile).
func TestEveryRootFieldSaysWhoMayCallIt(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, root := range []string{"Query", "Mutation"} {
		def := schema.Types[root]
		if def == nil {
			t.Fatalf("no %s type", root)
		}
		for _, f := range def.Fields {
			if isIntrospection(f.Name) {
				continue
			}
			n := 0
			for _, d := range []string{"public", "auth", "hasRole"} {
				if f.Directives.ForName(d) != nil {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s.%s carries %d of @public/@auth/@hasRole, want exactly 1", root, f.Name, n)
			}
		}
	}
}

// authzCase drives authorize directly on one root field, as gqlgen does.
type authzCase struct {
	t       *testing.T
	policy  *admin.Policy
	audit   *portsfake.AuditTrail
	viewers int // how often the token was looked at
	role    string
	userID  uuid.UUID
	// program, when set, is the program calling as role.
	program *ports.Program
	// auditOverride, when set, is the trail authorize writes to.
	auditOverride ports.AuditTrail
}

func newAuthzCase(t *testing.T, rows ...admin.Permission) *authzCase {
	p := admin.NewPolicy(nil, nil, admin.Operations(RootFieldNames()), slog.New(slog.DiscardHandler))
	p.Swap(rows)
	return &authzCase{t: t, policy: p, audit: portsfake.NewAuditTrail(nil), userID: uuid.New()}
}

func (c *authzCase) caller(ctx context.Context) (*ports.Caller, error) {
	c.viewers++
	if c.role == "" {
		return nil, ports.Errorf(ports.CodeUnauthenticated, "sign in first")
	}
	return &ports.Caller{UserID: c.userID, Role: c.role, Program: c.program}, nil
}

type callResult struct {
	ran  bool
	errs gqlerror.List
	out  graphql.Marshaler
}

// call runs field (a Query or Mutation root field) with args and vars;
// resolve is the resolver (its error lands under the field's path).
func (c *authzCase) call(ctx context.Context, object, field string, args ast.ArgumentList, vars map[string]any,
	resolve func(ctx context.Context) error) callResult {
	c.t.Helper()
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	def := schema.Types[object].Fields.ForName(field)
	if def == nil && !isIntrospection(field) {
		c.t.Fatalf("no field %s.%s", object, field)
	}
	f := &ast.Field{Alias: field, Name: field, Arguments: args, Definition: def}
	ctx = graphql.WithResponseContext(ctx, presentError(slog.New(slog.DiscardHandler)), nil)
	ctx = graphql.WithOperationContext(ctx, &graphql.OperationContext{Variables: vars})
	ctx = graphql.WithRootFieldContext(ctx, &graphql.RootFieldContext{Object: object, Field: graphql.CollectedField{Field: f}})
	var res callResult
	var trail ports.AuditTrail = c.audit
	if c.auditOverride != nil {
		trail = c.auditOverride
	}
	mw := authorizeWith(c.caller, time.Now, c.policy, trail, slog.New(slog.DiscardHandler))
	res.out = mw(ctx, func(ctx context.Context) graphql.Marshaler {
		res.ran = true
		if resolve != nil {
			if err := resolve(ctx); err != nil {
				fctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Object: object, Field: graphql.CollectedField{Field: f}})
				graphql.AddError(fctx, err)
				return graphql.Null
			}
		}
		return graphql.MarshalString("ok")
	})
	res.errs = graphql.GetErrors(ctx)
	return res
}

func code(errs gqlerror.List) string {
	if len(errs) == 0 {
		return ""
	}
	s, _ := errs[0].Extensions["code"].(string)
	return s
}

func perm(role, op, action string) admin.Permission {
	return admin.Permission{ID: uuid.New(), Role: role, Operation: op, Action: action}
}

func TestAuthorizeFollowsTheRows(t *testing.T) {
	rows := []admin.Permission{
		perm(ports.RoleAnonymous, "appConfig", admin.PermissionAllow),
		perm(ports.RoleMember, "appConfig", admin.PermissionDeny), // ANONYMOUS opened it to everyone
		perm(ports.RoleMember, "me", admin.PermissionAllow),
		perm(ports.RoleMember, "myProfile", admin.PermissionDeny),
		perm(ports.RoleSupport, "*", admin.PermissionAllow),
		perm(ports.RoleSupport, "users", admin.PermissionDeny),
	}
	bg := context.Background()
	for _, tc := range []struct {
		role, object, field string
		wantCode            string
		viewed              bool
	}{
		{"", "Query", "__schema", "", false},
		{"", "Query", "appConfig", "", false},
		{ports.RoleMember, "Query", "appConfig", "", false},
		{"", "Query", "me", "UNAUTHENTICATED", true},
		{ports.RoleMember, "Query", "me", "", true},
		{ports.RoleMember, "Query", "myProfile", "FORBIDDEN", true}, // DENY
		{ports.RoleMember, "Query", "users", "FORBIDDEN", true},     // no rule
		{"", "Query", "users", "UNAUTHENTICATED", true},
		{ports.RoleSupport, "Query", "user", "", true},           // by *
		{ports.RoleSupport, "Query", "users", "FORBIDDEN", true}, // DENY beats *
		{ports.RoleAdmin, "Mutation", "setUserState", "FORBIDDEN", true},
	} {
		c := newAuthzCase(t, rows...)
		c.role = tc.role
		res := c.call(bg, tc.object, tc.field, nil, nil, nil)
		if got := code(res.errs); got != tc.wantCode || res.ran != (tc.wantCode == "") {
			t.Errorf("%q %s: code %q ran %v, want %q", tc.role, tc.field, got, res.ran, tc.wantCode)
		}
		if tc.wantCode != "" && (len(res.errs) != 1 || res.errs[0].Path.String() != tc.field) {
			t.Errorf("%q %s: refusal not under the field's path: %v", tc.role, tc.field, res.errs)
		}
		if (c.viewers > 0) != tc.viewed {
			t.Errorf("%q %s: token looked at %d times", tc.role, tc.field, c.viewers)
		}
		if len(c.audit.AdminActivities()) != 0 {
			t.Errorf("%q %s: audited without an AUDIT rule", tc.role, tc.field)
		}
	}
}

func TestAuditRuleWritesOneAdminActivity(t *testing.T) {
	target := uuid.New()
	rows := []admin.Permission{
		perm(ports.RoleSupport, "user", admin.PermissionAudit),
		perm(ports.RoleAdmin, "setUserState", admin.PermissionAudit),
		perm(ports.RoleMember, "changePin", admin.PermissionAudit),
	}
	meta := ports.WithRequestMeta(context.Background(), ports.RequestMeta{IP: "198.51.100.4", UserAgent: "console/1"})

	t.Run("a read", func(t *testing.T) {
		c := newAuthzCase(t, rows...)
		c.role = ports.RoleSupport
		res := c.call(meta, "Query", "user", ast.ArgumentList{{Name: "id",
			Value: &ast.Value{Kind: ast.StringValue, Raw: target.String()}}}, nil, nil)
		if !res.ran || len(res.errs) != 0 {
			t.Fatalf("ran %v, errors %v", res.ran, res.errs)
		}
		got := c.audit.AdminActivities()
		if len(got) != 1 {
			t.Fatalf("%d rows", len(got))
		}
		a := got[0]
		if a.Action != "user" || a.AdminID != c.userID || a.TargetUserID == nil || *a.TargetUserID != target ||
			a.Result != ports.ActivitySucceeded || a.IP != "198.51.100.4" || a.UserAgent != "console/1" ||
			a.Input["id"] != target.String() {
			t.Fatalf("row %+v", a)
		}
	})

	t.Run("a failed mutation", func(t *testing.T) {
		for _, fail := range []struct {
			err    error
			result ports.ActivityResult
		}{
			{ports.Errorf(ports.CodeConflict, "pending"), ports.ActivityFailed},
			{ports.Errorf(ports.CodeForbidden, "not yourself"), ports.ActivityDenied},
		} {
			c := newAuthzCase(t, rows...)
			c.role = ports.RoleAdmin
			vars := map[string]any{"in": map[string]any{"userId": target.String(), "state": "BANNED", "reason": "fraud ring"}}
			res := c.call(meta, "Mutation", "setUserState", ast.ArgumentList{{Name: "input",
				Value: &ast.Value{Kind: ast.Variable, Raw: "in"}}}, vars, func(context.Context) error { return fail.err })
			if code(res.errs) != string(ports.ErrorCodeOf(fail.err)) {
				t.Fatalf("client sees %v", res.errs)
			}
			got := c.audit.AdminActivities()
			if len(got) != 1 {
				t.Fatalf("%d rows", len(got))
			}
			a := got[0]
			if a.Action != "setUserState" || a.Reason != "fraud ring" || a.Result != fail.result ||
				a.Error != ports.ErrorCodeOf(fail.err) || a.TargetUserID == nil || *a.TargetUserID != target ||
				a.Input["state"] != "BANNED" {
				t.Fatalf("row %+v", a)
			}
		}
	})

	t.Run("the service wrote its own", func(t *testing.T) {
		c := newAuthzCase(t, rows...)
		c.role = ports.RoleAdmin
		vars := map[string]any{"in": map[string]any{"userId": target.String(), "state": "BANNED", "reason": "r"}}
		res := c.call(meta, "Mutation", "setUserState", ast.ArgumentList{{Name: "input",
			Value: &ast.Value{Kind: ast.Variable, Raw: "in"}}}, vars, func(ctx context.Context) error {
			ports.MarkAudited(ctx)
			return nil
		})
		if !res.ran || len(c.audit.AdminActivities()) != 0 {
			t.Fatalf("ran %v, %d rows written besides the service's", res.ran, len(c.audit.AdminActivities()))
		}
	})

	t.Run("secrets are redacted", func(t *testing.T) {
		c := newAuthzCase(t, rows...)
		c.role = ports.RoleMember
		vars := map[string]any{"in": map[string]any{"currentPin": "1234", "newPin": "5678", "confirmPin": "5678"}}
		c.call(meta, "Mutation", "changePin", ast.ArgumentList{{Name: "input",
			Value: &ast.Value{Kind: ast.Variable, Raw: "in"}}}, vars, nil)
		got := c.audit.AdminActivities()
		if len(got) != 1 {
			t.Fatalf("%d rows", len(got))
		}
		for k, v := range got[0].Input {
			if v != "[redacted]" {
				t.Errorf("%s kept as %v", k, v)
			}
		}
	})

	t.Run("a cancelled request still records", func(t *testing.T) {
		c := newAuthzCase(t, rows...)
		c.role = ports.RoleSupport
		ctx, cancel := context.WithCancel(meta)
		audit := &ctxCheckingAudit{AuditTrail: c.audit}
		c.auditOverride = audit
		res := c.call(ctx, "Query", "user", ast.ArgumentList{{Name: "id",
			Value: &ast.Value{Kind: ast.StringValue, Raw: target.String()}}}, nil, func(context.Context) error {
			cancel() // the client went away while the resolver ran
			return ctx.Err()
		})
		if !res.ran || len(c.audit.AdminActivities()) != 1 || audit.sawDone {
			t.Fatalf("ran %v, %d rows, write context done %v", res.ran, len(c.audit.AdminActivities()), audit.sawDone)
		}
	})

	t.Run("a failed write never fails the response", func(t *testing.T) {
		c := newAuthzCase(t, rows...)
		c.role = ports.RoleSupport
		c.audit.FailRecordsWith(errors.New("database down"))
		res := c.call(meta, "Query", "user", ast.ArgumentList{{Name: "id",
			Value: &ast.Value{Kind: ast.StringValue, Raw: target.String()}}}, nil, nil)
		if !res.ran || len(res.errs) != 0 || res.out == graphql.Null {
			t.Fatalf("ran %v, errors %v", res.ran, res.errs)
		}
	})
}

// ctxCheckingAudit notes whether the write's context was already done.
type ctxCheckingAudit struct {
	*portsfake.AuditTrail
	sawDone bool
}

func (a *ctxCheckingAudit) RecordAdmin(ctx context.Context, r ports.AdminActivity) error {
	if ctx.Err() != nil {
		a.sawDone = true
		return ctx.Err()
	}
	return a.AuditTrail.RecordAdmin(ctx, r)
}

// An audited read whose data came back is not a failure because a
// sub-field the caller may not read failed; the root field's own error is.
func TestFieldErrorIsTheRootFieldsOwn(t *testing.T) {
	sub := &gqlerror.Error{Message: "no", Path: ast.Path{ast.PathName("u"), ast.PathName("profile")},
		Extensions: map[string]any{"code": "FORBIDDEN"}}
	own := &gqlerror.Error{Message: "gone", Path: ast.Path{ast.PathName("u")},
		Extensions: map[string]any{"code": "NOT_FOUND"}}
	other := &gqlerror.Error{Message: "x", Path: ast.Path{ast.PathName("v")}, Extensions: map[string]any{"code": "CONFLICT"}}
	if err := fieldError(gqlerror.List{sub, other}, 0, "u"); err != nil {
		t.Fatalf("a sub-field's error made the call fail: %v", err)
	}
	err := fieldError(gqlerror.List{sub, own}, 0, "u")
	errtest.Code(t, err, ports.CodeNotFound, "the root field's own error")
	if err := fieldError(gqlerror.List{own}, 1, "u"); err != nil {
		t.Fatalf("an error from before the call counted: %v", err)
	}
}

func TestAuditSubjectNamesTheUser(t *testing.T) {
	id := uuid.New()
	for name, c := range map[string]struct {
		field string
		args  map[string]any
	}{
		"input.userId":    {"setUserState", map[string]any{"input": map[string]any{"userId": id.String(), "reason": "r"}}},
		"user(id)":        {"user", map[string]any{"id": id.String()}},
		"users filter id": {"users", map[string]any{"filter": map[string]any{"id": id.String()}}},
		"activities":      {"activities", map[string]any{"filter": map[string]any{"userId": id.String()}}},
		"userId argument": {"userApiKeys", map[string]any{"userId": id.String()}},
	} {
		target, _ := auditSubject(c.field, c.args)
		if target == nil || *target != id {
			t.Errorf("%s: target %v", name, target)
		}
	}
	if target, _ := auditSubject("users", map[string]any{"filter": map[string]any{"email": "a@b"}}); target != nil {
		t.Errorf("a search by email named a target: %v", target)
	}
}
