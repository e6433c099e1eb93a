package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/modules/kyc"
)

// withKYCLoaders gives each query the loaders of the users' KYC fields, so
// that a page of users reads each field in one statement (the list
// resolvers announce the page's users). Mutations read directly: they
// write what the loaders would cache, some inside their transaction.
func withKYCLoaders(k *kyc.Loaders) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Query {
			ctx = k.WithLoaders(ctx)
		}
		return next(ctx)
	}
}
