package platform

import "go.uber.org/fx"

// Module provides the platform service.
var Module = fx.Module("platform", fx.Provide(NewService))
