package delivery

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	errBusy = errors.New("busy")
	errBad  = errors.New("bad request")
)

// policy retries errBusy and records its waits instead of waiting.
func policy(attempts int, maxWait time.Duration, waits *[]time.Duration) Policy {
	return Policy{
		Attempts:  attempts,
		FirstWait: 200 * time.Millisecond,
		MaxWait:   maxWait,
		Transient: func(err error) bool { return errors.Is(err, errBusy) },
		Sleep: func(ctx context.Context, d time.Duration) error {
			*waits = append(*waits, d)
			return ctx.Err()
		},
	}
}

// script answers attempt n with errs[n-1], then nil.
func script(errs ...error) (func(context.Context) (time.Duration, error), *int) {
	calls := 0
	return func(context.Context) (time.Duration, error) {
		calls++
		if calls <= len(errs) {
			return 0, errs[calls-1]
		}
		return 0, nil
	}, &calls
}

func TestRetrySucceedsAfterTransientFailures(t *testing.T) {
	var waits []time.Duration
	var told []int
	p := policy(3, 0, &waits)
	p.Retrying = func(attempt int, _ time.Duration, err error) {
		told = append(told, attempt)
		assert.ErrorIs(t, err, errBusy)
	}
	fn, calls := script(errBusy, errBusy)
	n, err := Retry(context.Background(), p, fn)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, 3, *calls)
	assert.Equal(t, []int{1, 2}, told)
	require.Len(t, waits, 2)
	assert.True(t, waits[0] >= 200*time.Millisecond && waits[0] <= 300*time.Millisecond, "%v", waits[0])
	assert.True(t, waits[1] >= 400*time.Millisecond && waits[1] <= 600*time.Millisecond, "%v", waits[1])
}

func TestRetryStopsAtAPermanentFailure(t *testing.T) {
	var waits []time.Duration
	fn, calls := script(errBad)
	n, err := Retry(context.Background(), policy(3, 0, &waits), fn)
	assert.Equal(t, errBad, err, "the first failure comes back as it is")
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, *calls)
	assert.Empty(t, waits)

	fn, _ = script(errBusy, errBad)
	n, err = Retry(context.Background(), policy(3, 0, &waits), fn)
	require.ErrorIs(t, err, errBad)
	assert.EqualError(t, err, "giving up after 2 attempts: bad request")
	assert.Equal(t, 2, n)
}

func TestRetryGivesUpAfterItsAttempts(t *testing.T) {
	var waits []time.Duration
	fn, calls := script(errBusy, errBusy, errBusy, errBusy)
	n, err := Retry(context.Background(), policy(3, 0, &waits), fn)
	require.ErrorIs(t, err, errBusy)
	assert.Contains(t, err.Error(), "giving up after 3 attempts")
	assert.Equal(t, 3, n)
	assert.Equal(t, 3, *calls)
	assert.Len(t, waits, 2)
}

func TestRetryWaitsForTheServersHintUpToTheCap(t *testing.T) {
	for hint, want := range map[time.Duration]time.Duration{
		time.Second:     time.Second,
		time.Hour:       5 * time.Second,
		time.Nanosecond: 0, // the backoff wins: checked below
	} {
		var waits []time.Duration
		calls := 0
		_, err := Retry(context.Background(), policy(2, 5*time.Second, &waits), func(context.Context) (time.Duration, error) {
			if calls++; calls == 1 {
				return hint, errBusy
			}
			return 0, nil
		})
		require.NoError(t, err)
		require.Len(t, waits, 1)
		if want == 0 {
			assert.GreaterOrEqual(t, waits[0], 200*time.Millisecond)
			continue
		}
		assert.Equal(t, want, waits[0], "hint %v", hint)
	}
}

func TestRetryReportsTheCancelNotTheLastFailure(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var waits []time.Duration
	n, err := Retry(ctx, policy(3, 0, &waits), func(context.Context) (time.Duration, error) {
		cancel()
		return 0, errBusy
	})
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, errBusy, "only the cancel is wrapped")
	assert.Contains(t, err.Error(), "last error: busy")
	assert.Equal(t, 1, n)
	assert.Empty(t, waits)
}

func TestRetryStopsWaitingWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p := policy(3, 0, new([]time.Duration))
	p.Sleep = nil // the real wait
	p.FirstWait = time.Hour
	p.Retrying = func(int, time.Duration, error) { cancel() }
	start := time.Now()
	_, err := Retry(ctx, p, func(context.Context) (time.Duration, error) { return 0, errBusy })
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), time.Minute)
}

func TestBackoffDoublesWithJitterUpToTheCap(t *testing.T) {
	for range 50 {
		for n, base := range map[int]time.Duration{1: 200, 2: 400, 3: 800, 4: 1600} {
			base *= time.Millisecond
			d := Backoff(n, 200*time.Millisecond, 0)
			assert.True(t, d >= base && d <= base*3/2, "n=%d: %v", n, d)
		}
		assert.Equal(t, 5*time.Second, Backoff(10, 200*time.Millisecond, 5*time.Second))
	}
}
