package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/gatehouse/gatehouse/ports"
)

// useInputGuards installs the checks made on an operation before it runs,
// and what they protect:
//   - a text input that is not clean text (textProblem) is refused: every
//     argument of every field the operation selects, fragments included,
//     literal or variable, down to the fields of input objects and the
//     strings inside JSON values; the answer is VALIDATION_FAILED naming
//     the input field;
//   - a sign-in payload asked for a field its session may not read, by
//     the permission rows (authz), is refused (payloadGuard), and the payload's user resolves as the session the
//     mutation opened (sessionPayloadUser), so a committed sign-in always
//     reaches the client.
func useInputGuards(srv *handler.Server, authz Authorizer) {
	srv.Use(&inputGuard{})
	srv.Use(payloadGuard{authz: authz})
	srv.AroundFields(sessionPayloadUser)
}

// inputGuard is a gqlgen extension that runs after the operation is
// validated and its variables coerced.
type inputGuard struct{ schema *ast.Schema }

var (
	_ graphql.HandlerExtension        = (*inputGuard)(nil)
	_ graphql.OperationContextMutator = (*inputGuard)(nil)
)

func (*inputGuard) ExtensionName() string { return "InputGuard" }

func (g *inputGuard) Validate(s graphql.ExecutableSchema) error {
	g.schema = s.Schema()
	return nil
}

func (g *inputGuard) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := inputWalk{schema: g.schema, doc: oc.Doc, vars: oc.Variables, seen: map[string]bool{}}
	w.selections(oc.Operation.SelectionSet)
	if w.err == nil {
		return nil
	}
	return &gqlerror.Error{Message: w.err.Message, Err: w.err}
}

// inputWalk looks for the first input that is not clean text.
type inputWalk struct {
	schema *ast.Schema
	doc    *ast.QueryDocument
	vars   map[string]any
	seen   map[string]bool // fragments walked already
	err    *ports.Error
}

func (w *inputWalk) selections(set ast.SelectionSet) {
	for _, sel := range set {
		if w.err != nil {
			return
		}
		switch sel := sel.(type) {
		case *ast.Field:
			w.arguments(sel.Arguments)
			for _, d := range sel.Directives {
				w.arguments(d.Arguments)
			}
			w.selections(sel.SelectionSet)
		case *ast.InlineFragment:
			w.selections(sel.SelectionSet)
		case *ast.FragmentSpread:
			if w.seen[sel.Name] {
				continue
			}
			w.seen[sel.Name] = true
			if def := w.fragment(sel); def != nil {
				w.selections(def.SelectionSet)
			}
		}
	}
}

func (w *inputWalk) fragment(sp *ast.FragmentSpread) *ast.FragmentDefinition {
	if sp.Definition != nil {
		return sp.Definition
	}
	if w.doc != nil {
		return w.doc.Fragments.ForName(sp.Name)
	}
	return nil
}

func (w *inputWalk) arguments(args ast.ArgumentList) {
	for _, a := range args {
		w.literal(a.Value, a.Name)
	}
}

// literal checks a value written in the document; field names the input
// field it fills.
func (w *inputWalk) literal(v *ast.Value, field string) {
	if v == nil || w.err != nil {
		return
	}
	switch v.Kind {
	case ast.Variable:
		var typ *ast.Type
		if v.VariableDefinition != nil {
			typ = v.VariableDefinition.Type
		}
		w.value(w.vars[v.Raw], field, typ)
	case ast.StringValue, ast.BlockValue:
		w.text(v.Raw, field)
	case ast.ListValue:
		for _, c := range v.Children {
			w.literal(c.Value, field)
		}
	case ast.ObjectValue:
		// An input object's fields are named; a JSON value's keys are not
		// fields, so its strings are reported against the field it fills.
		byName := v.Definition != nil && v.Definition.Kind == ast.InputObject
		for _, c := range v.Children {
			name := field
			if byName {
				name = c.Name
			} else {
				w.text(c.Name, field)
			}
			w.literal(c.Value, name)
		}
	}
}

// value checks a coerced variable value of type typ (nil when unknown).
func (w *inputWalk) value(x any, field string, typ *ast.Type) {
	if w.err != nil || x == nil {
		return
	}
	var def *ast.Definition
	if typ != nil && typ.Elem == nil && w.schema != nil {
		def = w.schema.Types[typ.Name()]
	}
	switch x := x.(type) {
	case string:
		w.text(x, field)
	case []any:
		var elem *ast.Type
		if typ != nil {
			elem = typ.Elem
		}
		for _, e := range x {
			w.value(e, field, elem)
		}
	case map[string]any:
		for k, v := range x {
			if def != nil && def.Kind == ast.InputObject {
				var ft *ast.Type
				if f := def.Fields.ForName(k); f != nil {
					ft = f.Type
				}
				w.value(v, k, ft)
				continue
			}
			w.text(k, field)
			w.value(v, field, nil)
		}
	}
}

func (w *inputWalk) text(s, field string) {
	if w.err != nil {
		return
	}
	if p := textProblem(s); p != "" {
		w.err = ports.InvalidField(field, p)
	}
}
