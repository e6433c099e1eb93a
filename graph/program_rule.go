package graph

import (
	"sync"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/ports"
)

// CallerRule is the graph's answer beyond the role's rows for a caller
// and a root field named operation (validateToken asks it): nil, or the
// refusal authorize would give (callerRefusal).
func CallerRule(c *ports.Caller, operation string) error {
	object := "Query"
	if mutations()[operation] {
		object = "Mutation"
	}
	return callerRefusal(c, object, operation)
}

// mutations are the schema's mutation field names.
var mutations = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	if m := generated.NewExecutableSchema(generated.Config{}).Schema().Mutation; m != nil {
		for _, f := range m.Fields {
			out[f.Name] = true
		}
	}
	return out
})
