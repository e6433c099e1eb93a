package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/uptrace/bun"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/gatehouse/gatehouse/graph/generated"
)

// poisonMark stands in the JSON body for the raw bytes of a poison that
// encoding/json would not write (invalid UTF-8).
const poisonMark = "@@POISON@@"

// textPoisons are the inputs no text field takes: raw says the bytes go
// into the body as they are (not JSON-escaped).
var textPoisons = []struct {
	name, value string
	raw         bool
}{
	{"NUL", "ab\x00cd", false},
	{"invalid UTF-8", "ab\xff\xfecd", true},
	{"U+FFFD", "ab\ufffdcd", false},
}

// textPosition is one place a string can be given: the root field, the
// path to it in the variables, and the input field the error must name.
type textPosition struct {
	op, root, field string
	path            []string
}

// TestEveryTextInputRefusesNULAndInvalidUTF8 walks the schema and sends
// NUL, invalid UTF-8 and U+FFFD into every string position of every root
// field's arguments (String, ID, JSONObject, in input objects and lists),
// anonymously: each is refused with VALIDATION_FAILED naming the field,
// before any resolver runs, and nothing is written. Before the guard, NUL
// in signUpWithEmail's referralCode answered INTERNAL (a SQL syntax error).
func TestEveryTextInputRefusesNULAndInvalidUTF8(t *testing.T) {
	h := newHarness(t)
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	positions := textPositions(schema)
	if len(positions) < 50 {
		t.Fatalf("only %d string positions found in the schema", len(positions))
	}
	t.Logf("%d string positions, %d poisons each", len(positions), len(textPoisons))
	before := h.rowCounts()
	for _, pos := range positions {
		for _, p := range textPoisons {
			query, vars, uploads := textRequest(schema, pos)
			raw := p.raw && len(uploads) == 0
			poison := p.value
			if raw {
				poison = poisonMark
			} else if p.raw {
				continue // multipart bodies are written by encoding/json
			}
			setPath(vars, pos.path, poison)
			var r gqlResponse
			if len(uploads) > 0 {
				var files []fileSpec
				for _, u := range uploads {
					files = append(files, file(u, "x.png", []byte("not an image")))
				}
				r = h.upload("", query, vars, files...)
			} else {
				r = h.postRaw(query, vars, p.value)
			}
			where := fmt.Sprintf("%s %s.%s (%s)", pos.op, pos.root, strings.Join(pos.path, "."), p.name)
			if r.code() != "VALIDATION_FAILED" {
				t.Errorf("%s: want VALIDATION_FAILED, got %+v", where, r.Errors)
				continue
			}
			fields, _ := r.Errors[0].Extensions["fields"].(map[string]any)
			if _, ok := fields[pos.field]; !ok {
				t.Errorf("%s: the error names %v, not %q", where, fields, pos.field)
			}
			if d := strings.TrimSpace(string(r.Data)); d != "" && d != "null" {
				t.Errorf("%s: data %s: the operation ran", where, d)
			}
		}
	}
	if after := h.rowCounts(); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("rows changed:\nbefore %v\nafter  %v", before, after)
	}

	// A literal written into the query is checked as a variable is; the
	// rest of this sign-up is valid, so it would reach the database.
	r := h.post("", `mutation { signUpWithEmail(input: {email: "nul@example.com", password: "violet otter juggles seventeen",
		acceptTerms: true, deviceId: "dev-nul", referralCode: "ab\u0000cd"}) { __typename } }`, nil)
	fields := map[string]any{}
	if len(r.Errors) > 0 {
		fields, _ = r.Errors[0].Extensions["fields"].(map[string]any)
	}
	if r.code() != "VALIDATION_FAILED" || fields["referralCode"] == nil {
		t.Errorf("a NUL in a literal referralCode: want VALIDATION_FAILED naming referralCode, got %+v", r.Errors)
	}
	var users int
	if err := h.db.NewRaw("SELECT count(*) FROM users WHERE email = 'nul@example.com'").Scan(context.Background(), &users); err != nil || users != 0 {
		t.Errorf("the sign-up was written (%d rows, %v)", users, err)
	}
}

// postRaw posts query with vars, replacing poisonMark in the body by the
// raw bytes of poison.
func (h *harness) postRaw(query string, vars map[string]any, poison string) gqlResponse {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	body = bytes.ReplaceAll(body, []byte(poisonMark), []byte(poison))
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res, err := h.srv.Client().Do(req)
	if err != nil {
		h.t.Fatalf("post: %v", err)
	}
	defer res.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		h.t.Fatalf("decode response (status %d): %v", res.StatusCode, err)
	}
	return out
}

// rowCounts counts the rows of every table of the database.
func (h *harness) rowCounts() map[string]int {
	h.t.Helper()
	ctx := context.Background()
	var tables []string
	if err := h.db.NewRaw(`SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`).Scan(ctx, &tables); err != nil {
		h.t.Fatal(err)
	}
	out := map[string]int{}
	for _, tbl := range tables {
		var n int
		if err := h.db.NewRaw("SELECT count(*) FROM ?", bun.Ident(tbl)).Scan(ctx, &n); err != nil {
			h.t.Fatal(err)
		}
		out[tbl] = n
	}
	return out
}

// textPositions lists every string position of every root field's
// arguments, found by walking the schema.
func textPositions(s *ast.Schema) []textPosition {
	var out []textPosition
	for _, root := range []*ast.Definition{s.Query, s.Mutation} {
		if root == nil {
			continue
		}
		for _, f := range root.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			for _, a := range f.Arguments {
				for _, p := range stringPaths(s, a.Type, []string{a.Name}, a.Name, 0) {
					p.op, p.root = strings.ToLower(root.Name), f.Name
					out = append(out, p)
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].root+strings.Join(out[i].path, ".") < out[j].root+strings.Join(out[j].path, ".")
	})
	return out
}

// stringPaths lists the string positions inside a value of type t at path
// (a list index is written "0"); field is the input field that holds it.
func stringPaths(s *ast.Schema, t *ast.Type, path []string, field string, depth int) []textPosition {
	if depth > 4 {
		return nil
	}
	if t.Elem != nil {
		return stringPaths(s, t.Elem, append(clonePath(path), "0"), field, depth+1)
	}
	def := s.Types[t.NamedType]
	switch {
	case def.Kind == ast.InputObject:
		var out []textPosition
		for _, f := range def.Fields {
			out = append(out, stringPaths(s, f.Type, append(clonePath(path), f.Name), f.Name, depth+1)...)
		}
		return out
	case def.Kind == ast.Scalar && isTextScalar(def.Name):
		if def.Name == "JSONObject" {
			path = append(clonePath(path), "note")
		}
		return []textPosition{{field: field, path: path}}
	}
	return nil
}

// isTextScalar tells the scalars that carry free text: all but numbers,
// booleans, times (parsed strictly) and files.
func isTextScalar(name string) bool {
	switch name {
	case "Int", "Float", "Boolean", "Time", "Upload":
		return false
	}
	return true
}

func clonePath(p []string) []string { return append([]string(nil), p...) }

// textRequest builds an operation calling pos.root with every required
// argument filled by a minimal valid value (and pos.path present), and the
// variable paths of its required files.
func textRequest(s *ast.Schema, pos textPosition) (string, map[string]any, []string) {
	root := s.Query
	if pos.op == "mutation" {
		root = s.Mutation
	}
	f := root.Fields.ForName(pos.root)
	vars := map[string]any{}
	var defs, args []string
	var uploads []string
	for _, a := range f.Arguments {
		if a.Type.NonNull || a.Name == pos.path[0] {
			vars[a.Name] = minimalValue(s, a.Type, []string{a.Name}, pos.path, &uploads)
			defs = append(defs, "$"+a.Name+": "+a.Type.String())
			args = append(args, a.Name+": $"+a.Name)
		}
	}
	sel := ""
	if out := s.Types[f.Type.Name()]; out.Kind != ast.Scalar && out.Kind != ast.Enum {
		sel = " { __typename }"
	}
	q := pos.op
	if len(defs) > 0 {
		q += "(" + strings.Join(defs, ", ") + ")"
	}
	q += " { " + f.Name
	if len(args) > 0 {
		q += "(" + strings.Join(args, ", ") + ")"
	}
	return q + sel + " }", vars, uploads
}

// minimalValue is a valid value of type t that also holds the position
// want (when path leads to it): required fields filled, others left out.
func minimalValue(s *ast.Schema, t *ast.Type, path, want []string, uploads *[]string) any {
	if t.Elem != nil {
		return []any{minimalValue(s, t.Elem, append(clonePath(path), "0"), want, uploads)}
	}
	def := s.Types[t.NamedType]
	switch def.Kind {
	case ast.Enum:
		return def.EnumValues[0].Name
	case ast.InputObject:
		obj := map[string]any{}
		for _, f := range def.Fields {
			p := append(clonePath(path), f.Name)
			if f.Type.NonNull || hasPrefix(want, p) {
				obj[f.Name] = minimalValue(s, f.Type, p, want, uploads)
			}
		}
		return obj
	}
	switch def.Name {
	case "Int", "Float":
		return 1
	case "Boolean":
		return false
	case "Time":
		return "2026-01-02T03:04:05Z"
	case "ID":
		return "6f1c1c8e-2f55-4d3e-9a51-3c1f3b0a7d11"
	case "JSONObject":
		return map[string]any{}
	case "Upload":
		*uploads = append(*uploads, "variables."+strings.Join(path, "."))
		return nil
	}
	return "x"
}

func hasPrefix(p, prefix []string) bool {
	if len(prefix) > len(p) {
		return false
	}
	for i := range prefix {
		if p[i] != prefix[i] {
			return false
		}
	}
	return true
}

// setPath writes v at path in vars (objects and one-element lists made by
// minimalValue).
func setPath(vars map[string]any, path []string, v any) {
	var cur any = vars
	for i, p := range path {
		last := i == len(path)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				c[p] = v
				return
			}
			if c[p] == nil {
				c[p] = map[string]any{}
			}
			cur = c[p]
		case []any:
			if last {
				c[0] = v
				return
			}
			cur = c[0]
		}
	}
}
