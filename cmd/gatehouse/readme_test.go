package main

// README's GraphQL sessions, run as written against the real binary.
//
// TestReadmeGraphQLSessions reads every ```graphql block of README.md, in
// order, and sends each operation to a dev server as a reader pasting them
// one after the other would. README's blocks follow these conventions; an
// edit that breaks one fails the test:
//
//   - An operation starts at a line beginning with `query`, `mutation` or
//     `{` and runs until the next one. Lines beginning with `#` are
//     comments.
//   - A string argument holding `…` (challengeId: "8c1e…", ticket: "ght_…")
//     is a placeholder for something the session has seen; so is every
//     `code` argument (its digits are only a sample). readmeFills is the
//     whole list of arguments that can be filled, and from what; any other
//     placeholder fails the test, naming the operation.
//   - Once an operation has returned an accessToken, every later one is sent
//     with the newest as `Authorization: Bearer …`, as README tells the
//     reader to.
//   - A `# →` comment after an operation (with its continuation lines,
//     those beginning `#` and two or more spaces) says what comes back. Its
//     first ALL_CAPS word (3 or more capital letters and underscores, e.g.
//     SIGNED_IN, ACTIVE, CONFLICT) must appear in the response body; when
//     that word is an error code, the response must carry errors, each
//     with that extensions.code. Every other operation must answer without
//     errors. Each `"key": "value"` pair written in a `# →` comment, unless
//     its value holds `…`, must be in the response data as written (e.g.
//     "destination": "+447*******56").
//
// TestReadmePhoneNumbers checks that every phone number written in README
// and in the schema is one the service accepts, and a mobile one.

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nyaruka/phonenumbers"

	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/contact"
	"github.com/gatehouse/gatehouse/ports"
)

// readmeOp is one operation of a README graphql block.
type readmeOp struct {
	line   int    // README line of its first line
	text   string // the operation, comments left out
	expect string // its `# →` comment, "" when none
}

// name is how failures point at the operation: its README line and start.
func (o readmeOp) name() string {
	first, _, _ := strings.Cut(o.text, "\n")
	if len(first) > 70 {
		first = first[:70] + "…"
	}
	return fmt.Sprintf("README.md:%d %s", o.line, first)
}

// readmeOperations returns the operations of every ```graphql block of
// readme, in order.
func readmeOperations(readme string) []readmeOp {
	var ops []readmeOp
	in, inExpect := false, false
	for i, line := range strings.Split(readme, "\n") {
		switch {
		case !in:
			in = strings.TrimSpace(line) == "```graphql"
			continue
		case strings.HasPrefix(strings.TrimSpace(line), "```"):
			in = false
			continue
		}
		cur := len(ops) - 1
		switch {
		case strings.HasPrefix(line, "query"), strings.HasPrefix(line, "mutation"), strings.HasPrefix(line, "{"):
			ops = append(ops, readmeOp{line: i + 1, text: line})
			inExpect = false
		case strings.HasPrefix(line, "# →"):
			inExpect = cur >= 0 && ops[cur].expect == ""
			if inExpect {
				ops[cur].expect = strings.TrimSpace(strings.TrimPrefix(line, "# →"))
			}
		case strings.HasPrefix(line, "#  ") && inExpect:
			ops[cur].expect += " " + strings.TrimSpace(line[1:])
		case strings.HasPrefix(line, "#"), strings.TrimSpace(line) == "":
			inExpect = false
		case cur >= 0:
			ops[cur].text += "\n" + line
		}
	}
	return ops
}

// readmeSession is what a reader has seen so far: the answers, and the
// server's log.
type readmeSession struct {
	accessToken, refreshToken, ticket string
	challenge                         struct {
		id, destination string
		logFrom         int
	}
	deviceID      string            // the newest deviceId argument written
	deviceSecrets map[string]string // by deviceId
	log           func() string     // the server's output so far
	codeWait      time.Duration     // how long a code may take to reach the log
}

// readmeNewPassword is what a reader would type where README writes
// newPassword: "…" (a password reset).
const readmeNewPassword = "copper-Meadow-27-silent"

// readmeFills is every placeholder README may use, by argument name.
var readmeFills = map[string]func(s *readmeSession) (string, error){
	"challengeId": func(s *readmeSession) (string, error) {
		return readmeOrNone(s.challenge.id, "no challenge has been returned yet")
	},
	"code": (*readmeSession).code,
	"ticket": func(s *readmeSession) (string, error) {
		return readmeOrNone(s.ticket, "no ticket has been returned yet")
	},
	"refreshToken": func(s *readmeSession) (string, error) {
		return readmeOrNone(s.refreshToken, "no refreshToken has been returned yet")
	},
	"deviceSecret": func(s *readmeSession) (string, error) {
		return readmeOrNone(s.deviceSecrets[s.deviceID], fmt.Sprintf("no deviceSecret has been returned for deviceId %q", s.deviceID))
	},
	"newPassword":     func(*readmeSession) (string, error) { return readmeNewPassword, nil },
	"confirmPassword": func(*readmeSession) (string, error) { return readmeNewPassword, nil },
}

func readmeOrNone(v, why string) (string, error) {
	if v == "" {
		return "", errors.New(why)
	}
	return v, nil
}

var (
	readmeStringArg = regexp.MustCompile(`(\w+):\s*"([^"]*)"`)
	// A console sender's log line: msg="dev sms …" to=… text="…" (the
	// email one has a subject between).
	readmeDevMessage = regexp.MustCompile(`msg="dev (?:sms|email)[^"]*" to=(\S+) .*?text="((?:[^"\\]|\\.)*)"`)
)

// fill returns op's text with its placeholders filled from the session,
// and notes the device it is for.
func (s *readmeSession) fill(op readmeOp) (string, error) {
	for _, m := range readmeStringArg.FindAllStringSubmatch(op.text, -1) {
		if m[1] == "deviceId" {
			s.deviceID = m[2]
		}
	}
	var errs []error
	text := readmeStringArg.ReplaceAllStringFunc(op.text, func(arg string) string {
		m := readmeStringArg.FindStringSubmatch(arg)
		if m[1] != "code" && !strings.Contains(m[2], "…") {
			return arg
		}
		fill, ok := readmeFills[m[1]]
		if !ok {
			errs = append(errs, fmt.Errorf("placeholder %s (no rule fills %q; see readmeFills)", arg, m[1]))
			return arg
		}
		v, err := fill(s)
		if err != nil {
			errs = append(errs, fmt.Errorf("placeholder %s: %v", arg, err))
			return arg
		}
		return m[1] + `: "` + v + `"`
	})
	if len(errs) == 0 && strings.Contains(text, "…") {
		errs = append(errs, errors.New(`a "…" that is not a string argument (name: "…") is no placeholder this test can fill`))
	}
	if len(errs) > 0 {
		return "", fmt.Errorf("%s: %w", op.name(), errors.Join(errs...))
	}
	return text, nil
}

// code is the newest code logged, since the newest challenge was issued,
// for that challenge's (masked) destination. It waits a little: some codes
// are sent after the answer.
func (s *readmeSession) code() (string, error) {
	if s.challenge.id == "" {
		return "", errors.New("no challenge has been returned yet")
	}
	if s.challenge.destination == "" {
		return "", errors.New("the challenge's destination was not asked for, so there is no telling which logged code is its own")
	}
	// A masked destination (+447*******56, a***@example.com) matches the
	// address it hides.
	masked := regexp.MustCompile(`(\\\*)+`).ReplaceAllLiteralString(regexp.QuoteMeta(s.challenge.destination), `[^\s"]+`)
	dest := regexp.MustCompile(`^` + masked + `$`)
	deadline := time.Now().Add(s.codeWait)
	for {
		log := s.log()
		if s.challenge.logFrom <= len(log) {
			log = log[s.challenge.logFrom:]
		}
		matches := readmeDevMessage.FindAllStringSubmatch(log, -1)
		for i := len(matches) - 1; i >= 0; i-- {
			if dest.MatchString(strings.Trim(matches[i][1], `"`)) {
				if c := codeIn(matches[i][2]); c != "" {
					return c, nil
				}
			}
		}
		if !time.Now().Before(deadline) {
			return "", fmt.Errorf("no code was logged (msg=\"dev sms …\" or \"dev email …\") for %s since the challenge was issued", s.challenge.destination)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// observe keeps what an answer returned: tokens, the ticket, the device
// secret (for the newest deviceId written), and the challenge (an object
// under `challenge`, or any object with an id and a destination).
func (s *readmeSession) observe(data any, logFrom int) {
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(key, e)
			}
		case map[string]any:
			id, _ := v["id"].(string)
			dest, hasDest := v["destination"].(string)
			if id != "" && (hasDest || key == "challenge") {
				s.challenge.id, s.challenge.destination, s.challenge.logFrom = id, dest, logFrom
			}
			for k, e := range v {
				walk(k, e)
			}
		case string:
			switch key {
			case "accessToken":
				s.accessToken = v
			case "refreshToken":
				s.refreshToken = v
			case "ticket":
				s.ticket = v
			case "deviceSecret":
				if s.deviceSecrets == nil {
					s.deviceSecrets = map[string]string{}
				}
				s.deviceSecrets[s.deviceID] = v
			}
		}
	}
	walk("", data)
}

var (
	readmeAllCaps  = regexp.MustCompile(`\b[A-Z][A-Z_]{2,}\b`)
	readmeKeyValue = regexp.MustCompile(`"(\w+)":\s*"([^"]*)"`)
	readmeErrCodes = []ports.ErrorCode{ports.CodeUnauthenticated, ports.CodeForbidden, ports.CodeNotFound,
		ports.CodeValidationFailed, ports.CodeConflict, ports.CodeInvalidCode, ports.CodeCodeExpired,
		ports.CodeTooManyAttempts, ports.CodeRateLimited, ports.CodeLocked, ports.CodeKYCRequired,
		ports.CodeMaintenance, ports.CodeAccessRestricted, ports.CodeUnavailable, ports.CodeInternal}
)

type readmeResponse struct {
	Data   any `json:"data"`
	Errors []struct {
		Message    string `json:"message"`
		Extensions struct {
			Code string `json:"code"`
		} `json:"extensions"`
	} `json:"errors"`
}

// readmeCheck holds a response body to what op's `# →` comment says.
func readmeCheck(op readmeOp, body string) (readmeResponse, error) {
	var res readmeResponse
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		return res, fmt.Errorf("%s: the answer is not JSON: %v\n%s", op.name(), err, body)
	}
	word := readmeAllCaps.FindString(op.expect)
	if slices.Contains(readmeErrCodes, ports.ErrorCode(word)) {
		ok := len(res.Errors) > 0
		for _, e := range res.Errors {
			ok = ok && e.Extensions.Code == word
		}
		if !ok {
			return res, fmt.Errorf("%s: README says it answers %s, got:\n%s", op.name(), word, body)
		}
	} else if len(res.Errors) > 0 {
		return res, fmt.Errorf("%s: errors:\n%s", op.name(), body)
	}
	if word != "" && !strings.Contains(body, word) {
		return res, fmt.Errorf("%s: README says %q (its first ALL_CAPS word is %s), the answer has no %s:\n%s",
			op.name(), op.expect, word, word, body)
	}
	for _, m := range readmeKeyValue.FindAllStringSubmatch(op.expect, -1) {
		if !strings.Contains(m[2], "…") && !readmeHasKeyValue(res.Data, m[1], m[2]) {
			return res, fmt.Errorf("%s: README says %s, the answer has not:\n%s", op.name(), m[0], body)
		}
	}
	return res, nil
}

func readmeHasKeyValue(v any, key, value string) bool {
	switch v := v.(type) {
	case []any:
		return slices.ContainsFunc(v, func(e any) bool { return readmeHasKeyValue(e, key, value) })
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && k == key && s == value || readmeHasKeyValue(e, key, value) {
				return true
			}
		}
	}
	return false
}

// TestReadmeGraphQLSessions runs README's GraphQL sessions as written (see
// the conventions at the top of this file).
func TestReadmeGraphQLSessions(t *testing.T) {
	t.Parallel()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	ops := readmeOperations(string(readme))
	must(t, len(ops) >= 10, "README has %d graphql operations; are its ```graphql blocks still there?", len(ops))

	addr := freeAddr(t)
	cmd, out := gatehouse(t, []string{"GATEHOUSE_ENV=dev", "DATABASE_URL=" + pgtest.URL(t),
		"GATEHOUSE_DATA_DIR=" + t.TempDir(), "GATEHOUSE_HTTP_ADDR=" + addr, "GATEHOUSE_DEV_ADMIN_PHONE=none",
		"GATEHOUSE_ARGON2_MEMORY_KIB=8192", "GATEHOUSE_ARGON2_PARALLELISM=1", "GATEHOUSE_LOG_FORMAT=text"}, "serve")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	waitReady(t, "http://"+addr+"/readyz", out)

	s := &readmeSession{log: out.String, codeWait: 10 * time.Second}
	for _, op := range ops {
		query, err := s.fill(op)
		if err != nil {
			t.Fatal(err)
		}
		logFrom := len(out.String())
		body := postReadmeOp(t, addr, query, s.accessToken)
		t.Logf("%s\n  → %s", op.name(), body)
		res, err := readmeCheck(op, body)
		if err != nil {
			t.Fatalf("%v\n(sent:\n%s)", err, query)
		}
		s.observe(res.Data, logFrom)
	}
}

func postReadmeOp(t *testing.T, addr, query, accessToken string) string {
	t.Helper()
	b, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/graphql", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if accessToken != "" {
		req.Header.Set("Authorization", "Bearer "+accessToken)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return string(body)
}

// TestReadmeExtraction holds the extraction, the placeholder filling and
// the checks of TestReadmeGraphQLSessions to a README snippet.
func TestReadmeExtraction(t *testing.T) {
	t.Parallel()
	const snippet = "Prose with `query` and `{`.\n\n" +
		"```graphql\n" +
		"query { phoneSignupStatus(phone: \"+447911123456\") }\n" +
		"# → \"NOT_REGISTERED\"\n" +
		"\n" +
		"mutation { startPhoneSignup(input: {phone: \"+447911123456\"}) {\n" +
		"  id destination } }\n" +
		"# → {\"id\": \"8c1e…\", \"destination\": \"+447*******56\"} on the\n" +
		"#   first SIGNUP\n" +
		"# The log shows: msg=\"dev sms ...\" CONFLICT\n" +
		"mutation { verifyPhoneSignup(input: {challengeId: \"8c1e…\", code: \"043970\"}) { ticket } }\n" +
		"```\n\n" +
		"```sh\nquery { not graphql }\n```\n\n" +
		"```graphql\n" +
		"# A comment first.\n" +
		"{ me { id } }\n" +
		"# → CONFLICT, the email is taken\n" +
		"mutation { signInWithPin(input: {pin: \"4831\", deviceId: \"my-phone-1\", deviceSecret: \"ghd_…\"}) { status } }\n" +
		"mutation { completePinReset(input: {resetTicket: \"ghpr_…\"}) { status } }\n" +
		"query { users(ids: [\"8c1e…\"]) { id } }\n" +
		"```\n"
	ops := readmeOperations(snippet)
	var lines []int
	for _, op := range ops {
		lines = append(lines, op.line)
	}
	must(t, slices.Equal(lines, []int{4, 7, 12, 21, 23, 24, 25}), "operations at lines %v", lines)
	must(t, ops[1].text == "mutation { startPhoneSignup(input: {phone: \"+447911123456\"}) {\n  id destination } }", "text: %q", ops[1].text)
	must(t, ops[1].expect == `{"id": "8c1e…", "destination": "+447*******56"} on the first SIGNUP`, "expect: %q", ops[1].expect)
	must(t, ops[0].expect == `"NOT_REGISTERED"` && ops[2].expect == "" && ops[3].expect == "CONFLICT, the email is taken", "expects: %+v", ops)

	// Placeholders: the code comes from the log line for the challenge's
	// destination, not from a newer one to someone else or an older one.
	log := `level=INFO msg="dev sms (console adapter, not delivered)" to=+447911123456 text="Gatehouse: your code is 111111. It expires in 2 minutes."` + "\n"
	from := len(log)
	log += `level=INFO msg="dev sms (console adapter, not delivered)" to=+447911123456 text="Gatehouse: your code is 222222. It expires in 2 minutes."` + "\n" +
		`level=INFO msg="dev email (console adapter, not delivered)" to=ada@example.com subject="Gatehouse verification code" text="Your Gatehouse verification code is 333333.\r\n"` + "\n"
	s := &readmeSession{log: func() string { return log }}
	_, err := s.fill(ops[2])
	must(t, err != nil && strings.Contains(err.Error(), "README.md:12") && strings.Contains(err.Error(), "no challenge"), "fill before any challenge: %v", err)
	s.observe(map[string]any{"startPhoneSignup": map[string]any{"id": "c-1", "destination": "+447*******56"}}, from)
	got, err := s.fill(ops[2])
	must(t, err == nil && got == `mutation { verifyPhoneSignup(input: {challengeId: "c-1", code: "222222"}) { ticket } }`, "filled: %q, %v", got, err)
	s.observe(map[string]any{"signUpWithEmail": map[string]any{"id": "c-2", "destination": "a***@example.com"}}, from)
	got, err = s.fill(ops[2])
	must(t, err == nil && strings.Contains(got, `challengeId: "c-2", code: "333333"`), "filled for the email: %q, %v", got, err)

	s.deviceID = "my-tablet" // as an operation with deviceId: "my-tablet" leaves it
	s.observe(map[string]any{"verifyDeviceSignIn": map[string]any{"deviceSecret": "ghd_2"}}, from)
	_, err = s.fill(ops[4])
	must(t, err != nil && strings.Contains(err.Error(), `for deviceId "my-phone-1"`), "another device's secret was used: %v", err)
	s.deviceID = "my-phone-1"
	s.observe(map[string]any{"completePhoneSignup": map[string]any{"accessToken": "eyJ", "deviceSecret": "ghd_1"}}, from)
	got, err = s.fill(ops[4])
	must(t, err == nil && strings.Contains(got, `deviceSecret: "ghd_1"`) && s.accessToken == "eyJ", "device secret: %q, %v", got, err)
	// A placeholder no rule fills fails, naming the operation.
	_, err = s.fill(ops[5])
	must(t, err != nil && strings.Contains(err.Error(), "README.md:24 mutation { completePinReset") &&
		strings.Contains(err.Error(), "resetTicket"), "unfillable placeholder: %v", err)
	_, err = s.fill(ops[6])
	must(t, err != nil && strings.Contains(err.Error(), "README.md:25") && strings.Contains(err.Error(), "not a string argument"),
		"a placeholder in a list: %v", err)

	// The checks on the answer.
	_, err = readmeCheck(ops[0], `{"data":{"phoneSignupStatus":"NOT_REGISTERED"}}`)
	must(t, err == nil, "NOT_REGISTERED: %v", err)
	_, err = readmeCheck(ops[0], `{"data":{"phoneSignupStatus":"ACTIVE"}}`)
	must(t, err != nil && strings.Contains(err.Error(), "no NOT_REGISTERED"), "a missing word passed: %v", err)
	_, err = readmeCheck(ops[1], `{"data":{"startPhoneSignup":{"id":"c-1","purpose":"SIGNUP","destination":"+447*******56"}}}`)
	must(t, err == nil, "startPhoneSignup: %v", err)
	_, err = readmeCheck(ops[1], `{"data":{"startPhoneSignup":{"id":"c-1","purpose":"SIGNUP","destination":"+447******56"}}}`)
	must(t, err != nil && strings.Contains(err.Error(), `"destination": "+447*******56"`), "a different destination passed: %v", err)
	conflict := `{"errors":[{"message":"x","extensions":{"code":"CONFLICT"}}],"data":null}`
	_, err = readmeCheck(ops[3], conflict)
	must(t, err == nil, "an expected CONFLICT: %v", err)
	_, err = readmeCheck(ops[3], `{"data":{"me":{"id":"u"}}}`)
	must(t, err != nil && strings.Contains(err.Error(), "answers CONFLICT"), "a missing CONFLICT passed: %v", err)
	_, err = readmeCheck(ops[2], conflict)
	must(t, err != nil && strings.Contains(err.Error(), "errors"), "an unexpected error passed: %v", err)
}

// TestReadmePhoneNumbers: every phone number written in README and in the
// schema (masked ones like +447*******56 aside) is one the service accepts
// as written, and a mobile one, so a reader can sign up with it.
func TestReadmePhoneNumbers(t *testing.T) {
	t.Parallel()
	schemas, err := filepath.Glob("../../graph/schema/*.graphqls")
	if err != nil || len(schemas) == 0 {
		t.Fatalf("no schema files: %v", err)
	}
	number := regexp.MustCompile(`\+\d[\d*]{7,}`)
	seen := 0
	for _, path := range append([]string{"../../README.md"}, schemas...) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			for _, n := range number.FindAllString(line, -1) {
				if strings.Contains(n, "*") {
					continue // masked, as the server shows a destination
				}
				seen++
				where := fmt.Sprintf("%s:%d: %s", strings.TrimPrefix(path, "../../"), i+1, n)
				if len(n) > 16 {
					t.Errorf("%s: longer than E.164 allows", where)
					continue
				}
				e164, err := contact.NormalizePhone("phone", n)
				if err != nil {
					t.Errorf("%s: refused by contact.NormalizePhone: %v", where, err)
					continue
				}
				if e164 != n {
					t.Errorf("%s: not written in E.164 (%s)", where, e164)
				}
				num, err := phonenumbers.Parse(n, "")
				if err != nil {
					t.Errorf("%s: %v", where, err)
					continue
				}
				if typ := phonenumbers.GetNumberType(num); typ != phonenumbers.MOBILE && typ != phonenumbers.FIXED_LINE_OR_MOBILE {
					t.Errorf("%s: not a mobile number (libphonenumber: %s)", where, readmePhoneTypes[typ])
				}
			}
		}
	}
	must(t, seen > 0, "no phone numbers found")
}

var readmePhoneTypes = map[phonenumbers.PhoneNumberType]string{
	phonenumbers.FIXED_LINE: "FIXED_LINE", phonenumbers.TOLL_FREE: "TOLL_FREE", phonenumbers.PREMIUM_RATE: "PREMIUM_RATE",
	phonenumbers.SHARED_COST: "SHARED_COST", phonenumbers.VOIP: "VOIP", phonenumbers.PERSONAL_NUMBER: "PERSONAL_NUMBER",
	phonenumbers.PAGER: "PAGER", phonenumbers.UAN: "UAN", phonenumbers.VOICEMAIL: "VOICEMAIL", phonenumbers.UNKNOWN: "UNKNOWN",
}
