// Package jsonobj checks the free-form JSON objects clients may store
// (profile and document metadata, data records, account info) before they
// reach the database: bounded size and depth, no NUL characters (which
// PostgreSQL's jsonb refuses), and numbers PostgreSQL can hold, so that
// bad input is a field error and never an INTERNAL one.
package jsonobj

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/gatehouse/gatehouse/ports"
)

// MaxDepth is the deepest nesting accepted (the object itself is 1).
const MaxDepth = 8

// maxNumberLen bounds the text of one number.
const maxNumberLen = 32

// Encode checks m and returns it as JSON of at most maxBytes; a nil map is
// "{}". Errors: VALIDATION_FAILED on field.
func Encode(field string, m map[string]any, maxBytes int) (json.RawMessage, error) {
	if m == nil {
		return json.RawMessage("{}"), nil
	}
	if problem := check(m, 1); problem != "" {
		return nil, ports.InvalidField(field, problem)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, ports.InvalidField(field, "is not a JSON object")
	}
	if len(b) > maxBytes {
		return nil, ports.InvalidField(field, fmt.Sprintf("must be at most %s as JSON", size(maxBytes)))
	}
	return b, nil
}

// check walks v and names the first problem, "" when there is none.
func check(v any, depth int) string {
	if depth > MaxDepth {
		return fmt.Sprintf("must not nest deeper than %d levels", MaxDepth)
	}
	switch x := v.(type) {
	case nil, bool:
		return ""
	case string:
		return checkString(x)
	case json.Number:
		return checkNumber(string(x))
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "must hold only finite numbers"
		}
	case float32, int, int32, int64, uint, uint32, uint64:
		return ""
	case map[string]any:
		for k, e := range x {
			if p := checkString(k); p != "" {
				return p
			}
			if p := check(e, depth+1); p != "" {
				return p
			}
		}
	case []any:
		for _, e := range x {
			if p := check(e, depth+1); p != "" {
				return p
			}
		}
	default:
		return "holds a value that is not JSON"
	}
	return ""
}

func checkString(s string) string {
	if strings.ContainsRune(s, 0) {
		return "must not contain NUL characters"
	}
	return ""
}

func checkNumber(s string) string {
	if len(s) > maxNumberLen {
		return fmt.Sprintf("must hold numbers of at most %d characters", maxNumberLen)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return "must hold only finite numbers"
	}
	return ""
}

func size(n int) string {
	if n%1024 == 0 {
		return fmt.Sprintf("%d KiB", n/1024)
	}
	return fmt.Sprintf("%d bytes", n)
}
