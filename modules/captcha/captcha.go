// Package captcha asks a captcha provider whether the person behind a
// request is one, on the operations configured to need it: sign-up,
// sign-in once an identifier or a client has failed N times lately,
// password reset, and the phone status query. Its Gate is called before
// any other work of the operation, so a refused captcha sends no code,
// hashes nothing and spends no rate-limit budget.
package captcha

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Operation is a family of root fields that can be configured to need a
// captcha.
type Operation string

const (
	// OpSignUp: startPhoneSignup and signUpWithEmail.
	OpSignUp Operation = "signup"
	// OpSignIn: signIn and signInWithPin, once the identifier or the
	// client has Config.SignInAfter recent failures.
	OpSignIn Operation = "signin"
	// OpPasswordReset: requestPasswordReset.
	OpPasswordReset Operation = "password_reset"
	// OpPhoneStatus: the phoneSignupStatus query.
	OpPhoneStatus Operation = "phone_status"
)

// Operations is every operation, in the order the README lists them.
func Operations() []Operation {
	return []Operation{OpSignUp, OpSignIn, OpPasswordReset, OpPhoneStatus}
}

// ParseOperations reads a comma-separated list of operations ("signup,
// signin"); "all" is every one of them, "" none.
func ParseOperations(s string) (map[Operation]bool, error) {
	ops := map[Operation]bool{}
	for _, part := range strings.Split(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		if part == "" {
			continue
		}
		if part == "all" {
			for _, op := range Operations() {
				ops[op] = true
			}
			continue
		}
		known := false
		for _, op := range Operations() {
			if Operation(part) == op {
				ops[op], known = true, true
			}
		}
		if !known {
			names := make([]string, 0, 4)
			for _, op := range Operations() {
				names = append(names, string(op))
			}
			sort.Strings(names)
			return nil, fmt.Errorf("unknown captcha operation %q (known: all, %s)", part, strings.Join(names, ", "))
		}
	}
	return ops, nil
}

// Verdict is the provider's answer about one token.
type Verdict struct {
	// OK: the provider vouches for the token (and the hostname, action and
	// score it reported are the expected ones).
	OK bool
	// Reasons say why not, in the provider's words (its error-codes, or
	// the adapter's own such as "hostname-mismatch"); for logs only.
	Reasons []string
}

// Verifier asks the provider about a token. A token is a secret: an
// implementation never logs it nor puts it in an error.
type Verifier interface {
	// Verify reports whether the provider accepts token, solved by the
	// client at remoteIP for op. An error means the provider could not
	// say (down, slow, garbage, or refusing our own credentials): the
	// captcha is then neither passed nor failed.
	Verify(ctx context.Context, token, remoteIP string, op Operation) (Verdict, error)
}

// Config says which operations need a captcha.
type Config struct {
	// Operations need a captcha; the others never call the provider.
	Operations map[Operation]bool
	// SignInAfter is how many recent failed sign-ins of one identifier
	// (email or phone) or one client (IP, or IPv6 /64) make the next
	// sign-in need a captcha; 0 asks for it on every sign-in.
	SignInAfter int
	// FailureWindow is how long a failed sign-in counts as recent
	// (between one and two windows: the counts are kept in fixed windows).
	FailureWindow time.Duration
	// Timeout bounds one verification, whatever the client's deadline.
	Timeout time.Duration
}

// DefaultConfig needs no captcha anywhere; with signin configured, it is
// asked for after 3 failures within 15 minutes.
func DefaultConfig() Config {
	return Config{Operations: map[Operation]bool{}, SignInAfter: 3, FailureWindow: 15 * time.Minute,
		Timeout: 5 * time.Second}
}

// MaxTokenBytes bounds a token before it reaches the provider (Turnstile
// documents 2048 characters as its longest).
const MaxTokenBytes = 4096
