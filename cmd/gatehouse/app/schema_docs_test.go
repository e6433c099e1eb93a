package app_test

import (
	"slices"
	"testing"

	"github.com/gatehouse/gatehouse/ports"
)

// What a client generator reads from introspection: the ErrorCode enum
// with every code, and where the custom scalars are specified.
func TestIntrospectionShowsErrorCodesAndScalarSpecs(t *testing.T) {
	h := newHarness(t)
	var out struct {
		Codes struct {
			EnumValues []struct{ Name, Description string }
		}
		Time, Upload struct{ SpecifiedByURL *string }
	}
	h.ok("", `{ codes: __type(name: "ErrorCode") { enumValues { name description } }
		time: __type(name: "Time") { specifiedByURL } upload: __type(name: "Upload") { specifiedByURL } }`, nil, &out)
	var names []string
	for _, v := range out.Codes.EnumValues {
		must(t, v.Description != "", "ErrorCode.%s has no description", v.Name)
		names = append(names, v.Name)
	}
	var want []string
	for _, c := range ports.ErrorCodes() {
		want = append(want, string(c))
	}
	must(t, slices.Equal(names, want), "ErrorCode over introspection %v, want %v", names, want)
	must(t, out.Time.SpecifiedByURL != nil && *out.Time.SpecifiedByURL == "https://www.rfc-editor.org/rfc/rfc3339",
		"Time's specifiedByURL %v", out.Time.SpecifiedByURL)
	must(t, out.Upload.SpecifiedByURL != nil && *out.Upload.SpecifiedByURL != "", "Upload has no specifiedByURL")
}
