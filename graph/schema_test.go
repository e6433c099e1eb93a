package graph

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/ports"
)

// loadSchemaFiles parses graph/schema/*.graphqls as gqlgen does, so the
// checks below see every file, those other modules add included.
func loadSchemaFiles(t *testing.T) *ast.Schema {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("schema", "*.graphqls"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no schema files found (%v)", err)
	}
	var sources []*ast.Source
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &ast.Source{Name: p, Input: string(b)})
	}
	schema, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil {
		t.Fatalf("the schema does not load: %v", gerr)
	}
	return schema
}

// The schema's ErrorCode enum and ports' list of codes are the same, both
// ways and in the same order: a code added to one is added to the other.
func TestErrorCodeEnumIsTheCodesOfPorts(t *testing.T) {
	def := loadSchemaFiles(t).Types["ErrorCode"]
	if def == nil || def.Kind != ast.Enum {
		t.Fatal("the schema has no ErrorCode enum")
	}
	var inSchema []string
	for _, v := range def.EnumValues {
		inSchema = append(inSchema, v.Name)
	}
	var inGo []string
	for _, c := range ports.ErrorCodes() {
		inGo = append(inGo, string(c))
	}
	for _, name := range inSchema {
		if !slices.Contains(inGo, name) {
			t.Errorf("ErrorCode.%s is not a code of ports.ErrorCodes()", name)
		}
	}
	for _, name := range inGo {
		if !slices.Contains(inSchema, name) {
			t.Errorf("ports code %s is missing from the schema's ErrorCode enum", name)
		}
	}
	if !slices.Equal(inSchema, inGo) && !t.Failed() {
		t.Errorf("same codes, other order:\nschema %v\nports  %v", inSchema, inGo)
	}
	// The generated model, which clients of the Go types use, follows.
	var generated []string
	for _, c := range model.AllErrorCode {
		generated = append(generated, string(c))
	}
	if !slices.Equal(generated, inSchema) {
		t.Errorf("graph/model's ErrorCode %v is not the schema's (run go tool gqlgen generate)", generated)
	}
}

// An error made with a code outside the list is a bug: the client sees
// INTERNAL, never the stray code.
func TestPresentErrorAnswersOnlyKnownCodes(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, c := range ports.ErrorCodes() {
		if g := presentError(log)(context.Background(), ports.Errorf(c, "x")); g.Extensions["code"] != string(c) {
			t.Errorf("%s presented as %v", c, g.Extensions["code"])
		}
	}
	g := presentError(log)(context.Background(), ports.Errorf("SOMETHING_NEW", "x"))
	if g.Extensions["code"] != string(ports.CodeInternal) || g.Message != "x" {
		t.Fatalf("a stray code presented as %v %q", g.Extensions["code"], g.Message)
	}
}
