package graph

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// directives are pass-throughs: @public, @auth and @hasRole document the
// default permission rows; authorize enforces the rows themselves, once,
// centrally, before any root resolver runs.
func directives() generated.DirectiveRoot {
	pass := func(ctx context.Context, _ any, next graphql.Resolver) (any, error) { return next(ctx) }
	return generated.DirectiveRoot{
		Public: pass,
		Auth:   pass,
		HasRole: func(ctx context.Context, obj any, next graphql.Resolver, _ []model.Role) (any, error) {
			return next(ctx)
		},
	}
}

// Authorizer is what graph asks of the permission rows (admin.Policy, the
// one source of truth for roles): the action of a role's rows for an
// operation, a root field or a role-restricted Type.field, and whether a
// caller with that role may call it. Both read memory only.
type Authorizer interface {
	// Decide returns admin.PermissionAllow, PermissionAudit,
	// PermissionDeny, or "" when no row of role matches operation.
	Decide(role, operation string) string
	// Allowed reports whether a caller with role (ports.RoleAnonymous when
	// not signed in) may call operation: the ANONYMOUS rows open it to
	// everyone, the role's own rows to the role.
	Allowed(role, operation string) bool
}

// callerFunc resolves who calls (identity.ViewerService.RequireCaller).
type callerFunc func(ctx context.Context) (*ports.Caller, error)

// authorize is the one authorization rule for every root field, read from
// the permission rows (authz): a field the ANONYMOUS rows open is called
// without the credentials even being looked at; otherwise someone must
// call (UNAUTHENTICATED) and their role's rows must allow the field
// (FORBIDDEN when they deny it or none matches). A program (API key,
// partner app) must besides be allowed the field by programRefusal: its
// scopes cover it, and it is not one no program may call; a person with
// the PARTNER role does not get the partner apps' fields (personRefusal). Under an AUDIT
// row the call leaves exactly one admin activity (the actor is the key's
// owner for an API key): the operation's own, when it writes one
// (ports.MarkAudited), else one written here after it ran.
func authorize(ids *identity.ViewerService, authz Authorizer, audit ports.AuditTrail, log *slog.Logger) graphql.RootFieldMiddleware {
	return authorizeWith(ids.RequireCaller, ids.Now, authz, audit, log)
}

func authorizeWith(caller callerFunc, now func() time.Time, authz Authorizer, audit ports.AuditTrail,
	log *slog.Logger) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		fc := graphql.GetRootFieldContext(ctx)
		if fc == nil {
			// Not a root field of an operation: nothing to decide on.
			graphql.AddError(ctx, ports.Errorf(ports.CodeForbidden, "your role may not do this"))
			return graphql.Null
		}
		name := fc.Field.Name
		if isIntrospection(name) {
			return next(ctx)
		}
		if authz.Allowed(ports.RoleAnonymous, name) {
			return next(ctx)
		}
		c, err := caller(ctx)
		if err != nil {
			refuse(ctx, fc, err)
			return graphql.Null
		}
		action := authz.Decide(c.Role, name)
		if action == admin.PermissionAllow || action == admin.PermissionAudit {
			if err := callerRefusal(c, fc.Object, name); err != nil {
				refuse(ctx, fc, err)
				return graphql.Null
			}
		}
		switch action {
		case admin.PermissionAllow:
			return next(ctx)
		case admin.PermissionAudit:
			return audited(ctx, fc, auditActor(c), now, audit, log, next)
		default:
			refuse(ctx, fc, ports.Errorf(ports.CodeForbidden, "your role may not do this"))
			return graphql.Null
		}
	}
}

// auditActor is who an audit row names: the user, or for a partner app
// (no user) its client id, which is a UUID too, so the row says which
// partner read or changed what.
func auditActor(c *ports.Caller) uuid.UUID {
	if c.Program != nil && c.Program.Kind == ports.ProgramPartner {
		if id, err := uuid.Parse(c.Program.ID); err == nil {
			return id
		}
	}
	return c.UserID
}

// refuse reports err under the refused root field's path, as a
// resolver's error would be.
func refuse(ctx context.Context, fc *graphql.RootFieldContext, err error) {
	graphql.AddError(ctx, gqlerror.WrapPath(ast.Path{ast.PathName(fc.Field.Alias)}, err))
}

// auditWriteTimeout bounds the write of one admin activity.
const auditWriteTimeout = 5 * time.Second

// audited runs an AUDIT call and, unless the operation committed its own
// admin activity, records one: the field's arguments (redacted), the
// reason and target user when the input names them, and the outcome.
func audited(ctx context.Context, fc *graphql.RootFieldContext, actor uuid.UUID, now func() time.Time,
	audit ports.AuditTrail, log *slog.Logger, next graphql.RootResolver) graphql.Marshaler {
	ctx, slot := ports.WithAuditSlot(ctx)
	before := len(graphql.GetErrors(ctx))
	res := next(ctx)
	if slot.Written() {
		return res
	}
	var vars map[string]any
	if oc := graphql.GetOperationContext(ctx); oc != nil {
		vars = oc.Variables
	}
	args := fc.Field.ArgumentMap(vars)
	target, reason := auditSubject(fc.Field.Name, args)
	callErr := fieldError(graphql.GetErrors(ctx), before, fc.Field.Alias)
	// The same shape as the rows services write: the input's fields.
	recorded := args
	if in, ok := args["input"].(map[string]any); ok && len(args) == 1 {
		recorded = in
	}
	a := ports.NewAdminActivity(ctx, actor, target, fc.Field.Name, reason, recorded, callErr, now())
	// The call ran: record it even when the client has gone away.
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), auditWriteTimeout)
	defer cancel()
	if err := audit.RecordAdmin(wctx, a); err != nil {
		log.ErrorContext(ctx, "record admin activity", "action", a.Action, "admin", a.AdminID, "err", err)
	}
	return res
}

// auditSubject reads the target user (input.userId, the id argument of
// user, a userId argument, or a filter's id or userId) and the reason (input.reason) from a
// field's arguments.
func auditSubject(field string, args map[string]any) (*uuid.UUID, string) {
	var target *uuid.UUID
	var reason string
	parse := func(v any) {
		if s, ok := v.(string); ok {
			if id, err := uuid.Parse(s); err == nil {
				target = &id
			}
		}
	}
	if in, ok := args["input"].(map[string]any); ok {
		parse(in["userId"])
		if r, ok := in["reason"].(string); ok {
			reason = r
		}
	}
	if target == nil && field == "user" {
		parse(args["id"])
	}
	if target == nil {
		// A read of one user's things: userApiKeys(userId).
		parse(args["userId"])
	}
	if f, ok := args["filter"].(map[string]any); ok && target == nil {
		// users(filter: {id}) and activities(filter: {userId}) name one user.
		parse(f["id"])
		if target == nil {
			parse(f["userId"])
		}
	}
	if len(reason) > 500 {
		reason = reason[:500]
	}
	return target, reason
}

// fieldError is the outcome of the root field with alias from the errors
// added while it ran (those after the first before): its own error, or nil.
// An error of a field under it (a nullable sub-field the caller may not
// read) does not make the call a failure: its data was returned.
func fieldError(errs gqlerror.List, before int, alias string) error {
	if before > len(errs) {
		before = 0
	}
	var first *gqlerror.Error
	for _, e := range errs[before:] {
		if len(e.Path) == 1 && e.Path[0] == ast.PathName(alias) {
			first = e
			break
		}
	}
	if first == nil {
		return nil
	}
	code, _ := first.Extensions["code"].(string)
	if code == "" {
		code = string(ports.CodeInternal)
	}
	return &ports.Error{Code: ports.ErrorCode(code), Message: first.Message}
}

// RootFieldNames lists the schema's root fields (queries and mutations),
// the operations permission rows may name.
func RootFieldNames() []string {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	var names []string
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if !isIntrospection(f.Name) {
				names = append(names, f.Name)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

func isIntrospection(name string) bool { return len(name) > 1 && name[:2] == "__" }
