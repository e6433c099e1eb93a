package graph

import (
	"sync"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/ports"
)

// CallerRule is the graph's answer beyond the role's rows for a caller
// and a root field named operation (validateToken asks it): for a program,
// the scope table's (nil when its scopes cover it, else the refusal
// authorize would give); for a person, personRefusal's.
func CallerRule(c *ports.Caller, operation string) error {
	if c.Program == nil {
		return personRefusal(c.Role, operation)
	}
	object := "Query"
	if mutations()[operation] {
		object = "Mutation"
	}
	return programRefusal(c.Program, object, operation)
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
