// Package background runs one long-lived goroutine of a component (a
// watcher, a reload loop) from its fx start until its stop: the cancel
// and the wait that the session and accounts caches' watch loop, the
// permission rows' policy and the restrictions' gate share.
package background

import (
	"context"
	"sync"
)

// Task is one background goroutine. The zero Task is ready; a Task runs
// one goroutine at a time.
type Task struct {
	mu     sync.Mutex // guards cancel and done
	cancel context.CancelFunc
	done   chan struct{}
}

// Go runs run on a goroutine of its own, with a context that Stop ends
// (not the caller's: fx's start context ends when the start does).
func (t *Task) Go(run func(ctx context.Context)) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.mu.Lock()
	t.cancel, t.done = cancel, done
	t.mu.Unlock()
	go func() {
		defer close(done)
		run(ctx)
	}()
}

// Stop ends the goroutine's context and waits for it to return (or for
// ctx). Stopping a Task that never ran, or twice, is nothing.
func (t *Task) Stop(ctx context.Context) error {
	t.mu.Lock()
	cancel, done := t.cancel, t.done
	t.cancel, t.done = nil, nil
	t.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
