package perimeter_test

import (
	"testing"

	"go.uber.org/fx"
	"go.uber.org/fx/fxtest"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/modules/perimeter"
	"github.com/gatehouse/gatehouse/modules/perimeter/perimetertest"
	"github.com/gatehouse/gatehouse/ports"
	"github.com/gatehouse/gatehouse/ports/portsfake"
	"github.com/gatehouse/gatehouse/ports/portstest"
)

// TestModuleWiring starts the module on fakes: the gate loads the rules
// at start and watches for changes until stop.
func TestModuleWiring(t *testing.T) {
	store, watcher := perimetertest.NewStore(), perimetertest.NewWatcher()
	var (
		gate *perimeter.Gate
		svc  *perimeter.Service
	)
	app := fxtest.New(t,
		fx.NopLogger,
		perimeter.Module,
		fx.Supply(perimeter.DefaultConfig(), quiet, perimeter.NewWhitelinks([]byte("0123456789abcdef0123456789abcdef"))),
		fx.Provide(
			func() perimeter.Store { return store },
			func() perimeter.Watcher { return watcher },
			func() perimeter.Locator { return places },
			func() ports.CallerSource { return callers{} },
			func() ports.TxRunner { return portsfake.NewTxRunner() },
			func() ports.Clock { return clock.NewManual(portstest.T0) },
		),
		fx.Populate(&gate, &svc),
	)
	app.RequireStart()
	if store.Reads() != 1 {
		t.Fatalf("the gate read the rules %d times at start, want 1", store.Reads())
	}
	waitFor(t, "the watch", func() bool { return watcher.Watching() == 1 })
	app.RequireStop()
	if watcher.Watching() != 0 {
		t.Fatal("still watching after stop")
	}
	if svc == nil {
		t.Fatal("no service")
	}
}
