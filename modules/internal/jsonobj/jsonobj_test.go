package jsonobj_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/gatehouse/gatehouse/modules/internal/jsonobj"
	"github.com/gatehouse/gatehouse/ports/errtest"
)

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEncodeAcceptsOrdinaryObjects(t *testing.T) {
	b, err := jsonobj.Encode("metadata", decode(t, `{"a": [1, 2.5, "x", null, true], "b": {"c": -3e10}}`), 1024)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil || len(back) != 2 {
		t.Fatalf("round trip: %s %v", b, err)
	}
	if b, err := jsonobj.Encode("metadata", nil, 10); err != nil || string(b) != "{}" {
		t.Fatalf("nil: %s %v", b, err)
	}
}

func TestEncodeRefusesWhatPostgresCannotHoldOrTooMuch(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 9) + `1` + strings.Repeat(`}`, 9)
	cases := map[string]string{
		"NUL in a value": `{"a": "x\u0000y"}`,
		"NUL in a key":   `{"a\u0000": 1}`,
		"huge number":    `{"a": 1e999999}`,
		"long number":    `{"a": 1234567890123456789012345678901234567890}`,
		"too deep":       deep,
		"too large":      `{"a": "` + strings.Repeat("x", 2000) + `"}`,
	}
	for name, in := range cases {
		_, err := jsonobj.Encode("data", decode(t, in), 1024)
		if errtest.Fields(t, err, name)["data"] == "" {
			t.Errorf("%s: want a field error on data, got %v", name, err)
		}
	}
	ok := strings.Repeat(`{"a":`, 7) + `1` + strings.Repeat(`}`, 7)
	if _, err := jsonobj.Encode("data", decode(t, ok), 1024); err != nil {
		t.Errorf("depth %d refused: %v", jsonobj.MaxDepth, err)
	}
}
