package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
)

// ReasonQueryTooComplex is the reason of a VALIDATION_FAILED answer to an
// operation whose shape passes a QueryLimits bound.
const ReasonQueryTooComplex = "QUERY_TOO_COMPLEX"

func init() {
	// Like a parse or validation failure: the request itself is refused.
	errcode.RegisterErrorType(ReasonQueryTooComplex, errcode.KindProtocol)
}

// QueryLimits bound the shape of a query document, fragment spreads
// expanded, before gqlgen validates it: validation (field merging above
// all) grows faster than the document when fragments spread fragments,
// so a 1 KB document could otherwise keep a core busy for minutes.
type QueryLimits struct {
	// MaxFields bounds the fields of one operation or fragment, each
	// spread counted as the fields it expands to.
	MaxFields int
	// MaxDepth bounds how deeply fields nest (a root field is depth 1).
	MaxDepth int
	// MaxAliases bounds the aliased fields, spreads expanded.
	MaxAliases int
}

func (l QueryLimits) enabled() bool { return l.MaxFields > 0 || l.MaxDepth > 0 || l.MaxAliases > 0 }

// queryCost is the handler extension that applies QueryLimits. It parses
// the document itself (no validation) before the executor does; a
// document already in the executor's cache passed it before.
type queryCost struct {
	limits     QueryLimits
	tokenLimit int
	cache      graphql.Cache[*ast.QueryDocument]
}

var (
	_ graphql.HandlerExtension          = queryCost{}
	_ graphql.OperationParameterMutator = queryCost{}
)

func (queryCost) ExtensionName() string                   { return "QueryCost" }
func (queryCost) Validate(graphql.ExecutableSchema) error { return nil }

func (q queryCost) MutateOperationParameters(ctx context.Context, params *graphql.RawParams) *gqlerror.Error {
	if !q.limits.enabled() || params.Query == "" {
		return nil
	}
	if q.cache != nil {
		if _, ok := q.cache.Get(ctx, params.Query); ok {
			return nil
		}
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: params.Query}, q.tokenLimit)
	if err != nil {
		// The executor parses it again and reports the error its own way.
		return nil
	}
	if msg := q.limits.Check(doc); msg != "" {
		return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": ReasonQueryTooComplex}}
	}
	return nil
}

// Check measures every operation and fragment of doc and names the first
// bound it passes ("" when none). Each fragment is measured once, so the
// work is linear in the document's size whatever its spreads expand to,
// and it stops at the first bound passed.
func (l QueryLimits) Check(doc *ast.QueryDocument) string {
	m := &measure{limits: l, fragments: map[string]*ast.FragmentDefinition{},
		memo: map[string]shape{}, visiting: map[string]bool{}}
	for _, f := range doc.Fragments {
		if _, dup := m.fragments[f.Name]; !dup {
			m.fragments[f.Name] = f
		}
	}
	for _, op := range doc.Operations {
		if s, ok := m.set(op.SelectionSet, 0); !ok || !m.within(s) {
			return m.refusal
		}
	}
	for _, f := range doc.Fragments {
		if _, ok := m.fragment(f.Name, 0); !ok {
			return m.refusal
		}
	}
	return ""
}

// shape is what a selection set expands to: its fields, how deeply they
// nest below it, and its aliased fields.
type shape struct{ fields, depth, aliases int }

type measure struct {
	limits    QueryLimits
	fragments map[string]*ast.FragmentDefinition
	memo      map[string]shape
	visiting  map[string]bool
	refusal   string
}

// within reports whether s keeps to the limits, setting the refusal when
// it does not.
func (m *measure) within(s shape) bool {
	l := m.limits
	switch {
	case l.MaxFields > 0 && s.fields > l.MaxFields:
		m.refusal = fmt.Sprintf("the query is too complex: it asks for more than %d fields (fragments expanded)", l.MaxFields)
	case l.MaxDepth > 0 && s.depth > l.MaxDepth:
		m.refusal = fmt.Sprintf("the query is too complex: its fields nest more than %d deep", l.MaxDepth)
	case l.MaxAliases > 0 && s.aliases > l.MaxAliases:
		m.refusal = fmt.Sprintf("the query is too complex: it has more than %d aliased fields (fragments expanded)", l.MaxAliases)
	default:
		return true
	}
	return false
}

// set measures a selection set found level fields below the root of its
// operation or fragment. It stops (false) as soon as a bound is passed.
func (m *measure) set(sels ast.SelectionSet, level int) (shape, bool) {
	var s shape
	add := func(sub shape, depth int) bool {
		s.fields += sub.fields
		s.aliases += sub.aliases
		s.depth = max(s.depth, depth)
		// level+depth: a field's depth counts from its operation's root.
		return m.within(shape{fields: s.fields, depth: level + s.depth, aliases: s.aliases})
	}
	for _, sel := range sels {
		var ok bool
		switch sel := sel.(type) {
		case *ast.Field:
			if m.limits.MaxDepth > 0 && level+1 > m.limits.MaxDepth {
				return s, m.within(shape{depth: level + 1})
			}
			sub, subOK := m.set(sel.SelectionSet, level+1)
			if !subOK {
				return s, false
			}
			sub.fields++
			if sel.Alias != "" && sel.Alias != sel.Name {
				sub.aliases++
			}
			ok = add(sub, sub.depth+1)
		case *ast.InlineFragment:
			sub, subOK := m.set(sel.SelectionSet, level)
			if !subOK {
				return s, false
			}
			ok = add(sub, sub.depth)
		case *ast.FragmentSpread:
			sub, subOK := m.fragment(sel.Name, level)
			if !subOK {
				return s, false
			}
			ok = add(sub, sub.depth)
		default:
			ok = true
		}
		if !ok {
			return s, false
		}
	}
	return s, true
}

// fragment measures the named fragment once (its shape does not depend on
// where it is spread); an unknown one counts as empty, for validation to
// report. A fragment that spreads itself, directly or not, would expand
// forever: it is refused here (validation would loop over it too).
func (m *measure) fragment(name string, level int) (shape, bool) {
	if s, ok := m.memo[name]; ok {
		return s, m.within(shape{fields: s.fields, depth: level + s.depth, aliases: s.aliases})
	}
	f := m.fragments[name]
	if f == nil {
		return shape{}, true
	}
	if m.visiting[name] {
		m.refusal = "the query is too complex: a fragment spreads itself"
		return shape{}, false
	}
	m.visiting[name] = true
	s, ok := m.set(f.SelectionSet, 0)
	delete(m.visiting, name)
	if !ok {
		return s, false
	}
	m.memo[name] = s
	return s, m.within(shape{fields: s.fields, depth: level + s.depth, aliases: s.aliases})
}
