package messages

import "go.uber.org/fx"

// Module provides the *Catalog from a Config the application supplies. A
// template that does not load fails the start.
var Module = fx.Module("messages", fx.Provide(Load))
