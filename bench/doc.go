// Package bench holds netgym's benchmarks: `go test ./bench -run '^$' -bench . -benchmem`.
//
// Each benchmark reports the figure users compare with ns-3 (events/s,
// steps/s or simulated seconds per wall second) through b.ReportMetric.
// The ns-3 3.37 peer programs measured beside them live in bench/ns3.
package bench
