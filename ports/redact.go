package ports

import (
	"slices"
	"strings"
	"unicode"
)

// secretWords mark input keys whose values never reach the audit trail or
// a log: credentials, codes, tokens, and file contents. A key is secret
// when one of its camelCase words is one of these (newPin, refreshToken,
// front), and "profile" is not mistaken for "file". An id such as
// pinResetId is hidden too: better one id too many than one PIN shown.
var secretWords = []string{"pin", "password", "code", "codes", "token", "ticket", "secret", "otp",
	"file", "files", "front", "back", "image", "selfie", "upload", "recovery"}

// maxRedactDepth bounds how deep RedactInput walks (inputs are small, but
// the audit row must stay small whatever arrives).
const maxRedactDepth = 6

// RedactInput copies an operation's input for the audit trail: values
// under keys that name a secret or a file (pin, newPin, password, code,
// refreshToken, ticket, front, selfie, ...) become "[redacted]", long
// strings are cut to 200 characters, and anything deeper than a few levels
// is dropped. Never nil.
func RedactInput(in map[string]any) map[string]any {
	out, _ := redact(in, 0).(map[string]any)
	if out == nil {
		out = map[string]any{}
	}
	return out
}

func redact(v any, depth int) any {
	if depth > maxRedactDepth {
		return "[cut]"
	}
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, val := range t {
			if isSecretKey(k) {
				out[k] = "[redacted]"
				continue
			}
			out[k] = redact(val, depth+1)
		}
		return out
	case []any:
		out := make([]any, 0, min(len(t), 20))
		for i, val := range t {
			if i == 20 {
				break
			}
			out = append(out, redact(val, depth+1))
		}
		return out
	case string:
		// PostgreSQL refuses NUL in text and jsonb: the row would be lost.
		t = strings.ReplaceAll(t, "\x00", "")
		if len(t) > 200 {
			return strings.ToValidUTF8(t[:200], "") + "…"
		}
		return t
	case nil, bool, int, int32, int64, float64, float32:
		return t
	default:
		// Uploads, readers and other values the trail has no use for.
		if s, ok := v.(interface{ String() string }); ok {
			return redact(s.String(), depth+1)
		}
		return "[redacted]"
	}
}

func isSecretKey(k string) bool {
	word := strings.Builder{}
	check := func() bool {
		w := strings.ToLower(word.String())
		word.Reset()
		return slices.Contains(secretWords, w)
	}
	for _, r := range k {
		if unicode.IsUpper(r) || r == '_' || r == '-' {
			if check() {
				return true
			}
		}
		if r != '_' && r != '-' {
			word.WriteRune(r)
		}
	}
	return check()
}
