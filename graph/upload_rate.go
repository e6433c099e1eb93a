package graph

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// errUploadTooSlow ends the read of a body that arrives below the minimum
// rate, or stops arriving.
var errUploadTooSlow = errors.New("upload: the body arrives too slowly")

// DefaultUploadMaxSilence is how long one read of an upload's body may wait
// for a byte. The rate is averaged from the start of the request, so
// without it a client could send a burst and then nothing for as long as
// the burst "paid" for (a 30 MiB burst: half an hour at 16 KiB/s), holding
// its slot. 5 s outlasts the stalls of a poor mobile connection (TCP
// retransmits back off 1, 2, 4 s) and is shorter than anything a slot
// should be held for nothing.
const DefaultUploadMaxSilence = 5 * time.Second

// rateReader cuts a request body that arrives slower than min bytes a
// second once grace has passed, that sends nothing for silence, or that is
// still arriving at limit (the absolute cap of the body's time). The rate
// is a budget: each byte pays for 1/min of a second, and a client may be
// at most grace ahead of it, so a burst followed by a trickle buys only
// grace, not the whole burst's worth (a 30 MiB burst would otherwise pay
// for half an hour at 16 KiB/s). Before each read it moves the connection's read
// deadline to the first moment one of these would be broken, never more
// than silence ahead, so a client that sends nothing at all is cut as
// well; where the connection has no deadlines (a test recorder) the rules
// are checked after each read.
type rateReader struct {
	body    io.ReadCloser
	rc      *http.ResponseController
	start   time.Time // when the rate's account starts; moves forward to cap the credit
	graceTo time.Time
	grace   time.Duration
	silence time.Duration
	limit   time.Time
	min     int64
	n       int64
	slow    bool
	armed   bool
}

// newRateReader reads body under the rules; maxTime is the absolute cap
// of the whole body's time, counted from now.
func newRateReader(w http.ResponseWriter, body io.ReadCloser, minRate int64, grace, silence, maxTime time.Duration) *rateReader {
	now := time.Now()
	return &rateReader{body: body, rc: http.NewResponseController(w), start: now, graceTo: now.Add(grace),
		grace: grace, silence: silence, limit: now.Add(maxTime), min: minRate}
}

// paid is how long n bytes pay for at the minimum rate.
func (r *rateReader) paid() time.Duration {
	return time.Duration(float64(r.n) / float64(r.min) * float64(time.Second))
}

// due is when the body must have more than n bytes to keep the rate.
func (r *rateReader) due() time.Time {
	d := r.start.Add(r.paid())
	if d.Before(r.graceTo) {
		return r.graceTo
	}
	return d
}

// capCredit moves the account's start so that the bytes read so far pay
// for at most grace beyond now.
func (r *rateReader) capCredit(now time.Time) {
	if most := now.Add(r.grace); r.start.Add(r.paid()).After(most) {
		r.start = most.Add(-r.paid())
	}
}

// deadline is when a read that begins at now must have returned: the
// earliest of the rate's due time, the silence bound and the cap.
func (r *rateReader) deadline(now time.Time) time.Time {
	d := r.due()
	if s := now.Add(r.silence); s.Before(d) {
		d = s
	}
	if r.limit.Before(d) {
		d = r.limit
	}
	return d
}

func (r *rateReader) Read(p []byte) (int, error) {
	if r.slow {
		return 0, errUploadTooSlow
	}
	begin := time.Now()
	if r.rc.SetReadDeadline(r.deadline(begin)) == nil {
		r.armed = true
	}
	n, err := r.body.Read(p)
	r.n += int64(n)
	now := time.Now()
	r.capCredit(now)
	var timeout interface{ Timeout() bool }
	if (err != nil && errors.As(err, &timeout) && timeout.Timeout()) ||
		now.Sub(begin) > r.silence || now.After(r.limit) ||
		now.After(r.due()) {
		r.slow = true
		return n, errUploadTooSlow
	}
	return n, err
}

func (r *rateReader) Close() error { return r.body.Close() }

// uploadAnswerTime is how long the operation and its answer may take once
// a body that kept the rate has been read: the server's WriteTimeout
// counts from the start of the request, and a slow (but not too slow)
// upload must not lose its answer to it.
const uploadAnswerTime = time.Minute

// done ends the rate rule once the body has been read (read: the whole
// request was taken): the read deadline is lifted, so the operation is not
// bound by it. A refused request keeps a deadline that has passed, so the
// server does not wait for the rest of its body (the connection closes
// after the answer). Either way the answer gets uploadAnswerTime from now.
func (r *rateReader) done(read bool) {
	if !r.armed {
		return
	}
	if read && !r.slow {
		_ = r.rc.SetReadDeadline(time.Time{})
	} else if !r.slow {
		_ = r.rc.SetReadDeadline(time.Now())
	}
	_ = r.rc.SetWriteDeadline(time.Now().Add(uploadAnswerTime))
	r.armed = false
}
