package app_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	smsadapter "github.com/gatehouse/gatehouse/adapters/sms"
	"github.com/gatehouse/gatehouse/cmd/gatehouse/app"
)

const (
	qCodeDelivery = `query($id: ID!) { otpChallenge(input: {challengeId: $id}) { id delivery { status failure updatedAt } } }`
	qDeadLetters  = `query($first: Int, $after: String) { failedDeliveries(first: $first, after: $after) {
		edges { cursor node { id channel destination template about reason detail provider attempts createdAt failedAt codeExpiresAt } }
		pageInfo { hasNextPage endCursor } } }`
	mRetryDelivery = `mutation($id: ID!) { retryDelivery(input: {id: $id}) { id status } }`
)

type codeDelivery struct {
	OtpChallenge struct {
		ID       string
		Delivery *struct{ Status, Failure, UpdatedAt string }
	}
}

type deadLetter struct {
	ID, Channel, Destination, Template, About, Reason, Detail, Provider string
	Attempts                                                            int
	CodeExpiresAt                                                       *string
}

type deadLetters struct {
	FailedDeliveries struct {
		Edges []struct {
			Cursor string
			Node   deadLetter
		}
		PageInfo struct {
			HasNextPage bool
			EndCursor   *string
		}
	}
}

// waitDelivery polls the challenge until its delivery has status.
func (h *harness) waitDelivery(id, status string) codeDelivery {
	h.t.Helper()
	var d codeDelivery
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		h.ok("", qCodeDelivery, vars("id", id), &d)
		if d.OtpChallenge.Delivery != nil && d.OtpChallenge.Delivery.Status == status {
			return d
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("delivery of %s: %+v, want %s", id, d.OtpChallenge.Delivery, status)
		}
	}
}

// A number the provider refuses for good: the user reads why on the
// challenge (not INTERNAL, not "try again shortly"); staff find the dead
// letter, masked, and send it again once the cause is fixed; the code then
// works.
func TestPermanentRefusalReachesTheUserAndStaff(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	support := h.staff("SUPPORT", "+447911150001")
	member := h.signUp("+447911150002", "258025", "phone-m")
	const phone = "+447911150003"
	h.sms.refuseTo(phone, &smsadapter.TwilioError{HTTPStatus: 400, Code: 21211,
		Message: "The 'To' number +447*******03 is not a valid phone number."})

	id := h.startSignup(phone)
	d := h.waitDelivery(id, "FAILED")
	must(t, d.OtpChallenge.Delivery.Failure == "INVALID_DESTINATION", "failure: %+v", d.OtpChallenge.Delivery)
	must(t, h.sms.count(phone) == 0, "sent to a refused number")

	// Staff only; programs and members are refused by the rows.
	h.fails(member.AccessToken, qDeadLetters, nil, "FORBIDDEN")
	h.fails("", qDeadLetters, nil, "UNAUTHENTICATED")
	var dl deadLetters
	h.ok(support.token, qDeadLetters, vars("first", 10), &dl)
	must(t, len(dl.FailedDeliveries.Edges) == 1, "dead letters: %+v", dl)
	n := dl.FailedDeliveries.Edges[0].Node
	must(t, n.Channel == "SMS" && n.Template == "otp_code" && n.Reason == "INVALID_DESTINATION" &&
		n.About == "otp:"+id && n.Attempts == 1 && n.CodeExpiresAt != nil, "dead letter: %+v", n)
	must(t, !strings.Contains(n.Destination, "150003") && strings.HasSuffix(n.Destination, "03"),
		"destination not masked: %q", n.Destination)
	must(t, strings.Contains(n.Detail, "21211"), "detail: %q", n.Detail)

	// Sent again while the cause remains: it fails again, and stays a
	// dead letter.
	var rd struct{ RetryDelivery struct{ ID, Status string } }
	h.ok(support.token, mRetryDelivery, vars("id", n.ID), &rd)
	must(t, rd.RetryDelivery.Status == "QUEUED", "retry: %+v", rd)
	h.waitDelivery(id, "FAILED")

	// Fixed (say, the number was ported): sent, and the code works.
	h.sms.refuseTo(phone, nil)
	h.ok(support.token, mRetryDelivery, vars("id", n.ID), &rd)
	h.waitDelivery(id, "SENT")
	var ver struct{ VerifyPhoneSignup struct{ Ticket string } }
	h.ok("", mVerify, vars("id", id, "code", h.sms.lastCode(t, phone)), &ver)
	h.ok(support.token, qDeadLetters, vars("first", 10), &dl)
	must(t, len(dl.FailedDeliveries.Edges) == 0, "a sent message is no dead letter: %+v", dl)

	// A sent one is not sent again; an unknown one is not found; junk is
	// refused by field.
	h.fails(support.token, mRetryDelivery, vars("id", n.ID), "CONFLICT")
	h.fails(support.token, mRetryDelivery, vars("id", "00000000-0000-4000-8000-000000000000"), "NOT_FOUND")
	h.fails(support.token, mRetryDelivery, vars("id", "x\x00"), "VALIDATION_FAILED")
	rows := h.adminRows("retryDelivery")
	must(t, len(rows) >= 2, "retryDelivery is audited: %d rows", len(rows))
}

// A failed message whose code expired is not sent again: the user asks
// for a new code instead.
func TestExpiredDeadLetterIsNotSentAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	admin := h.staff("ADMIN", "+447911150011")
	const phone = "+447911150012"
	h.sms.refuseTo(phone, &smsadapter.TwilioError{HTTPStatus: 400, Code: 21610, Message: "unsubscribed recipient"})
	id := h.startSignup(phone)
	d := h.waitDelivery(id, "FAILED")
	must(t, d.OtpChallenge.Delivery.Failure == "UNSUBSCRIBED", "failure: %+v", d.OtpChallenge.Delivery)
	var dl deadLetters
	h.ok(admin.token, qDeadLetters, nil, &dl)
	must(t, len(dl.FailedDeliveries.Edges) == 1, "dead letters: %+v", dl)
	h.clock.Advance(10 * time.Minute)
	h.fails(admin.token, mRetryDelivery, vars("id", dl.FailedDeliveries.Edges[0].Node.ID), "CONFLICT")
}

// A transient failure is retried, and the user sees RETRYING meanwhile;
// a provider that keeps failing past the tries ends in a dead letter
// whose failure tells the user nothing about the provider.
func TestTransientFailureIsRetriedThenGivesUp(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(c *app.Config) { c.Delivery.MaxAttempts = 2 })
	const phone = "+447911150021"
	h.sms.refuseTo(phone, errors.New("dial tcp 203.0.113.9:443: connect: connection refused"))
	id := h.startSignup(phone)
	h.waitDelivery(id, "RETRYING")
	d := h.waitDelivery(id, "FAILED")
	must(t, d.OtpChallenge.Delivery.Failure == "UNDELIVERABLE", "failure: %+v", d.OtpChallenge.Delivery)
}

// otpChallenge reads an open challenge only: a used one, an unknown one
// and junk are refused with their codes; a TOTP-less sign-up code shows
// its delivery, a password reset's does not (unknown accounts get decoys).
func TestOtpChallengeReadsOpenChallengesOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	const phone = "+447911150031"
	id := h.startSignup(phone)
	h.waitDelivery(id, "SENT")
	var ver struct{ VerifyPhoneSignup struct{ Ticket string } }
	h.ok("", mVerify, vars("id", id, "code", h.sms.lastCode(t, phone)), &ver)
	h.fails("", qCodeDelivery, vars("id", id), "NOT_FOUND")
	h.fails("", qCodeDelivery, vars("id", "00000000-0000-4000-8000-000000000000"), "NOT_FOUND")
	h.fails("", qCodeDelivery, vars("id", strings.Repeat("x", 5000)), "VALIDATION_FAILED")

	var reset struct{ RequestPasswordReset struct{ ID string } }
	h.ok("", `mutation($u: String!) { requestPasswordReset(input: {username: $u}) { id } }`,
		vars("u", "nobody@example.com"), &reset)
	var d codeDelivery
	h.ok("", qCodeDelivery, vars("id", reset.RequestPasswordReset.ID), &d)
	must(t, d.OtpChallenge.Delivery == nil, "a reset's delivery is shown: %+v", d.OtpChallenge.Delivery)
}
