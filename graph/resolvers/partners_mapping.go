package resolvers

import (
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/partners"
)

func mapPartnerApp(a partners.App) *model.PartnerApp {
	return &model.PartnerApp{ID: a.ID.String(), ClientID: a.ClientID(), Name: a.Name, Scopes: a.Scopes,
		State: model.PartnerAppState(a.State), CreatedAt: a.CreatedAt, SecretRotatedAt: a.SecretRotatedAt,
		PreviousSecretExpiresAt: a.PreviousSecretExpiresAt, DisabledAt: a.DisabledAt}
}

func mapPartnerCredentials(c partners.Credentials) *model.PartnerAppCredentials {
	return &model.PartnerAppCredentials{ClientID: c.App.ClientID(), ClientSecret: c.Secret, App: mapPartnerApp(c.App)}
}

func mapPartnerPage(p partners.Page) *model.PartnerAppConnection {
	out := &model.PartnerAppConnection{Edges: make([]model.PartnerAppEdge, 0, len(p.Items)),
		PageInfo: pageInfo(p.HasNext, p.Cursors)}
	for i, a := range p.Items {
		out.Edges = append(out.Edges, model.PartnerAppEdge{Cursor: p.Cursors[i], Node: mapPartnerApp(a)})
	}
	return out
}
