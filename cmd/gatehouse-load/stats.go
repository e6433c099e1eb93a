package main

import (
	"slices"
	"time"
)

// sample is one request (or journey) a worker made.
type sample struct {
	latency time.Duration
	code    string // "" when it succeeded, else its error code (see errorCode)
}

// result is what one scenario measured at one connection count.
type result struct {
	scenario string
	conns    int
	elapsed  time.Duration // from the first start to the last finish
	samples  []sample
	peakRSS  int64 // bytes (VmHWM), 0 when unknown
	rssReset bool  // whether the peak was reset before this run
}

// perSecond is completed requests, failed ones included, per second.
func (r result) perSecond() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(len(r.samples)) / r.elapsed.Seconds()
}

// errors counts the failed requests by code.
func (r result) errors() map[string]int {
	out := map[string]int{}
	for _, s := range r.samples {
		if s.code != "" {
			out[s.code]++
		}
	}
	return out
}

// latencies returns every latency, sorted.
func (r result) latencies() []time.Duration {
	out := make([]time.Duration, len(r.samples))
	for i, s := range r.samples {
		out[i] = s.latency
	}
	slices.Sort(out)
	return out
}

// percentile is the nearest-rank percentile p (0 < p ≤ 100) of sorted:
// the smallest sample that at least p % of the samples do not exceed.
// Exact, over every sample kept; 0 for no samples.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// rank = ceil(p/100 · n), computed in integers to avoid 0.99·100 = 98.999….
	n := len(sorted)
	rank := (int(p*1000)*n + 100*1000 - 1) / (100 * 1000)
	rank = max(1, min(n, rank))
	return sorted[rank-1]
}
