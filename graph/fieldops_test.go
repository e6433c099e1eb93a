package graph

import (
	"slices"
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

// The fields the sign-in payload guard asks the rows about are field
// operations (rows may name them), and non-null: a refusal there would
// null the whole payload, which is why the guard refuses them up front.
func TestRowsOnlyFieldsAreNonNullFieldOperations(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, op := range rowsOnlyFields {
		if !slices.Contains(FieldOperations(), op) {
			t.Errorf("%s is not a field operation", op)
			continue
		}
		typ, field, _ := strings.Cut(op, ".")
		if f := schema.Types[typ].Fields.ForName(field); f == nil || !f.Type.NonNull {
			t.Errorf("%s is not a non-null field", op)
		}
	}
}
