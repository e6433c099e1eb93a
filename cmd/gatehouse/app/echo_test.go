package app_test

import (
	"encoding/json"
	"io"
	"strings"
	"testing"
)

// postBody posts body as it is to /graphql and returns the raw answer.
func (h *harness) postBody(body string) (int, string) {
	h.t.Helper()
	res, err := h.srv.Client().Post(h.srv.URL+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// A bad request is told where and why it is wrong, never with the values
// it carried: a PIN written as a number, a secret in a string literal the
// parser stopped at, an enum or variable of the wrong kind, a body that is
// not JSON.
func TestBadRequestsDoNotEchoTheirValues(t *testing.T) {
	h := newHarness(t)
	query := func(q string, vs map[string]any) string {
		b, _ := json.Marshal(map[string]any{"query": q, "variables": vs})
		return string(b)
	}
	tests := []struct {
		name, body string
		secrets    []string
		want       string // the message, or a part of it
	}{
		{"a PIN literal as a number",
			query(`mutation { signInWithPin(input: {phone: "+447911195511", pin: 482913, deviceId: "d-1", deviceName: "x"}) { status } }`, nil),
			[]string{"482913"}, "String cannot represent a non string value."},
		{"a PIN literal as a float",
			query(`mutation { signInWithPin(input: {phone: "+447911195511", pin: 482913.5, deviceId: "d-1", deviceName: "x"}) { status } }`, nil),
			[]string{"482913"}, "String cannot represent a non string value."},
		{"a secret string where an enum goes",
			query(`{ appConfig(platform: "s3cr3t-Tok3n-9F7Q") { maintenance { enabled } } }`, nil),
			[]string{"s3cr3t-Tok3n-9F7Q"}, "cannot represent non-enum value."},
		{"a secret string where an object goes",
			query(`mutation { signInWithPin(input: "s3cr3t-Tok3n-9F7Q") { status } }`, nil),
			[]string{"s3cr3t-Tok3n-9F7Q"}, `Expected value of type "SignInWithPinInput!".`},
		{"a secret string the parser stops at",
			query(`{ me { id "s3cr3t-Tok3n-9F7Q" } }`, nil),
			[]string{"s3cr3t-Tok3n-9F7Q"}, "the query could not be parsed"},
		{"a PIN the parser stops at",
			query(`mutation { signInWithPin(input: {pin 482913}) { status } }`, nil),
			[]string{"482913"}, "the query could not be parsed"},
		{"a secret string where an operation goes",
			query(`"s3cr3t-Tok3n-9F7Q" { me { id } }`, nil),
			[]string{"s3cr3t-Tok3n-9F7Q"}, "the query could not be parsed"},
		{"a PIN after a bad escape",
			query(`mutation { signInWithPin(input: {phone: "+447911195511", pin: "\x482913", deviceId: "d-1", deviceName: "x"}) { status } }`, nil),
			[]string{"482913"}, "the query could not be parsed"},
		{"an unterminated secret string",
			query(`{ me { id } } "s3cr3t-Tok3n-9F7Q`, nil),
			[]string{"s3cr3t-Tok3n-9F7Q"}, "the query could not be parsed"},
		{"a secret variable where an enum goes",
			query(`query($p: Platform!) { appConfig(platform: $p) { maintenance { enabled } } }`, map[string]any{"p": "s3cr3t-Tok3n-9F7Q"}),
			[]string{"s3cr3t-Tok3n-9F7Q"}, "is not a valid Platform"},
		{"a PIN variable as an object",
			query(mSignIn, map[string]any{"phone": "+447911195511", "pin": map[string]any{"v": 482913}, "device": "d-1"}),
			[]string{"482913"}, ""},
		{"a body that is not JSON",
			`{"query": "{ me { id } }", "variables": {"pin": "482913", "secret": "s3cr3t-Tok3n-9F7Q"}`,
			[]string{"482913", "s3cr3t-Tok3n-9F7Q"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.postBody(tt.body)
			for _, s := range tt.secrets {
				if strings.Contains(body, s) {
					t.Fatalf("the answer (%d) repeats %q: %s", status, s, body)
				}
			}
			var res gqlResponse
			if err := json.Unmarshal([]byte(body), &res); err != nil || len(res.Errors) == 0 {
				t.Fatalf("want errors, got %d %s", status, body)
			}
			if c := res.Errors[0].Extensions["code"]; c != "VALIDATION_FAILED" {
				t.Fatalf("code %v, want VALIDATION_FAILED: %s", c, body)
			}
			if !strings.Contains(res.Errors[0].Message, tt.want) {
				t.Fatalf("message %q, want %q in it", res.Errors[0].Message, tt.want)
			}
			if !strings.Contains(body, `"locations"`) && len(res.Errors[0].Path) == 0 && !strings.Contains(tt.name, "not JSON") {
				t.Fatalf("the error says neither where nor what: %s", body)
			}
			t.Logf("%d %s", status, body)
		})
	}
}
