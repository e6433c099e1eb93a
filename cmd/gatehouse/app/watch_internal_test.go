package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// flappingCluster is an embedded cluster whose PostgreSQL dies right
// after every start.
type flappingCluster struct {
	mu       sync.Mutex
	exited   chan struct{}
	restarts int
}

func newFlappingCluster() *flappingCluster {
	c := &flappingCluster{exited: make(chan struct{})}
	close(c.exited)
	return c
}

func (c *flappingCluster) Exited() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.exited
}

func (c *flappingCluster) Restart(context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.restarts++
	c.exited = make(chan struct{})
	close(c.exited) // it dies again at once
	return nil
}

func (c *flappingCluster) ExitErr() error  { return errors.New("signal: killed") }
func (c *flappingCluster) Pid() int        { return 4242 }
func (c *flappingCluster) Port() int       { return 5432 }
func (c *flappingCluster) DataDir() string { return "/tmp/pg" }

// A PostgreSQL that dies after each start is restarted watchBudget times
// within the window, then the watchdog gives up with one line.
func TestWatchdogGivesUpOnAFlappingPostgres(t *testing.T) {
	c := newFlappingCluster()
	stop := make(chan struct{})
	defer close(stop)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	res := make(chan error, 1)
	go func() {
		res <- watchLoop(c, stop, log, time.Millisecond, &restartBudget{max: watchBudget, window: watchWindow})
	}()
	select {
	case err := <-res:
		if err == nil || !strings.Contains(err.Error(), "stopped again after 4 restarts within 10m0s") {
			t.Fatalf("watchdog gave up with %v", err)
		}
	case <-time.After(20 * time.Second):
		c.mu.Lock()
		n := c.restarts
		c.mu.Unlock()
		t.Fatalf("the watchdog is still restarting a PostgreSQL that dies at every start (%d restarts so far)", n)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.restarts != watchBudget {
		t.Fatalf("%d restarts, want %d", c.restarts, watchBudget)
	}
}

// Restarts older than the window no longer count.
func TestRestartBudgetWindow(t *testing.T) {
	b := &restartBudget{max: 4, window: 10 * time.Minute}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		if b.spent(t0.Add(time.Duration(i) * time.Minute)) {
			t.Fatalf("budget spent before restart %d", i+1)
		}
		b.record(t0.Add(time.Duration(i) * time.Minute))
	}
	if !b.spent(t0.Add(9 * time.Minute)) {
		t.Fatal("a fifth restart within 10 minutes is allowed")
	}
	if b.spent(t0.Add(10*time.Minute + time.Second)) {
		t.Fatal("a restart 10 minutes after the first one is refused")
	}
}
