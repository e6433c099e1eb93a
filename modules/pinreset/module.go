package pinreset

import "go.uber.org/fx"

// deps are what the service is built from; the app binds PINs to
// identity's service and Tickets to kyc's.
type deps struct {
	fx.In

	PINs    PINs
	Tickets Tickets
}

func provide(d deps) *Service { return NewService(d.PINs, d.Tickets) }

// Module provides the PIN reset service.
var Module = fx.Module("pinreset", fx.Provide(provide))
