package resolvers

import (
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/federation"
)

func flowOrErr(s federation.Started, err error) (*model.OidcFlow, error) {
	if err != nil {
		return nil, err
	}
	return &model.OidcFlow{AuthorizationURL: s.AuthorizationURL, State: s.State, ExpiresAt: s.ExpiresAt}, nil
}

func mapLinkedIdentity(id federation.Identity) model.LinkedIdentity {
	return model.LinkedIdentity{ID: id.ID.String(), Provider: id.Provider, Email: id.Email,
		EmailVerified: id.EmailVerified, LinkedAt: id.LinkedAt, LastUsedAt: id.LastUsedAt}
}
