package platform

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/gatehouse/gatehouse/modules/internal/textin"
	"github.com/gatehouse/gatehouse/ports"
)

// Refusal reasons of the terms.
const (
	// ReasonTermsVersionExists: the kind has a version of that name
	// already; a published version is never rewritten, since users
	// accepted it as it was.
	ReasonTermsVersionExists = "TERMS_VERSION_EXISTS"
	// ReasonTermsNotCurrent: a user accepts a version that is not the
	// current one of its kind (a newer one was published meanwhile).
	ReasonTermsNotCurrent = "TERMS_NOT_CURRENT"
	// ReasonKindLimit: MaxTermsKinds kinds exist and the kind is a new
	// one.
	ReasonKindLimit = "TERMS_KIND_LIMIT_REACHED"
)

// Bounds of a terms document.
const (
	MaxTermsTitle = 200
	MaxTermsBody  = 16_000 // characters; the full text is at url when longer
	MaxTermsURL   = 500
	// MaxTermsVersions bounds the versions termsVersions lists.
	MaxTermsVersions = 100
	// MaxTermsKinds bounds how many kinds may exist.
	MaxTermsKinds = 50
)

var (
	// termsKind is a kind's name: upper-case letters, digits and
	// underscores (GENERAL, KONNECT, BIOMETRIC), as the schema's
	// TermsKind scalar says.
	termsKind    = regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,31}$`)
	termsVersion = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$`)
)

// checkKind validates a terms kind's name.
func checkKind(field, kind string) error {
	if !termsKind.MatchString(kind) {
		return ports.InvalidField(field, "must be 1 to 32 upper-case letters, digits and underscores, starting with a letter")
	}
	return nil
}

// TermsKinds returns every kind of terms document with its current
// version (nil when none is published yet). Errors: UNAUTHENTICATED.
func (o *Operator) TermsKinds(ctx context.Context) ([]TermsKind, error) {
	if _, err := o.caller(ctx); err != nil {
		return nil, err
	}
	return o.terms.TermsKinds(ctx, o.clock.Now())
}

// TermsVersions lists the versions of kind, newest first: the published
// history, and those scheduled. first is 1 to 100 (0: 20). Errors:
// UNAUTHENTICATED, VALIDATION_FAILED (kind, first).
func (o *Operator) TermsVersions(ctx context.Context, kind string, first int) ([]TermsDocument, error) {
	if _, err := o.caller(ctx); err != nil {
		return nil, err
	}
	if first == 0 {
		first = 20
	}
	kerr := checkKind("kind", kind)
	var ferr error
	if first < 1 || first > MaxTermsVersions {
		ferr = ports.InvalidField("first", fmt.Sprintf("must be from 1 to %d", MaxTermsVersions))
	}
	if err := ports.MergeInvalid(kerr, ferr); err != nil {
		return nil, err
	}
	return o.terms.TermsVersions(ctx, kind, first)
}

// PublishTermsInput is a new version of a terms document.
type PublishTermsInput struct {
	Kind    string
	Version string
	Title   string
	URL     string
	Body    string
	// AskUsers, when set, says whether signed-in users are asked to
	// accept the kind (a new kind: false when unset).
	AskUsers *bool
	// PublishAt is when the version takes effect (nil: now); not in the
	// past, so what was current before stays as it was.
	PublishAt *time.Time
	Reason    string
}

// PublishTerms publishes a new version of a kind, creating the kind when
// it is new: a KONNECT or BIOMETRIC kind needs no change of code. Errors:
// UNAUTHENTICATED, VALIDATION_FAILED (kind, version, title, url, body,
// publishAt, reason), CONFLICT (reasons TERMS_VERSION_EXISTS,
// TERMS_KIND_LIMIT_REACHED).
func (o *Operator) PublishTerms(ctx context.Context, in PublishTermsInput) (TermsDocument, error) {
	now := o.clock.Now().UTC()
	var errs []error
	errs = append(errs, checkKind("kind", in.Kind))
	if !termsVersion.MatchString(in.Version) {
		errs = append(errs, ports.InvalidField("version",
			"must be 1 to 32 letters, digits, dots, dashes and underscores, starting with a letter or digit"))
	}
	title, err := textin.Name("title", in.Title, 1, MaxTermsTitle)
	errs = append(errs, err)
	errs = append(errs, checkURL("url", in.URL, MaxTermsURL))
	body, err := termsBody(in.Body)
	errs = append(errs, err)
	at := now
	if in.PublishAt != nil {
		at = in.PublishAt.UTC().Truncate(time.Microsecond)
		if at.Before(now.Add(-time.Minute)) {
			errs = append(errs, ports.InvalidField("publishAt", "must not be in the past"))
		}
		if at.After(now.AddDate(1, 0, 0)) {
			errs = append(errs, ports.InvalidField("publishAt", "must be within a year"))
		}
	}
	reason, err := textin.Reason("reason", in.Reason)
	errs = append(errs, err)
	if err := ports.MergeInvalid(errs...); err != nil {
		return TermsDocument{}, err
	}
	d := TermsDocument{Kind: in.Kind, Version: in.Version, Title: title, URL: in.URL, Body: body, PublishedAt: at}
	input := map[string]any{"kind": d.Kind, "version": d.Version, "title": d.Title, "url": d.URL,
		"bodyChars": len([]rune(body)), "publishAt": at.Format(time.RFC3339Nano)}
	if in.AskUsers != nil {
		input["askUsers"] = *in.AskUsers
	}
	err = o.change(ctx, "publishTerms", reason, input, func(ctx context.Context, now time.Time, _ map[string]any) error {
		if err := o.terms.LockKinds(ctx); err != nil {
			return err
		}
		kinds, err := o.terms.TermsKinds(ctx, now)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(kinds, func(k TermsKind) bool { return k.Kind == d.Kind }) && len(kinds) >= MaxTermsKinds {
			return ports.Refusal(ports.CodeConflict, ReasonKindLimit,
				"at most %d kinds of terms may exist", MaxTermsKinds)
		}
		return o.terms.AddTermsVersion(ctx, d, in.AskUsers)
	})
	if err != nil {
		return TermsDocument{}, err
	}
	return d, nil
}

// termsBody checks a document's text: 1 to MaxTermsBody characters of
// valid UTF-8 without NUL or bidi controls; new lines and tabs are kept.
func termsBody(s string) (string, error) {
	n := len([]rune(s))
	switch {
	case n == 0:
		return "", ports.InvalidField("body", "is required")
	case n > MaxTermsBody:
		return "", ports.InvalidField("body", fmt.Sprintf("must be at most %d characters", MaxTermsBody))
	}
	for _, r := range s {
		if r == 0 || r == 0xFFFD || (r < ' ' && r != '\n' && r != '\t' && r != '\r') {
			return "", ports.InvalidField("body", "must be text without control characters")
		}
	}
	return s, textin.NoBidi("body", s)
}

// PendingTerms returns the current version of every kind users are asked
// to accept that the caller has not accepted, by kind. Errors:
// UNAUTHENTICATED.
func (o *Operator) PendingTerms(ctx context.Context) ([]TermsDocument, error) {
	c, err := o.caller(ctx)
	if err != nil {
		return nil, err
	}
	return o.terms.PendingTerms(ctx, c.UserID, o.clock.Now())
}

// AcceptTerms records that the caller accepted the current version of
// kind: the version the client showed must still be the current one.
// Accepting again is harmless. Errors: UNAUTHENTICATED, VALIDATION_FAILED
// (kind, version), NOT_FOUND (no published version of kind), CONFLICT
// (reason TERMS_NOT_CURRENT).
func (o *Operator) AcceptTerms(ctx context.Context, kind, version string) (TermsDocument, error) {
	c, err := o.caller(ctx)
	if err != nil {
		return TermsDocument{}, err
	}
	var verr error
	if !termsVersion.MatchString(version) {
		verr = ports.InvalidField("version", "is not a terms version")
	}
	if err := ports.MergeInvalid(checkKind("kind", kind), verr); err != nil {
		return TermsDocument{}, err
	}
	now := o.clock.Now()
	cur, err := o.store.CurrentTerms(ctx, kind, now)
	if errors.Is(err, ports.ErrNotFound) {
		return TermsDocument{}, ports.Errorf(ports.CodeNotFound, "no %s terms are published", kind)
	} else if err != nil {
		return TermsDocument{}, err
	}
	if cur.Version != version {
		return TermsDocument{}, ports.Refusal(ports.CodeConflict, ReasonTermsNotCurrent,
			"version %s of the %s terms is no longer the current one; show version %s", version, kind, cur.Version)
	}
	// The acceptance and its line in the user's security log commit
	// together; accepting again writes neither.
	err = o.tx.InTx(ctx, func(ctx context.Context) error {
		fresh, err := o.terms.AcceptTerms(ctx, c.UserID, kind, version, now.UTC(), ports.RequestMetaFrom(ctx).IP)
		if err != nil || !fresh {
			return err
		}
		return o.log.Record(ctx, ports.NewActivity(ctx, &c.UserID, "ACCOUNT", "terms.accept", nil,
			map[string]string{"terms": kind + "/" + version}, now.UTC()))
	})
	if err != nil {
		return TermsDocument{}, err
	}
	return cur, nil
}
