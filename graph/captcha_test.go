package graph

import (
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/generated"
	"github.com/gatehouse/gatehouse/modules/captcha"
)

// TestCaptchaFieldsTakeATokenInTheSchema: every field the captcha gate
// names has captchaToken where the gate reads it (its input, or its own
// arguments), and the sign-in fields have the identifier it counts
// failures by; the token is optional, so clients of a service without a
// captcha need not send one.
func TestCaptchaFieldsTakeATokenInTheSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for name, f := range CaptchaFields {
		def := schema.Mutation.Fields.ForName(name)
		if def == nil {
			def = schema.Query.Fields.ForName(name)
		}
		if def == nil {
			t.Errorf("%s is not a root field", name)
			continue
		}
		var fields ast.ArgumentDefinitionList = def.Arguments
		lookup := func(n string) *ast.Type {
			if a := fields.ForName(n); a != nil {
				return a.Type
			}
			return nil
		}
		if in := def.Arguments.ForName("input"); in != nil {
			input := schema.Types[in.Type.Name()]
			lookup = func(n string) *ast.Type {
				if d := input.Fields.ForName(n); d != nil {
					return d.Type
				}
				return nil
			}
		}
		if typ := lookup(captcha.Field); typ == nil || typ.NonNull || typ.Name() != "String" {
			t.Errorf("%s: no optional %s String where the gate reads it", name, captcha.Field)
		}
		if f.identifier != "" {
			if typ := lookup(f.identifier); typ == nil || typ.Name() != "String" {
				t.Errorf("%s: no %s to count failed sign-ins by", name, f.identifier)
			}
		}
	}
}
