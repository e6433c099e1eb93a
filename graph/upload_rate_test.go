package graph

import (
	"errors"
	"io"
	"net/http/httptest"
	"testing"
	"time"
)

// pacedBody hands out chunk bytes a read, each after wait.
type pacedBody struct {
	chunk int
	wait  time.Duration
}

func (b pacedBody) Read(p []byte) (int, error) {
	time.Sleep(b.wait)
	return min(len(p), b.chunk), nil
}

func (pacedBody) Close() error { return nil }

// readUntilCut reads r until it fails and says how long that took.
func readUntilCut(t *testing.T, r io.Reader) time.Duration {
	t.Helper()
	start := time.Now()
	buf := make([]byte, 4096)
	for time.Since(start) < 10*time.Second {
		if _, err := r.Read(buf); err != nil {
			if !errors.Is(err, errUploadTooSlow) {
				t.Fatalf("read: %v, want errUploadTooSlow", err)
			}
			return time.Since(start)
		}
	}
	t.Fatal("the body was not cut within 10 s")
	return 0
}

// Where the connection has no deadlines the rules are checked after each
// read: a body far above the rate is still cut at the absolute cap.
func TestRateReaderCutsAFastBodyAtTheCap(t *testing.T) {
	t.Parallel()
	body := pacedBody{chunk: 1024, wait: 10 * time.Millisecond} // ~100 KiB/s
	r := newRateReader(httptest.NewRecorder(), body, 1024, 0, time.Second, 500*time.Millisecond)
	took := readUntilCut(t, r)
	if took < 500*time.Millisecond || took > 3*time.Second {
		t.Fatalf("cut after %v, want at the 500 ms cap", took)
	}
	if !r.slow {
		t.Fatal("the reader does not say it cut the body")
	}
}

// A read that waits longer than the silence bound is cut, though the bytes
// it brings keep the average far above the minimum rate.
func TestRateReaderCutsASilentRead(t *testing.T) {
	t.Parallel()
	body := pacedBody{chunk: 1 << 20, wait: 700 * time.Millisecond} // 1 MiB, then 700 ms of silence
	r := newRateReader(httptest.NewRecorder(), body, 1024, 0, 500*time.Millisecond, time.Hour)
	buf := make([]byte, 1<<20)
	if n, err := r.Read(buf); !errors.Is(err, errUploadTooSlow) {
		t.Fatalf("a read that waited 700 ms (silence bound 500 ms): %d bytes, %v; want errUploadTooSlow", n, err)
	}
}

// A burst buys at most grace of credit: a client that sends a lot at once
// and then trickles below the rate (each read well inside the silence
// bound) is cut about grace after the burst, not when the burst's bytes
// would have run out at the minimum rate.
func TestRateReaderCapsTheCreditOfABurst(t *testing.T) {
	t.Parallel()
	burst := 1 << 20 // pays for 1024 s at 1 KiB/s
	body := &burstThenTrickle{burst: burst, wait: 100 * time.Millisecond}
	r := newRateReader(httptest.NewRecorder(), body, 1024, 500*time.Millisecond, time.Second, time.Hour)
	took := readUntilCut(t, r)
	if took < 500*time.Millisecond || took > 3*time.Second {
		t.Fatalf("cut after %v, want about the 500 ms grace after the burst", took)
	}
}

// burstThenTrickle hands out burst bytes at once, then one byte a read,
// each after wait (10 B/s).
type burstThenTrickle struct {
	burst int
	wait  time.Duration
}

func (b *burstThenTrickle) Read(p []byte) (int, error) {
	if b.burst > 0 {
		n := min(len(p), b.burst)
		b.burst -= n
		return n, nil
	}
	time.Sleep(b.wait)
	return 1, nil
}

func (*burstThenTrickle) Close() error { return nil }
