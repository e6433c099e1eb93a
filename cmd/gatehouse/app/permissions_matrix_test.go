package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/graph"
	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/modules/admin"
	"github.com/gatehouse/gatehouse/ports"
)

// matrixRoles are the callers of the permission matrix: anonymous and
// every role a user may hold.
var matrixRoles = []string{ports.RoleAnonymous, ports.RoleMember, ports.RoleSupport, ports.RoleCompliance,
	ports.RoleAccountant, ports.RoleAdmin, ports.RoleSuperadmin, ports.RolePartner}

// rootField is one root field of the schema with what its directive
// documents.
type rootField struct {
	object string // Query or Mutation
	def    *ast.FieldDefinition
}

// schemaRootFields reads every root query and mutation from the schema
// itself: a field added tomorrow is in the matrix without anyone listing it.
func schemaRootFields(t *testing.T) (*ast.Schema, []rootField) {
	t.Helper()
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	var out []rootField
	for _, object := range []string{"Query", "Mutation"} {
		def := schema.Types[object]
		must(t, def != nil, "no %s type", object)
		for _, f := range def.Fields {
			if !strings.HasPrefix(f.Name, "__") {
				out = append(out, rootField{object: object, def: f})
			}
		}
	}
	must(t, len(out) > 80, "only %d root fields", len(out))
	return schema, out
}

// documented is what the field's directive says role gets: "" allowed,
// else the refusal's code.
func documented(t *testing.T, f *ast.FieldDefinition, role string) string {
	t.Helper()
	refused := "FORBIDDEN"
	if role == ports.RoleAnonymous {
		refused = "UNAUTHENTICATED"
	}
	switch {
	case f.Directives.ForName("public") != nil:
		return ""
	case f.Directives.ForName("auth") != nil:
		if role == ports.RoleAnonymous {
			return refused
		}
		return ""
	case f.Directives.ForName("hasRole") != nil:
		arg := f.Directives.ForName("hasRole").Arguments.ForName("roles")
		for _, c := range arg.Value.Children {
			if c.Value.Raw == role {
				return ""
			}
		}
		return refused
	}
	t.Errorf("%s carries none of @public, @auth, @hasRole", f.Name)
	return refused
}

// literal is a minimal valid GraphQL literal of type typ: required input
// fields filled in, ids random, enums their first value.
func literal(schema *ast.Schema, typ *ast.Type, depth int) string {
	if typ.Elem != nil {
		return "[" + literal(schema, typ.Elem, depth+1) + "]"
	}
	def := schema.Types[typ.NamedType]
	switch {
	case def == nil:
		return `"x"`
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		if depth > 5 {
			return "{}"
		}
		var parts []string
		for _, f := range def.Fields {
			if f.Type.NonNull && f.DefaultValue == nil {
				parts = append(parts, f.Name+": "+literal(schema, f.Type, depth+1))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	switch typ.NamedType {
	case "ID":
		return `"` + uuid.NewString() + `"`
	case "Int":
		return "1"
	case "Float":
		return "1.5"
	case "Boolean":
		return "false"
	case "Time":
		return `"2026-11-23T09:00:00Z"`
	}
	return `"x"`
}

// callOf is an operation calling f alone with minimal arguments.
func callOf(schema *ast.Schema, f rootField) string {
	var args []string
	for _, a := range f.def.Arguments {
		if a.Type.NonNull && a.DefaultValue == nil {
			args = append(args, a.Name+": "+literal(schema, a.Type, 0))
		}
	}
	call := f.def.Name
	if len(args) > 0 {
		call += "(" + strings.Join(args, ", ") + ")"
	}
	if def := schema.Types[f.def.Type.Name()]; def != nil &&
		(def.Kind == ast.Object || def.Kind == ast.Interface || def.Kind == ast.Union) {
		call += " { __typename }"
	}
	return strings.ToLower(f.object) + " { " + call + " }"
}

// endsSession are the fields that end the caller's session or account:
// called with a session of their own.
var endsSession = []string{"signOut", "signOutEverywhere", "deleteMe"}

// TestPermissionMatrix calls every root field of the schema as anonymous
// and as each role, against the default permission rows, and checks that
// exactly the callers the field's directive documents get through; a
// refused caller gets FORBIDDEN (signed in) or UNAUTHENTICATED. A root
// field that no permission row covers fails the test.
func TestPermissionMatrix(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	schema, fields := schemaRootFields(t)

	// Every root field has a row of some role (through a group or not).
	rows, err := postgres.NewPermissionStore(h.db).List(context.Background())
	must(t, err == nil, "list permissions: %v", err)
	ops := make(admin.Operations, len(fields))
	for i, f := range fields {
		ops[i] = f.def.Name
	}
	policy := admin.NewPolicy(nil, nil, ops, slog.New(slog.DiscardHandler))
	policy.Swap(rows)
	for _, f := range fields {
		covered := false
		for _, role := range matrixRoles {
			covered = covered || policy.Decide(role, f.def.Name) != ""
		}
		if !covered {
			t.Errorf("root field %s has no permission row: add one to the default rows", f.def.Name)
		}
	}
	// So has every role-restricted field of a type.
	fieldPolicy := admin.NewPolicy(nil, nil, graph.FieldOperations(), slog.New(slog.DiscardHandler))
	fieldPolicy.Swap(rows)
	for _, op := range graph.FieldOperations() {
		covered := false
		for _, role := range matrixRoles {
			covered = covered || (role != ports.RoleSuperadmin && fieldPolicy.Decide(role, op) != "")
		}
		if !covered {
			t.Errorf("%s has no permission row but SUPERADMIN's: add one to the default rows", op)
		}
	}
	// A type's field marked @hasRole is read by exactly the roles it names.
	for _, def := range schema.Types {
		if def == schema.Query || def == schema.Mutation || strings.HasPrefix(def.Name, "__") {
			continue
		}
		for _, f := range def.Fields {
			if f.Directives.ForName("hasRole") == nil {
				continue
			}
			op := def.Name + "." + f.Name
			must(t, slices.Contains(graph.FieldOperations(), op), "%s is marked @hasRole but no field operation", op)
			for _, role := range matrixRoles[1:] {
				if got, want := fieldPolicy.Allowed(role, op), documented(t, f, role) == ""; got != want {
					t.Errorf("%s for %s: rows allow %v, @hasRole documents %v", op, role, got, want)
				}
			}
		}
	}

	tokens := map[string]string{ports.RoleAnonymous: ""}
	for i, role := range matrixRoles[1:] {
		tokens[role] = h.staff(role, fmt.Sprintf("+4479111250%02d", i)).token
	}
	phones := 0
	for ri, role := range matrixRoles {
		for _, f := range fields {
			want := documented(t, f.def, role)
			q := callOf(schema, f)
			token := tokens[role]
			if token != "" && slices.Contains(endsSession, f.def.Name) {
				// A session of its own, so the rest keeps its token.
				phones++
				token = h.staff(role, fmt.Sprintf("+447911126%d%02d", ri, phones)).token
			}
			r := h.post(token, q, nil)
			got := fieldCode(r, f.def.Name)
			switch {
			case want != "" && got != want:
				t.Errorf("%s as %s: want %s, got %q (%+v)", f.def.Name, role, want, got, r.Errors)
			case want == "" && (got == "FORBIDDEN" || got == "UNAUTHENTICATED") && !serviceRefuses(f.def.Name, role, got) &&
				!partnerAppsOnly(role, r):
				t.Errorf("%s as %s: documented as allowed, got %s (%+v)", f.def.Name, role, got, r.Errors)
			}
		}
	}
}

// partnerAppsOnly: @hasRole's PARTNER on the partner apps' fields (users,
// user, openAccount) is the apps'; the matrix calls as a person with the
// role, who is refused them (graph's personRefusal).
func partnerAppsOnly(role string, r gqlResponse) bool {
	return role == ports.RolePartner && r.code() == "FORBIDDEN" && r.reason() == graph.ReasonPartnerAppsOnly
}

// serviceRefuses lists the allowed calls whose service itself answers a
// dummy call with FORBIDDEN or UNAUTHENTICATED (a bad token in the input,
// say): the rule let them through.
func serviceRefuses(field, role, code string) bool {
	switch field {
	case "refreshSession": // a made-up refresh token
		return code == "UNAUTHENTICATED"
	}
	return false
}

// fieldCode is the code of the error under the root field name, "" when
// none.
func fieldCode(r gqlResponse, name string) string {
	for _, e := range r.Errors {
		if len(e.Path) > 0 && e.Path[0] == name {
			c, _ := e.Extensions["code"].(string)
			return c
		}
	}
	if len(r.Errors) > 0 && len(r.Errors[0].Path) == 0 {
		c, _ := r.Errors[0].Extensions["code"].(string)
		return "request:" + c
	}
	return ""
}
