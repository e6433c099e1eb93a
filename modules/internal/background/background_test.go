package background

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestStopEndsTheContextAndWaitsForTheGoroutine(t *testing.T) {
	var task Task
	if err := task.Stop(context.Background()); err != nil {
		t.Fatalf("stopping a task that never ran: %v", err)
	}
	started, returned := make(chan struct{}), make(chan struct{})
	task.Go(func(ctx context.Context) {
		close(started)
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond) // Stop must wait for this
		close(returned)
	})
	<-started
	if err := task.Stop(context.Background()); err != nil {
		t.Fatal(err)
	}
	select {
	case <-returned:
	default:
		t.Fatal("Stop returned before the goroutine did")
	}
	if err := task.Stop(context.Background()); err != nil {
		t.Fatalf("a second Stop: %v", err)
	}
}

func TestStopGivesUpWhenItsContextEnds(t *testing.T) {
	var task Task
	release := make(chan struct{})
	defer close(release)
	task.Go(func(context.Context) { <-release }) // ignores its context
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := task.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Stop = %v, want the deadline", err)
	}
}
