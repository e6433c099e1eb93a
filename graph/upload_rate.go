package graph

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// errUploadTooSlow ends the read of a body that arrives below the minimum
// rate.
var errUploadTooSlow = errors.New("upload: the body arrives too slowly")

// rateReader cuts a request body that arrives slower than min bytes a
// second (averaged from the start) once grace has passed. Before each read
// it moves the connection's read deadline to the moment the rate would be
// broken, so a client that sends nothing at all is cut as well; where the
// connection has no deadlines (a test recorder) the rate is checked after
// each read.
type rateReader struct {
	body  io.ReadCloser
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	min   int64
	n     int64
	slow  bool
	armed bool
}

func newRateReader(w http.ResponseWriter, body io.ReadCloser, minRate int64, grace time.Duration) *rateReader {
	return &rateReader{body: body, rc: http.NewResponseController(w), start: time.Now(), grace: grace, min: minRate}
}

// due is when the body must have more than n bytes.
func (r *rateReader) due() time.Time {
	return r.start.Add(max(r.grace, time.Duration(float64(r.n)/float64(r.min)*float64(time.Second))))
}

func (r *rateReader) Read(p []byte) (int, error) {
	if r.slow {
		return 0, errUploadTooSlow
	}
	due := r.due()
	if r.rc.SetReadDeadline(due) == nil {
		r.armed = true
	}
	n, err := r.body.Read(p)
	r.n += int64(n)
	now := time.Now()
	var timeout interface{ Timeout() bool }
	if (err != nil && errors.As(err, &timeout) && timeout.Timeout()) ||
		(now.Sub(r.start) > r.grace && now.After(r.due())) {
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
