package ports

import "errors"

// Why a provider did not take a message, as its answer is classified. A
// permanent reason will not change by sending the same message again; a
// transient one may.
const (
	// Permanent.
	SendInvalidDestination = "INVALID_DESTINATION"  // no such number or mailbox, or not reachable by this channel
	SendUnsubscribed       = "UNSUBSCRIBED"         // the recipient opted out (STOP) or is blocked
	SendBadCredentials     = "PROVIDER_CREDENTIALS" // the provider refused our credentials or account
	SendRejected           = "REJECTED"             // any other refusal of this message
	SendUnconfirmed        = "UNCONFIRMED"          // the provider may have taken it but its answer was lost: not resent
	// Transient.
	SendThrottled   = "THROTTLED"            // the provider asked us to slow down (429, 4xx SMTP)
	SendUnavailable = "PROVIDER_UNAVAILABLE" // 5xx, network failure, timeout
)

// SendFailure is implemented by a sender's errors that know why the
// provider did not take a message.
type SendFailure interface {
	error
	// SendReason is one of the Send* reasons above.
	SendReason() string
	// Permanent reports whether sending the same message again cannot help.
	Permanent() bool
}

// ClassifySend says why err stopped a send and whether that is permanent.
// An error that does not classify itself (a network failure, a timeout,
// ours) is PROVIDER_UNAVAILABLE and transient.
func ClassifySend(err error) (reason string, permanent bool) {
	var f SendFailure
	if errors.As(err, &f) {
		return f.SendReason(), f.Permanent()
	}
	return SendUnavailable, false
}
