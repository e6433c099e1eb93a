package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/resolvers"
)

// queryLoaders are the modules' makers of per-request loaders for the
// per-user fields of a list (KYC fields; staff's reads of sessions and
// activity; users by id and their devices), those the resolver has.
func queryLoaders(r *resolvers.Resolver) []func(context.Context) context.Context {
	var out []func(context.Context) context.Context
	if r.KYC.Loaders != nil {
		out = append(out, r.KYC.Loaders.WithLoaders)
	}
	if r.Admin.Directory != nil {
		out = append(out, r.Admin.Directory.WithLoaders)
	}
	if r.Identity.Reads != nil {
		out = append(out, r.Identity.Reads.WithLoaders)
	}
	if r.Federation.Links != nil {
		out = append(out, r.Federation.Links.WithLoaders)
	}
	return out
}

// withQueryLoaders gives each query fresh loaders from each of with, so
// that a page of users reads each field in one statement (the list
// resolvers announce the page's users). Mutations read directly: they
// write what the loaders would cache, some inside their transaction.
func withQueryLoaders(with []func(context.Context) context.Context) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Query {
			for _, w := range with {
				ctx = w(ctx)
			}
		}
		return next(ctx)
	}
}
