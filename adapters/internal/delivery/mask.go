package delivery

import "strings"

// redactedMark stands in a log or an error for a secret.
const redactedMark = "[REDACTED]"

// Redacted is what a log shows of a configured secret: "[REDACTED]", or
// "" when none is set (so a missing secret can be seen).
func Redacted(secret string) string {
	if secret == "" {
		return ""
	}
	return redactedMark
}

// MaskPhone keeps the first 4 and last 2 characters of a phone number:
// +447700900123 → +447*******23. Short values are masked whole.
func MaskPhone(p string) string {
	r := []rune(p)
	if len(r) <= 6 {
		return strings.Repeat("*", len(r))
	}
	return string(r[:4]) + strings.Repeat("*", len(r)-6) + string(r[len(r)-2:])
}

// MaskEmail keeps the first character of the local part and the domain:
// alice@example.com → a****@example.com. Without an @ all is masked.
func MaskEmail(addr string) string {
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return strings.Repeat("*", len([]rune(addr)))
	}
	local := []rune(addr[:at])
	if len(local) <= 1 {
		return strings.Repeat("*", len(local)) + addr[at:]
	}
	return string(local[:1]) + strings.Repeat("*", len(local)-1) + addr[at:]
}

// Scrub makes a provider's text fit to keep in an error or a log: each
// old of the old, new pairs (what we sent and the provider may echo: a
// password, the message text holding a one-time code, the full
// destination) is replaced by its new, in order, an empty old skipped;
// control characters become spaces; and the result is cut to maxRunes
// runes, "…" marking the cut.
func Scrub(s string, maxRunes int, oldnew ...string) string {
	for i := 0; i+1 < len(oldnew); i += 2 {
		if oldnew[i] != "" {
			s = strings.ReplaceAll(s, oldnew[i], oldnew[i+1])
		}
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > maxRunes {
		s = string(r[:maxRunes]) + "…"
	}
	return s
}
