package ports

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ErrorCode is the closed list of codes a client can see in a GraphQL
// error's extensions.code (see DESIGN.md "API conventions").
type ErrorCode string

const (
	CodeUnauthenticated  ErrorCode = "UNAUTHENTICATED"
	CodeForbidden        ErrorCode = "FORBIDDEN"
	CodeNotFound         ErrorCode = "NOT_FOUND"
	CodeValidationFailed ErrorCode = "VALIDATION_FAILED"
	CodeConflict         ErrorCode = "CONFLICT"
	CodeInvalidCode      ErrorCode = "INVALID_CODE"
	CodeCodeExpired      ErrorCode = "CODE_EXPIRED"
	CodeTooManyAttempts  ErrorCode = "TOO_MANY_ATTEMPTS"
	CodeRateLimited      ErrorCode = "RATE_LIMITED"
	CodeLocked           ErrorCode = "LOCKED"
	CodeKYCRequired      ErrorCode = "KYC_REQUIRED"
	CodeMaintenance      ErrorCode = "MAINTENANCE"
	CodeAccessRestricted ErrorCode = "ACCESS_RESTRICTED"
	// CodeUnavailable is a dependency (the database, a provider) that did
	// not answer in time or at all: not the client's fault, worth a retry
	// after RetryAfter.
	CodeUnavailable ErrorCode = "UNAVAILABLE"
	CodeInternal    ErrorCode = "INTERNAL"
)

// ErrorCodes is every code, in the order of the schema's ErrorCode enum
// (graph/schema/common.graphqls), which a test keeps equal to this list.
func ErrorCodes() []ErrorCode {
	return []ErrorCode{CodeUnauthenticated, CodeForbidden, CodeNotFound, CodeValidationFailed, CodeConflict,
		CodeInvalidCode, CodeCodeExpired, CodeTooManyAttempts, CodeRateLimited, CodeLocked, CodeKYCRequired,
		CodeMaintenance, CodeAccessRestricted, CodeUnavailable, CodeInternal}
}

// Known reports whether c is one of ErrorCodes.
func (c ErrorCode) Known() bool {
	for _, k := range ErrorCodes() {
		if c == k {
			return true
		}
	}
	return false
}

// Error is the one application error type. Message is safe to show to a
// user; Cause is for logs only and never reaches a client.
type Error struct {
	Code    ErrorCode
	Message string
	// Fields maps an input field name to what is wrong with it
	// (VALIDATION_FAILED only).
	Fields map[string]string
	// RetryAfter tells the client when to try again (RATE_LIMITED, LOCKED,
	// UNAVAILABLE).
	RetryAfter time.Duration
	// Reason is a stable, machine-readable refinement of Code, e.g.
	// NONCE_REPLAYED or SCOPE_MISSING under UNAUTHENTICATED or FORBIDDEN
	// (extensions.reason); empty when the code says it all.
	Reason string
	// RestrictionCode is the number staff gave the restriction that
	// refused the call (ACCESS_RESTRICTED, MAINTENANCE); 0: none
	// (extensions.restrictionCode).
	RestrictionCode int
	Cause           error
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Code, e.Message)
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		for i, name := range names {
			names[i] = name + " " + e.Fields[name]
		}
		msg += " (" + strings.Join(names, "; ") + ")"
	}
	if e.Cause != nil {
		msg += ": " + e.Cause.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Cause }

// Errorf builds an Error with a user-safe message.
func Errorf(code ErrorCode, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Refusal is an error of code refined by reason (see Error.Reason).
func Refusal(code ErrorCode, reason, format string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Invalid reports one or more bad input fields.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: CodeValidationFailed, Message: "some fields are invalid", Fields: fields}
}

// InvalidField reports one bad input field.
func InvalidField(field, problem string) *Error {
	return Invalid(map[string]string{field: problem})
}

// RateLimited tells the caller to wait.
func RateLimited(retryAfter time.Duration) *Error {
	return &Error{Code: CodeRateLimited, Message: "too many requests, try again later", RetryAfter: retryAfter}
}

// UnavailableRetry is how long a client is told to wait when a dependency
// is unavailable.
const UnavailableRetry = 5 * time.Second

// Unavailable reports a dependency that failed or did not answer in time;
// cause is for the logs only.
func Unavailable(cause error) *Error {
	return &Error{Code: CodeUnavailable, Message: "the service is temporarily unavailable, try again shortly",
		RetryAfter: UnavailableRetry, Cause: cause}
}

// ErrorCodeOf returns the code of err, INTERNAL for anything that is not an
// *Error (wrapped or not).
func ErrorCodeOf(err error) ErrorCode {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Common store-level errors; adapters return (or wrap) these so services
// never see driver types.
var (
	ErrNotFound = &Error{Code: CodeNotFound, Message: "not found"}
	ErrConflict = &Error{Code: CodeConflict, Message: "conflicts with existing data"}
)

// MergeInvalid folds several field errors into one VALIDATION_FAILED, so a
// client learns every bad field at once; any other error wins as it is.
func MergeInvalid(errs ...error) error {
	fields := map[string]string{}
	for _, err := range errs {
		if err == nil {
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeValidationFailed {
			return err
		}
		for k, v := range e.Fields {
			fields[k] = v
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return Invalid(fields)
}
