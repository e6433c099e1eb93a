package graph

import (
	"testing"

	"github.com/gatehouse/gatehouse/graph/generated"
)

// TestEveryRootFieldSaysWhoMayCallIt reads the schema itself: a new root
// field without exactly one of @public, @auth or @hasRole fails here (and
// is closed to anonymous callers by authorize meanwhile).
func TestEveryRootFieldSaysWhoMayCallIt(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, root := range []string{"Query", "Mutation"} {
		def := schema.Types[root]
		if def == nil {
			t.Fatalf("no %s type", root)
		}
		for _, f := range def.Fields {
			if isIntrospection(f.Name) {
				continue
			}
			n := 0
			for _, d := range []string{"public", "auth", "hasRole"} {
				if f.Directives.ForName(d) != nil {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%s.%s carries %d of @public/@auth/@hasRole, want exactly 1", root, f.Name, n)
			}
		}
	}
}
