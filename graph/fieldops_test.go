package graph

import (
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/graph/generated"
)

// Every field operation names a field of a type of the schema.
func TestFieldOperationsNameSchemaFields(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, op := range FieldOperations() {
		typ, field, ok := strings.Cut(op, ".")
		def := schema.Types[typ]
		if !ok || def == nil || def.Fields.ForName(field) == nil {
			t.Errorf("%s names no field of the schema", op)
		}
	}
}
