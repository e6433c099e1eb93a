package resolvers

import (
	"slices"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/apikeys"
)

// mapAPIKey shows a key without its secret (sealed, never served).
func mapAPIKey(k apikeys.Key) model.APIKey {
	return model.APIKey{KeyID: k.ID.String(), Scopes: slices.Clone(k.Scopes), State: model.APIKeyState(k.State),
		CreatedAt: k.CreatedAt, UpdatedAt: k.UpdatedAt}
}

func apiKeysOrErr(keys []apikeys.Key, err error) ([]model.APIKey, error) {
	if err != nil {
		return nil, err
	}
	out := make([]model.APIKey, len(keys))
	for i, k := range keys {
		out[i] = mapAPIKey(k)
	}
	return out, nil
}
