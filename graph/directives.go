package graph

import (
	"context"
	"log/slog"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// directives are pass-throughs: @public, @auth and @hasRole are enforced
// once, centrally, by authorize before any root resolver runs.
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

// authorize is the one authorization rule for every root field: @public
// fields are open, @hasRole fields need a signed-in caller with one of the
// roles, and every other field (@auth, or no marker at all) needs a
// signed-in caller. Deny by default: forgetting a marker closes a field.
func authorize(ids *identity.Service, _ ports.Authorizer, _ ports.AuditTrail, _ *slog.Logger) graphql.RootFieldMiddleware {
	return func(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
		fc := graphql.GetRootFieldContext(ctx)
		if fc != nil && isIntrospection(fc.Field.Name) {
			return next(ctx)
		}
		var dirs ast.DirectiveList
		if fc != nil && fc.Field.Definition != nil {
			dirs = fc.Field.Definition.Directives
		}
		if dirs.ForName("public") != nil {
			return next(ctx)
		}
		v, err := ids.RequireViewer(ctx)
		if err == nil && !roleAllowed(dirs, v.User.Role) {
			err = ports.Errorf(ports.CodeForbidden, "your role may not do this")
		}
		if err != nil {
			graphql.AddError(ctx, err)
			return graphql.Null
		}
		return next(ctx)
	}
}

// roleAllowed applies the rule to a signed-in caller with role.
func roleAllowed(dirs ast.DirectiveList, role string) bool {
	if d := dirs.ForName("hasRole"); d != nil {
		return slices.Contains(roleArgs(d), role)
	}
	return true
}

// Rules is the same rule as a table over the schema's root fields, for
// questions asked outside a request (validateToken's permissions).
type Rules struct{ fields map[string]ast.DirectiveList }

var _ ports.Authorizer = (*Rules)(nil)

// NewRules reads the root fields and their markers from the schema.
func NewRules() ports.Authorizer {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	r := &Rules{fields: map[string]ast.DirectiveList{}}
	for _, root := range []*ast.Definition{schema.Query, schema.Mutation} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if !isIntrospection(f.Name) {
				r.fields[f.Name] = f.Directives
			}
		}
	}
	return r
}

// Allowed reports whether a signed-in caller with role (or ANONYMOUS)
// may call operation; unknown operations are never allowed.
func (r *Rules) Allowed(role, operation string) bool {
	dirs, ok := r.fields[operation]
	switch {
	case !ok:
		return false
	case dirs.ForName("public") != nil:
		return true
	case role == "" || role == "ANONYMOUS":
		return false
	}
	return roleAllowed(dirs, role)
}

// RootFieldNames lists the schema's root fields (queries and mutations),
// the operations permission rows may name.
func RootFieldNames() []string {
	r := NewRules().(*Rules)
	names := make([]string, 0, len(r.fields))
	for n := range r.fields {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Known reports whether operation is a root field.
func (r *Rules) Known(operation string) bool {
	_, ok := r.fields[operation]
	return ok
}

func isIntrospection(name string) bool { return len(name) > 1 && name[:2] == "__" }

// roleArgs reads @hasRole(roles: [...]) from the schema.
func roleArgs(d *ast.Directive) []string {
	arg := d.Arguments.ForName("roles")
	if arg == nil || arg.Value == nil {
		return nil
	}
	var roles []string
	for _, c := range arg.Value.Children {
		roles = append(roles, c.Value.Raw)
	}
	return roles
}

// Decide is the marker rule as a permission action (replaced by rows).
func (r *Rules) Decide(role, operation string) string {
	if r.Allowed(role, operation) {
		return ports.PermissionAllow
	}
	return ""
}
