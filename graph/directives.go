package graph

import (
	"context"
	"slices"

	"github.com/99designs/gqlgen/graphql"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/identity"
	"github.com/gatehouse/gatehouse/ports"
)

func directives(ids *identity.Service) generated.DirectiveRoot {
	return generated.DirectiveRoot{
		Auth: func(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
			if _, err := ids.RequireViewer(ctx); err != nil {
				return nil, err
			}
			return next(ctx)
		},
		HasRole: func(ctx context.Context, _ any, next graphql.Resolver, roles []model.Role) (any, error) {
			v, err := ids.RequireViewer(ctx)
			if err != nil {
				return nil, err
			}
			if !slices.Contains(roles, model.Role(v.User.Role)) {
				return nil, ports.Errorf(ports.CodeForbidden, "your role may not do this")
			}
			return next(ctx)
		},
	}
}
