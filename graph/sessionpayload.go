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
// (usually anonymous) caller, and a field that session could not read is
// refused before the mutation runs: a field no owner rule opens
// (rowsOnlyFields) which the permission rows do not open to MEMBER, the
// role a sign-in payload's session is read as here. The guard asks the
// same rows as the services, so an ALLOW row that opens such a field to
// members opens it in the payload too, and a DENY row closes it.

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
// sign-in payload for a field its session may not read.
type payloadGuard struct{ authz Authorizer }

var (
	_ graphql.HandlerExtension        = payloadGuard{}
	_ graphql.OperationContextMutator = payloadGuard{}
)

func (payloadGuard) ExtensionName() string                   { return "PayloadGuard" }
func (payloadGuard) Validate(graphql.ExecutableSchema) error { return nil }
func (g payloadGuard) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := payloadWalk{doc: oc.Doc, seen: map[string]bool{}, authz: g.authz}
	w.selections(oc.Operation.SelectionSet, false)
	if w.err == nil {
		return nil
	}
	return &gqlerror.Error{Message: w.err.Message, Err: w.err}
}

type payloadWalk struct {
	doc   *ast.QueryDocument
	seen  map[string]bool // fragment name and whether inside a payload
	authz Authorizer
	err   *ports.Error
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
			if inPayload && sel.ObjectDefinition != nil && !w.sessionReads(sel.ObjectDefinition.Name+"."+sel.Name) {
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

// sessionReads reports whether a sign-in payload's session may read the
// field op (Type.field): any field an owner rule opens, and the others when
// the permission rows open them to MEMBER.
func (w *payloadWalk) sessionReads(op string) bool {
	if !slices.Contains(rowsOnlyFields, op) {
		return true
	}
	return w.authz != nil && w.authz.Allowed(ports.RoleMember, op)
}
