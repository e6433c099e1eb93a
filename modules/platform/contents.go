package platform

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gatehouse/gatehouse/ports"
)

// Bounds of the clients' layout (app contents): every client downloads it
// at each start, and every instance holds it in memory. 32 KiB (the
// wallet's layout is about 1 KiB) leaves room for the request around it
// under the default body limit (GATEHOUSE_MAX_BODY_BYTES, 64 KiB), so
// the bound is this one, with its field error, not the body's.
const (
	MaxContentsBytes  = 32 * 1024
	MaxContentsDepth  = 16
	MaxContentsKey    = 128  // characters of one key
	MaxContentsString = 4096 // characters of one string value
)

// EncodeContents checks that m is a JSON object within the bounds above
// (no NUL, finite numbers) and returns it as JSON; nil is "{}". Errors:
// VALIDATION_FAILED on field, naming the first problem and where.
func EncodeContents(field string, m map[string]any) (json.RawMessage, error) {
	if m == nil {
		return json.RawMessage("{}"), nil
	}
	if problem := checkJSON(m, 1, "$"); problem != "" {
		return nil, ports.InvalidField(field, problem)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, ports.InvalidField(field, "is not a JSON object")
	}
	if len(b) > MaxContentsBytes {
		return nil, ports.InvalidField(field, fmt.Sprintf("must be at most %d KiB as JSON", MaxContentsBytes/1024))
	}
	return b, nil
}

// checkJSON walks v (at path, for the message) and names the first
// problem, "" when there is none.
func checkJSON(v any, depth int, path string) string {
	if depth > MaxContentsDepth {
		return fmt.Sprintf("must not nest deeper than %d levels (at %s)", MaxContentsDepth, path)
	}
	switch x := v.(type) {
	case nil, bool, int, int32, int64, uint, uint32, uint64:
		return ""
	case string:
		return checkString(x, MaxContentsString, "string", path)
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if len(x) > 32 || err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return fmt.Sprintf("must hold only finite numbers of at most 32 characters (at %s)", path)
		}
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return fmt.Sprintf("must hold only finite numbers (at %s)", path)
		}
	case float32:
		return checkJSON(float64(x), depth, path)
	case map[string]any:
		for k, e := range x {
			if p := checkString(k, MaxContentsKey, "key", path); p != "" {
				return p
			}
			if k == "" {
				return fmt.Sprintf("must not have empty keys (at %s)", path)
			}
			if p := checkJSON(e, depth+1, path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := checkJSON(e, depth+1, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	default:
		return fmt.Sprintf("holds a value that is not JSON (at %s)", path)
	}
	return ""
}

func checkString(s string, maxChars int, what, path string) string {
	switch {
	case !utf8.ValidString(s):
		return fmt.Sprintf("must hold valid text (a %s at %s)", what, path)
	case strings.ContainsRune(s, 0):
		return fmt.Sprintf("must not contain NUL characters (a %s at %s)", what, path)
	case utf8.RuneCountInString(s) > maxChars:
		return fmt.Sprintf("must hold %ss of at most %d characters (at %s)", what, maxChars, path)
	}
	return ""
}
