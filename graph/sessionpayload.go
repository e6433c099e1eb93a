package graph

import (
	"context"
	"fmt"
	"slices"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

// A sign-in payload (AuthPayload: signUp, signInWithPin, completePinReset…)
// is answered after its mutation has committed: a field of it that fails
// makes the whole payload null (its user is non-null), and the client
// loses the tokens and device secret of a sign-in that happened. So the
// payload's user resolves as the session the mutation opened, not as the
// (usually anonymous) caller, and a field that session could never read —
// one the schema marks @hasRole for staff only — is refused before the
// mutation runs.

// sessionPayloadUser is field middleware: below AuthPayload.user, the
// request's bearer token is the payload's access token.
func sessionPayloadUser(ctx context.Context, next graphql.Resolver) (any, error) {
	fc := graphql.GetFieldContext(ctx)
	if fc != nil && fc.Object == "AuthPayload" && fc.Field.Name == "user" && fc.Parent != nil {
		if p, ok := fc.Parent.Result.(*model.AuthPayload); ok && p != nil && p.AccessToken != "" {
			ctx = identity.WithBearerToken(ctx, p.AccessToken)
		}
	}
	return next(ctx)
}

// payloadGuard refuses, before anything runs, an operation that asks a
// sign-in payload for a staff-only field.
type payloadGuard struct{}

var (
	_ graphql.HandlerExtension        = payloadGuard{}
	_ graphql.OperationContextMutator = payloadGuard{}
)

func (payloadGuard) ExtensionName() string                   { return "PayloadGuard" }
func (payloadGuard) Validate(graphql.ExecutableSchema) error { return nil }
func (payloadGuard) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := payloadWalk{doc: oc.Doc, seen: map[string]bool{}}
	w.selections(oc.Operation.SelectionSet, false)
	if w.err == nil {
		return nil
	}
	return &gqlerror.Error{Message: w.err.Message, Err: w.err}
}

type payloadWalk struct {
	doc  *ast.QueryDocument
	seen map[string]bool // fragment name and whether inside a payload
	err  *ports.Error
}

func (w *payloadWalk) selections(set ast.SelectionSet, inPayload bool) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		switch sel := sel.(type) {
		case *ast.Field:
			if sel.Definition == nil {
				continue
			}
			if inPayload && staffOnlyField(sel.Definition) {
				w.err = ports.Errorf(ports.CodeForbidden, "%s", fmt.Sprintf(
					"%s.%s is for staff and is not served in a sign-in payload; ask for it with the new access token",
					sel.ObjectDefinition.Name, sel.Name))
				return
			}
			w.selections(sel.SelectionSet, inPayload || sel.Definition.Type.Name() == "AuthPayload")
		case *ast.InlineFragment:
			w.selections(sel.SelectionSet, inPayload)
		case *ast.FragmentSpread:
			key := fmt.Sprint(sel.Name, inPayload)
			if w.seen[key] {
				continue
			}
			w.seen[key] = true
			def := sel.Definition
			if def == nil && w.doc != nil {
				def = w.doc.Fragments.ForName(sel.Name)
			}
			if def != nil {
				w.selections(def.SelectionSet, inPayload)
			}
		}
	}
}

// staffOnlyField reports a field the schema marks @hasRole without MEMBER.
func staffOnlyField(f *ast.FieldDefinition) bool {
	d := f.Directives.ForName("hasRole")
	if d == nil {
		return false
	}
	roles := d.Arguments.ForName("roles")
	if roles == nil || roles.Value == nil {
		return false
	}
	return !slices.ContainsFunc(roles.Value.Children, func(c *ast.ChildValue) bool { return c.Value.Raw == ports.RoleMember })
}
