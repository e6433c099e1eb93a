// Package pinreset is the PIN reset by ID document and selfie, for a user
// who lost their PIN and their phone's trust. The kyc module keeps the
// reset itself (the ticket, the document and selfie, the staff review);
// identity sets PINs. Completing a reset joins the two: identity sets the
// new PIN, and the approved ticket is spent inside identity's transaction,
// so a PIN the rules refuse leaves the ticket unspent. This module does
// that join through the two interfaces it declares (store.go).
package pinreset

// CompleteInput is what the holder of an approved ticket gives to set a
// new PIN and sign in on a device.
type CompleteInput struct {
	Ticket     string
	PIN        string
	ConfirmPIN string
	DeviceKey  string
	DeviceName string
}
