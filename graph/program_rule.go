package graph

import (
	"sync"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/ports"
)

// ProgramRule is the scope table's answer for a program and a root field
// named operation (validateToken asks it about program tokens): nil when
// the program's scopes cover it, else the refusal authorize would give.
func ProgramRule(p *ports.Program, operation string) error {
	object := "Query"
	if mutations()[operation] {
		object = "Mutation"
	}
	return programRefusal(p, object, operation)
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
