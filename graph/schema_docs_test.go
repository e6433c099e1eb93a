package graph

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// undocumented names every type, field, argument, enum value, input field
// and directive of ours without a description, and every custom scalar
// without @specifiedBy: the schema is the frontends' documentation, and
// GraphiQL's docs pane shows exactly these.
func undocumented(schema *ast.Schema) []string {
	var missing []string
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	where := func(pos *ast.Position) string {
		if pos == nil || pos.Src == nil {
			return ""
		}
		return " (" + filepath.Base(pos.Src.Name) + ":" + itoa(pos.Line) + ")"
	}
	args := func(owner string, list ast.ArgumentDefinitionList) {
		for _, a := range list {
			if blank(a.Description) {
				missing = append(missing, "argument "+owner+"("+a.Name+":)"+where(a.Position))
			}
		}
	}
	for _, def := range schema.Types {
		if def.BuiltIn || (def.Position != nil && def.Position.Src != nil && def.Position.Src.BuiltIn) {
			continue
		}
		kind := strings.ToLower(string(def.Kind))
		if def.Kind == ast.InputObject {
			kind = "input"
		}
		if blank(def.Description) {
			missing = append(missing, kind+" "+def.Name+where(def.Position))
		}
		switch def.Kind {
		case ast.Scalar:
			if def.Directives.ForName("specifiedBy") == nil {
				missing = append(missing, "scalar "+def.Name+" has no @specifiedBy(url:)"+where(def.Position))
			}
		case ast.Enum:
			for _, v := range def.EnumValues {
				if blank(v.Description) {
					missing = append(missing, "enum value "+def.Name+"."+v.Name+where(v.Position))
				}
			}
		case ast.Object, ast.Interface, ast.InputObject:
			for _, f := range def.Fields {
				if strings.HasPrefix(f.Name, "__") {
					continue
				}
				what := "field "
				if def.Kind == ast.InputObject {
					what = "input field "
				}
				if blank(f.Description) {
					missing = append(missing, what+def.Name+"."+f.Name+where(f.Position))
				}
				args(def.Name+"."+f.Name, f.Arguments)
			}
		}
	}
	for _, d := range schema.Directives {
		if d.Position != nil && d.Position.Src != nil && d.Position.Src.BuiltIn {
			continue
		}
		if blank(d.Description) {
			missing = append(missing, "directive @"+d.Name+where(d.Position))
		}
		args("@"+d.Name, d.Arguments)
	}
	slices.Sort(missing)
	return missing
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestSchemaDocumentsEverything(t *testing.T) {
	missing := undocumented(loadSchemaFiles(t))
	if len(missing) > 0 {
		t.Fatalf("%d parts of the schema have no description (write one above each, in the schema's voice):\n%s",
			len(missing), strings.Join(missing, "\n"))
	}
}
