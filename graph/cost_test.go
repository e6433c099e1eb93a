package graph

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

func TestQueryLimitsCountFragmentsExpandedAndStopAtTheBound(t *testing.T) {
	limits := QueryLimits{MaxFields: 500, MaxDepth: 20, MaxAliases: 100}
	nest := func(n int) string { // n fields nested in one another
		return strings.Repeat("a { ", n-1) + "b" + strings.Repeat(" }", n-1)
	}
	wrap := func(n int, inner string) string { // inner under n nested fields
		return strings.Repeat("a { ", n) + inner + strings.Repeat(" }", n)
	}
	spreads := func(n int, frag string) string {
		return "{ x {" + strings.Repeat(" ...V", n) + " } } fragment V on T { " + frag + " }"
	}
	fanOut := func(depth int) string {
		var b strings.Builder
		fmt.Fprintf(&b, "{ ...F%d } fragment F0 on Query { a }\n", depth)
		for i := 1; i <= depth; i++ {
			fmt.Fprintf(&b, "fragment F%d on Query { ...F%d ...F%d }\n", i, i-1, i-1)
		}
		return b.String()
	}
	for _, c := range []struct {
		query string
		want  string // a word of the refusal, "" when accepted
	}{
		{"{ " + nest(20) + " }", ""},
		{"{ " + nest(21) + " }", "deep"},
		{"{ ...A } fragment A on Q { " + wrap(11, "...B") + " } fragment B on Q { " + nest(10) + " }", "deep"},
		{"{ ...A } fragment A on Q { " + wrap(10, "...B") + " } fragment B on Q { " + nest(10) + " }", ""},
		{spreads(499, "a"), ""},           // 499 + x
		{spreads(500, "a"), "fields"},     // 501
		{spreads(100, "v: a"), ""},        // 100 aliases
		{spreads(101, "v: a"), "aliased"}, // 101
		{"{ x { ... on T { ... on T {" + strings.Repeat(" a", 499) + " } } } }", ""},
		{"{ x { ... on T { ... on T {" + strings.Repeat(" a", 500) + " } } } }", "fields"},
		{fanOut(7), ""},        // 128 fields
		{fanOut(9), "fields"},  // 512
		{fanOut(60), "fields"}, // 2^60: stops at the bound
		{"{ ...A } fragment A on Q { a ...B } fragment B on Q { ...A }", "spreads itself"},
		{"{ a } fragment A on Q { ...A }", "spreads itself"},                     // unused, validation walks it too
		{"{ a } fragment A on Q {" + strings.Repeat(" a", 501) + " }", "fields"}, // likewise
		{"{ ...Missing a }", ""}, // for validation to report
		{"query A { a } query B { b }", ""},
	} {
		doc, err := parser.ParseQuery(&ast.Source{Input: c.query})
		if err != nil {
			t.Fatalf("%.60s: %v", c.query, err)
		}
		got := limits.Check(doc)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%.80s…: got %q, want a refusal with %q", c.query, got, c.want)
		}
	}
}
