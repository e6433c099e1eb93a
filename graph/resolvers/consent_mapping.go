package resolvers

import (
	"slices"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/consent"
)

func mapAppConsent(c consent.AppConsent) model.AppConsent {
	m := model.AppConsent{ClientID: c.Client.ID, ClientName: c.Client.Name, Scopes: slices.Clone(c.Scopes),
		GrantedAt: c.GrantedAt.UTC(), Remembered: c.Remembered}
	if m.ClientName == "" {
		m.ClientName = c.Client.ID
	}
	if m.Scopes == nil {
		m.Scopes = []string{}
	}
	if !c.ExpiresAt.IsZero() {
		t := c.ExpiresAt.UTC()
		m.ExpiresAt = &t
	}
	return m
}

func appConsentsOrErr(list []consent.AppConsent, err error) ([]model.AppConsent, error) {
	if err != nil {
		return nil, err
	}
	out := make([]model.AppConsent, len(list))
	for i, c := range list {
		out[i] = mapAppConsent(c)
	}
	return out, nil
}
