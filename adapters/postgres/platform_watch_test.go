package postgres_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/gatehouse/gatehouse/adapters/clock"
	"github.com/gatehouse/gatehouse/adapters/postgres"
	"github.com/gatehouse/gatehouse/adapters/postgres/pgtest"
	"github.com/gatehouse/gatehouse/modules/platform"
)

// TestPlatformChangesAreAnnouncedOnTheSharedChannel: each committed
// change of the cached platform tables announces platform.ChangeID; a
// rolled-back one announces nothing.
func TestPlatformChangesAreAnnouncedOnTheSharedChannel(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	ch := sessionEvents(t, db, time.Hour)
	expectEvent(t, ch, "up", "once listening")
	s := postgres.NewPlatformStore(db)
	must(t, s.SetMaintenance(ctx, true, "x", t0))
	expectEvent(t, ch, platform.ChangeID.String(), "settings")
	must(t, s.SaveAppVersion(ctx, platform.AppVersion{Platform: "IOS", MinimumVersion: "2.0.0", CurrentVersion: "2.0.0"}, t0))
	expectEvent(t, ch, platform.ChangeID.String(), "app versions")
	must(t, s.SaveFeatureFlag(ctx, platform.FeatureFlag{Key: "k", Enabled: true}, t0))
	expectEvent(t, ch, platform.ChangeID.String(), "feature flags")

	tx, err := db.BeginTx(ctx, nil)
	must(t, err)
	_, err = tx.ExecContext(ctx, `UPDATE platform_settings SET idle_time_seconds = 60`)
	must(t, err)
	must(t, tx.Rollback())
	select {
	case e := <-ch:
		t.Fatalf("unexpected event %q (the rolled-back update?)", e)
	case <-time.After(100 * time.Millisecond):
	}
}

// TestAnotherInstancesChangeReachesTheCacheAtOnce: a platform service
// whose cache would keep its settings for an hour sees a change written
// by someone else (another instance, an operator's SQL) within a second,
// through the shared listening connection.
func TestAnotherInstancesChangeReachesTheCacheAtOnce(t *testing.T) {
	t.Parallel()
	db := pgtest.DB(t)
	ctx := context.Background()
	w := postgres.NewSessionWatcher(db)
	w.Heartbeat = 20 * time.Millisecond
	hub := postgres.NewWatchHub(w)
	svc := platform.NewService(platform.Config{CacheTTL: time.Hour, OTPLifetime: 2 * time.Minute},
		postgres.NewPlatformStore(db), clock.System{})
	svc.Start(hub, slog.New(slog.DiscardHandler))
	t.Cleanup(func() { _ = svc.Stop(context.Background()); hub.Wait() })

	c, err := svc.AppConfig(ctx, "ANDROID", "")
	must(t, err)
	if c.Maintenance || c.IdleTimeSeconds != 300 {
		t.Fatalf("fresh: %+v", c)
	}
	// Give the listener its first LISTEN before the change.
	time.Sleep(100 * time.Millisecond)
	other := postgres.NewPlatformStore(db)
	must(t, other.SetMaintenance(ctx, true, "elsewhere", t0))
	must(t, other.SetClientRules(ctx, 900, nil, t0))
	deadline := time.Now().Add(time.Second)
	for {
		c, err = svc.AppConfig(ctx, "ANDROID", "")
		must(t, err)
		if c.Maintenance && c.MaintenanceMessage == "elsewhere" && c.IdleTimeSeconds == 900 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the cache still answers %+v a second after the change", c)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
