package main

import "slices"

// A metric reads one figure from a measurement that did not fail.
type metric func(result) float64

// The figures the ratio columns and the targets compare.
var (
	reqPerSec  metric = func(r result) float64 { return r.Echo.ReqPerSec }
	cpuPerReq  metric = func(r result) float64 { return r.Echo.CPUPerReq }
	p99        metric = func(r result) float64 { return r.Echo.P99us }
	kibPerConn metric = func(r result) float64 { return r.Idle.KiBPerConn }
)

// medianOf is the median of m over rs; see median.
func medianOf(rs []result, m metric) float64 {
	vs := make([]float64, len(rs))
	for i, r := range rs {
		vs[i] = m(r)
	}
	return median(vs)
}

// median is the middle value of vs, or the mean of the two middle ones
// for an even count; 0 for none. It sorts vs.
func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	slices.Sort(vs)
	n := len(vs)
	if n%2 == 1 {
		return vs[n/2]
	}
	return (vs[n/2-1] + vs[n/2]) / 2
}

// vs compares server with peer under scenario key the way interleaved
// rounds allow: it divides server's figure by peer's within each round in
// which both were measured without failing, then takes the median of
// those ratios. Two servers in one round ran minutes apart on the same
// machine; dividing medians instead would compare a server's middle round
// with whatever round the peer's median came from. ok is false when no
// round has both, or the peer's figure is 0 in all of them. A server's
// figure of 0 (a failed CPU reading) gives a ratio of 0.
func (r *report) vs(key, server, peer string, m metric) (q float64, ok bool) {
	var qs []float64
	for round, x := range r.good[key][server] {
		if y, both := r.good[key][peer][round]; both && m(y) > 0 {
			qs = append(qs, m(x)/m(y))
		}
	}
	return median(qs), len(qs) > 0
}
