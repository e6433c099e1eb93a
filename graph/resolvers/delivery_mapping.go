package resolvers

import (
	"github.com/gatehouse/gatehouse/graph/model"
	"github.com/gatehouse/gatehouse/modules/delivery"
	"github.com/gatehouse/gatehouse/modules/otp"
	"github.com/gatehouse/gatehouse/ports"
)

// deliveryShown lists the purposes whose challenges show their code's
// delivery: those whose answer already says whether the account exists
// (sign-up), or that come after a secret or in a session. Not the resets,
// which answer alike for an unknown account (a withheld decoy would show
// SENT where a real message may fail); a new purpose shows nothing until
// it is weighed here.
var deliveryShown = map[model.OtpPurpose]bool{
	model.OtpPurposeSignup: true, model.OtpPurposeEmailSignup: true, model.OtpPurposeSignInNewDevice: true,
	model.OtpPurposeSignInMfa: true, model.OtpPurposePinSetup: true, model.OtpPurposeContactChange: true,
	model.OtpPurposePhoneAdd: true,
}

// deliveryStatus is d's status as a client sees it: a queued message that
// failed a try is RETRYING.
func deliveryStatus(d delivery.Delivery) model.DeliveryStatus {
	switch {
	case d.Status == delivery.StatusSent:
		return model.DeliveryStatusSent
	case d.Status == delivery.StatusFailed:
		return model.DeliveryStatusFailed
	case d.Attempts > 0:
		return model.DeliveryStatusRetrying
	}
	return model.DeliveryStatusQueued
}

// userFailure is why d failed in words a user can act on: the number or
// address, their opt-out, the code's age; anything about our provider
// (credentials, refusals, outages) is UNDELIVERABLE.
func userFailure(d delivery.Delivery) *model.DeliveryFailure {
	if d.Status != delivery.StatusFailed {
		return nil
	}
	f := model.DeliveryFailureUndeliverable
	switch d.Reason {
	case ports.SendInvalidDestination:
		f = model.DeliveryFailureInvalidDestination
	case ports.SendUnsubscribed:
		f = model.DeliveryFailureUnsubscribed
	case delivery.ReasonExpired:
		f = model.DeliveryFailureExpired
	}
	return &f
}

func mapCodeDelivery(d delivery.Delivery) *model.CodeDelivery {
	return &model.CodeDelivery{Status: deliveryStatus(d), Failure: userFailure(d), UpdatedAt: d.UpdatedAt}
}

func mapFailedDelivery(d delivery.Delivery) *model.FailedDelivery {
	out := &model.FailedDelivery{ID: d.ID.String(), Channel: model.MessageChannelSms, Template: d.Template, About: d.Ref,
		Reason: d.Reason, Detail: d.Detail, Provider: d.Provider, Attempts: d.Attempts,
		CreatedAt: d.CreatedAt, FailedAt: d.UpdatedAt}
	if d.Channel == ports.ChannelEmail {
		out.Channel, out.Destination = model.MessageChannelEmail, otp.MaskEmail(d.To)
	} else {
		out.Destination = otp.MaskPhone(d.To)
	}
	if !d.NotAfter.IsZero() {
		out.CodeExpiresAt = &d.NotAfter
	}
	return out
}
