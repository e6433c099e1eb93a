package identity

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nbutton23/zxcvbn-go"
	"github.com/nbutton23/zxcvbn-go/match"
	"github.com/nbutton23/zxcvbn-go/matching"

	"github.com/gatehouse/gatehouse/ports"
)

// Password rules (DESIGN.md "Security parameters": NIST 800-63B style, length
// not composition). Lengths count runes.
const (
	PasswordMinLength = 8
	PasswordMaxLength = 128
	// MinPasswordScore is the lowest zxcvbn score (0..4) accepted.
	MinPasswordScore = 3
)

// minUserInputLength is the shortest email part, name or phone fragment a
// password is checked against; shorter ones match too much by chance.
const minUserInputLength = 4

// phoneWindow is how many consecutive digits of the user's phone number a
// password may not contain (so "07911123456" is caught for +447911123456).
const phoneWindow = 7

// leetMaxRunes bounds the passwords zxcvbn searches for look-alike swaps
// ("p@ssw0rd"): that search grows steeply with length and takes seconds on
// 128 runes of symbols, while a password longer than this is not made
// guessable by swaps alone.
const leetMaxRunes = 24

// A password that is one short part said again and again is as easy to
// guess as the part: zxcvbn scored "iloveyou"×6 as strong. A password is
// refused when its smallest repeating period (a trailing partial copy
// allowed) is at most 1/repeatDivisor of its length, or when it uses fewer
// than minDistinctRunes different characters.
const (
	repeatDivisor    = 3
	minDistinctRunes = 5
)

// maxCommonSuffix is how many trailing digits and symbols are stripped to
// find a common password under "monkey123" or "dragon2024!".
const maxCommonSuffix = 5

// PasswordStrength is what RatePassword says about a password.
type PasswordStrength struct {
	// Score is zxcvbn's guessability score, 0 (guessed at once) to 4 (very
	// hard to guess), lowered to below MinPasswordScore when the password
	// is a common one or contains the user's own details.
	Score int
	// Acceptable tells whether the password may be set.
	Acceptable bool
	// Feedback holds short sentences that say how to do better, most
	// important first; empty (not nil) when there is nothing to say. It never
	// repeats the password.
	Feedback []string
}

// Feedback sentences.
const (
	fbEmpty      = "Enter a password."
	fbControl    = "Remove control characters such as tabs and line breaks."
	fbEmail      = "Don't use your email address or part of it."
	fbName       = "Don't use your name."
	fbPhone      = "Don't use your phone number."
	fbCommon     = "This is one of the most common passwords; choose something else."
	fbSpatial    = "Avoid keyboard patterns such as rows of neighbouring keys."
	fbSequence   = "Avoid sequences of letters or numbers in order."
	fbRepeat     = "Avoid repeated characters or words."
	fbDate       = "Avoid dates and years; they are easy to guess."
	fbPasswords  = "This is similar to a commonly used password."
	fbNames      = "Names and surnames on their own are easy to guess."
	fbWord       = "A single dictionary word is easy to guess."
	fbLeet       = "Swapping letters for look-alikes (like @ for a) doesn't help much."
	fbMoreWords  = "Add another word or two; uncommon words are better."
	fbUserInputs = "Don't use your own details, such as your name or email address."
)

// RatePassword scores password with zxcvbn and the rules every password must
// pass: PasswordMinLength..PasswordMaxLength runes, no control characters, a
// zxcvbn score of at least MinPasswordScore, not one of the most common
// passwords, and not containing any of userInputs (the user's email address,
// phone number, name; empty ones are ignored). Only the first
// PasswordMaxLength runes are scored.
func RatePassword(password string, userInputs ...string) PasswordStrength {
	s, _ := ratePassword(password, userInputs)
	return s
}

// ValidatePassword checks password by RatePassword's rules.
// Errors: VALIDATION_FAILED on field.
func ValidatePassword(field, password string, userInputs ...string) error {
	if _, problem := ratePassword(password, userInputs); problem != "" {
		return ports.InvalidField(field, problem)
	}
	return nil
}

// ratePassword returns the rating and, when the password is refused, the
// main reason worded as a field problem ("must be at least 8 characters").
func ratePassword(password string, userInputs []string) (PasswordStrength, string) {
	if password == "" {
		return PasswordStrength{Feedback: []string{fbEmpty}}, "is required"
	}
	// Never nil: a GraphQL [String!]! must not be null.
	feedback := []string{}
	problem := ""
	refuse := func(fb, p string) {
		feedback = append(feedback, fb)
		if problem == "" {
			problem = p
		}
	}

	n := utf8.RuneCountInString(password)
	switch {
	case n < PasswordMinLength:
		refuse(fmt.Sprintf("Use at least %d characters.", PasswordMinLength),
			fmt.Sprintf("must be at least %d characters", PasswordMinLength))
	case n > PasswordMaxLength:
		refuse(fmt.Sprintf("Use at most %d characters.", PasswordMaxLength),
			fmt.Sprintf("must be at most %d characters", PasswordMaxLength))
	}
	if hasControl(password) {
		refuse(fbControl, "must not contain control characters")
	}
	// Length problems say it all; a repeat shows only within the bounds.
	isRepeat := false
	if n >= PasswordMinLength && n <= PasswordMaxLength {
		if p := repeatProblem(password); p != "" {
			refuse(fbRepeat, p)
			isRepeat = true
		}
	}

	scored := password
	if n > PasswordMaxLength {
		scored = string([]rune(password)[:PasswordMaxLength])
	}
	lower := strings.ToLower(scored)
	personal := personalParts(userInputs)

	isPersonal := false
	for _, kind := range []string{"email", "name", "phone"} {
		for _, p := range personal {
			if p.kind == kind && strings.Contains(lower, p.text) {
				refuse(personalFeedback[kind], "must not contain your "+personalWords[kind])
				isPersonal = true
				break
			}
		}
	}
	isCommon := isCommonPassword(lower)
	if isCommon {
		refuse(fbCommon, "is too common; choose one that is harder to guess")
	}

	inputs := make([]string, 0, len(personal))
	for _, p := range personal {
		inputs = append(inputs, p.text)
	}
	var filters []func(match.Matcher) bool
	if utf8.RuneCountInString(scored) > leetMaxRunes {
		filters = append(filters, matching.FilterL33tMatcher)
	}
	result := zxcvbn.PasswordStrength(scored, inputs, filters...)
	score := min(max(result.Score, 0), 4)
	if isPersonal || isCommon || isRepeat {
		score = min(score, MinPasswordScore-1)
	}
	if score < MinPasswordScore {
		var hints []string
		if n >= PasswordMinLength { // too short says it all
			for _, h := range patternFeedback(result.MatchSequence) {
				// Said already, more precisely.
				if (h == fbUserInputs && isPersonal) || (h == fbPasswords && isCommon) {
					continue
				}
				hints = append(hints, h)
			}
		}
		if problem == "" {
			p := "is too easy to guess"
			if len(hints) > 0 {
				p += ": " + asProblem(hints[0])
			}
			problem = p
		}
		feedback = append(feedback, hints...)
		feedback = append(feedback, fbMoreWords)
	}
	feedback = dedupe(feedback)
	return PasswordStrength{Score: score, Acceptable: problem == "", Feedback: feedback}, problem
}

// hasControl reports control characters or bytes that are not UTF-8.
func hasControl(s string) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

// repeatProblem says why password is one short part repeated, or "".
// Letter case is ignored: "ILoveYouiloveyou" repeats too.
func repeatProblem(password string) string {
	runes := []rune(strings.ToLower(password))
	distinct := map[rune]struct{}{}
	for _, r := range runes {
		distinct[r] = struct{}{}
	}
	if len(distinct) < minDistinctRunes {
		return fmt.Sprintf("repeats too few characters; use at least %d different ones", minDistinctRunes)
	}
	if p := smallestPeriod(runes); p*repeatDivisor <= len(runes) {
		return "must not repeat one short part over and over"
	}
	return ""
}

// smallestPeriod is the least p with s[i] == s[i-p] for every i >= p (the
// prefix function of Knuth–Morris–Pratt: n minus the longest proper border).
func smallestPeriod(s []rune) int {
	if len(s) == 0 {
		return 0
	}
	border := make([]int, len(s))
	for i := 1; i < len(s); i++ {
		k := border[i-1]
		for k > 0 && s[i] != s[k] {
			k = border[k-1]
		}
		if s[i] == s[k] {
			k++
		}
		border[i] = k
	}
	return len(s) - border[len(s)-1]
}

var personalFeedback = map[string]string{"email": fbEmail, "name": fbName, "phone": fbPhone}

var personalWords = map[string]string{"email": "email address", "name": "name", "phone": "phone number"}

// personalPart is a lower-cased piece of a user input a password must not
// contain.
type personalPart struct{ kind, text string }

// personalParts turns the user's email address, phone number and name into
// the pieces a password must not contain: the email address, its local part
// and the words of it; runs of phoneWindow digits of the phone number (or
// all its digits if fewer); the name, without its spaces, and its words.
// Pieces shorter than minUserInputLength are left out.
func personalParts(userInputs []string) []personalPart {
	var out []personalPart
	seen := map[personalPart]bool{}
	add := func(kind, text string) {
		p := personalPart{kind, text}
		if utf8.RuneCountInString(text) >= minUserInputLength && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, in := range userInputs {
		in = strings.ToLower(strings.TrimSpace(in))
		switch {
		case in == "":
		case strings.Contains(in, "@"):
			local := in[:strings.LastIndexByte(in, '@')]
			add("email", in)
			add("email", local)
			for _, w := range words(local) {
				add("email", w)
			}
		case isPhoneLike(in):
			digits := strings.Map(func(r rune) rune {
				if r >= '0' && r <= '9' {
					return r
				}
				return -1
			}, in)
			if len(digits) <= phoneWindow {
				add("phone", digits)
				continue
			}
			for i := 0; i+phoneWindow <= len(digits); i++ {
				add("phone", digits[i:i+phoneWindow])
			}
		default:
			add("name", in)
			add("name", strings.Join(words(in), ""))
			for _, w := range words(in) {
				add("name", w)
			}
		}
	}
	return out
}

// isPhoneLike reports a phone number: digits with the usual punctuation.
func isPhoneLike(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ -().", r):
		default:
			return false
		}
	}
	return digits > 0
}

// words splits s at anything that is not a letter or a digit.
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the embedded list as a set.
var commonPasswords = func() map[string]struct{} {
	set := map[string]struct{}{}
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		line = strings.ToLower(strings.TrimSpace(line))
		if line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
}()

// Look-alike swaps undone before a password is looked up; "1" is read both
// as "i" and as "l".
var (
	unleetI = strings.NewReplacer("@", "a", "4", "a", "3", "e", "0", "o", "1", "i", "$", "s", "5", "s", "7", "t", "!", "i")
	unleetL = strings.NewReplacer("@", "a", "4", "a", "3", "e", "0", "o", "1", "l", "$", "s", "5", "s", "7", "t", "!", "l")
)

// isCommonPassword reports whether lower (a lower-cased password) is on the
// embedded list, as it is, with look-alikes undone, or once up to
// maxCommonSuffix trailing digits and symbols are taken off.
func isCommonPassword(lower string) bool {
	candidates := []string{lower}
	if base := strings.TrimRightFunc(lower, isSuffixRune); base != "" && base != lower &&
		len(lower)-len(base) <= maxCommonSuffix {
		candidates = append(candidates, base)
	}
	for _, c := range candidates {
		for _, v := range []string{c, unleetI.Replace(c), unleetL.Replace(c)} {
			if _, ok := commonPasswords[v]; ok {
				return true
			}
		}
	}
	return false
}

func isSuffixRune(r rune) bool {
	return (r >= '0' && r <= '9') || strings.ContainsRune("!@#$%^&*()-_=+.,?~", r)
}

// patternFeedback turns zxcvbn's matches into advice, longest match first,
// one sentence per kind of weakness. Match tokens are never used: they are
// pieces of the password.
func patternFeedback(seq []match.Match) []string {
	ms := make([]match.Match, len(seq))
	copy(ms, seq)
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].J-ms[i].I > ms[j].J-ms[j].I })
	var out []string
	for _, m := range ms {
		var fb string
		switch m.Pattern {
		case "spatial":
			fb = fbSpatial
		case "sequence":
			fb = fbSequence
		case "repeat":
			fb = fbRepeat
		case "date", "year":
			fb = fbDate
		case "dictionary":
			name := m.DictionaryName
			switch {
			case strings.HasSuffix(name, "_3117"):
				fb = fbLeet
			case name == "user_inputs":
				fb = fbUserInputs
			case name == "Passwords":
				fb = fbPasswords
			case name == "MaleNames" || name == "FemaleNames" || name == "Surname":
				fb = fbNames
			case m.J-m.I+1 >= 4: // short English words are everywhere
				fb = fbWord
			}
		}
		if fb != "" {
			out = append(out, fb)
		}
	}
	out = dedupe(out)
	if len(out) > 3 {
		out = out[:3]
	}
	return out
}

// asProblem rewrites a feedback sentence as the tail of a field problem:
// first letter lower-cased, no final full stop.
func asProblem(sentence string) string {
	s := strings.TrimSuffix(sentence, ".")
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

// dedupe keeps the first of equal strings, in order.
func dedupe(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
