package ports

import (
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// EncodeCursor is the opaque keyset cursor of a row ordered by (at, id):
// base64url of "unix-nanos:uuid".
func EncodeCursor(at time.Time, id uuid.UUID) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixNano(), 10) + ":" + id.String()))
}

// DecodeCursor reads a cursor of EncodeCursor; VALIDATION_FAILED on the
// field "after" when s is not one.
func DecodeCursor(s string) (time.Time, uuid.UUID, error) {
	bad := InvalidField("after", "is not a cursor from this list")
	if len(s) > 100 {
		return time.Time{}, uuid.Nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return time.Time{}, uuid.Nil, bad
	}
	ns, id, ok := strings.Cut(string(raw), ":")
	if !ok {
		return time.Time{}, uuid.Nil, bad
	}
	n, err := strconv.ParseInt(ns, 10, 64)
	if err != nil {
		return time.Time{}, uuid.Nil, bad
	}
	uid, err := uuid.Parse(id)
	if err != nil {
		return time.Time{}, uuid.Nil, bad
	}
	return time.Unix(0, n).UTC(), uid, nil
}

// PageArgs checks the arguments of a keyset page: first between 1 and
// 100, after empty or a cursor of EncodeCursor. It returns the cursor's
// key (ok false when after is empty or bad) and one VALIDATION_FAILED
// naming every bad argument ("first", "after"), or nil; callers fold it
// with their own fields' errors (MergeInvalid).
func PageArgs(first int, after string) (at time.Time, id uuid.UUID, ok bool, err error) {
	var errs []error
	if first < 1 || first > 100 {
		errs = append(errs, InvalidField("first", "must be between 1 and 100"))
	}
	if after != "" {
		var bad error
		at, id, bad = DecodeCursor(after)
		errs, ok = append(errs, bad), bad == nil
	}
	return at, id, ok, MergeInvalid(errs...)
}

// TrimPage cuts rows fetched with a limit of first+1 back to first and
// reports whether the extra row was there, which is the page's
// hasNextPage: one row more than asked for tells, without a count, that
// another page follows.
func TrimPage[T any](rows []T, first int) ([]T, bool) {
	if len(rows) > first {
		return rows[:first], true
	}
	return rows, false
}

// PageCursors gives each row's cursor (EncodeCursor of its keyset key), in
// order; nil for no rows.
func PageCursors[T any](rows []T, key func(T) (time.Time, uuid.UUID)) []string {
	var out []string
	for _, r := range rows {
		out = append(out, EncodeCursor(key(r)))
	}
	return out
}
