package otp

import "go.uber.org/fx"

// Module provides the OTP service; the app supplies Config and the ports.
var Module = fx.Module("otp", fx.Provide(NewService))
