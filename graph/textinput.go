package graph

import (
	"strings"
	"unicode/utf8"
)

// textProblem says what makes s unfit as text input, or "". A NUL byte
// reached PostgreSQL as a syntax error (INTERNAL) before this check;
// invalid UTF-8 is refused by the database or stored as garbage; U+FFFD is
// what encoding/json makes of invalid UTF-8 in a request body (and of a
// lone surrogate escape), so it is refused too: no real input needs it.
func textProblem(s string) string {
	switch {
	case strings.IndexByte(s, 0) >= 0:
		return "must not contain NUL characters"
	case !utf8.ValidString(s):
		return "is not valid UTF-8 text"
	case strings.ContainsRune(s, utf8.RuneError):
		return "is not valid text (it holds U+FFFD, the mark of bytes that were not UTF-8)"
	}
	return ""
}
