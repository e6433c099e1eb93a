package resolvers

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"
)

// asks reports whether the field being resolved selects one of names
// among its own fields (through fragments on typ too, and as the @skip
// and @include of the request decide), so that a resolver can read what
// its children will need in the same statement as its own rows (gqlgen
// resolves a level, then its children: looking ahead costs no wait).
func asks(ctx context.Context, typ string, names ...string) bool {
	if !graphql.HasOperationContext(ctx) || graphql.GetFieldContext(ctx) == nil {
		return false
	}
	for _, f := range graphql.CollectFieldsCtx(ctx, []string{typ}) {
		if slices.Contains(names, f.Name) {
			return true
		}
	}
	return false
}
