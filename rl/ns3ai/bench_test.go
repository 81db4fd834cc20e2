package ns3ai

import (
	"bufio"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"
)

// roundTrips runs b.N A-Plus-B rounds on the simulation side and reports
// the latency percentiles of one round trip (SendBegin to RecvEnd).
func roundTrips(b *testing.B, s *Struct[APBEnv, APBAct]) {
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if err := s.SendBegin(); err != nil {
			b.Fatal(err)
		}
		*s.Cpp2Py() = APBEnv{A: uint32(i), B: 1}
		_ = s.SendEnd()
		if err := s.RecvBegin(); err != nil {
			b.Fatal(err)
		}
		if s.Py2Cpp().C != uint32(i)+1 {
			b.Fatalf("round %d: wrong sum %d", i, s.Py2Cpp().C)
		}
		_ = s.RecvEnd()
		lat[i] = time.Since(t0)
	}
	b.StopTimer()
	slices.Sort(lat)
	q := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))].Nanoseconds()) / 1e3
	}
	b.ReportMetric(q(0.5), "p50-us")
	b.ReportMetric(q(0.9), "p90-us")
	b.ReportMetric(q(0.99), "p99-us")
}

// BenchmarkAPBRoundTrip: A-Plus-B between two goroutines of this process
// (each spinning on its counter), netgym's layout.
func BenchmarkAPBRoundTrip(b *testing.B) {
	o := DefaultOptions()
	o.SegmentName = "netgym-bench-apb"
	o.HandleFinish = true
	o.PeerPID = -1
	agent, err := CreateStruct[APBEnv, APBAct](o, Agent)
	if err != nil {
		b.Fatal(err)
	}
	sim, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	if err != nil {
		b.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _, _ = ServeAPBStruct(agent); close(done) }()
	roundTrips(b, sim)
	_ = sim.Close()
	<-done
	_ = agent.Close()
}

// BenchmarkAPBRoundTripBoostPeer: netgym's simulation side against a
// Boost C++ agent process (testdata/boostpeer.cc) on a Boost 1.74
// segment: the Go side of ns3-ai's set-up with a compiled Python side.
func BenchmarkAPBRoundTripBoostPeer(b *testing.B) {
	path := os.Getenv("NETGYM_BOOSTPEER")
	if path == "" {
		b.Skip("NETGYM_BOOSTPEER not set (build testdata/boostpeer.cc)")
	}
	seg := "netgym-bench-boostpeer"
	cmd := exec.Command(path, "agent", seg, "stru")
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait(); _ = os.Remove(shmDir + seg) }()
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "ready" {
		b.Fatal("boostpeer did not start")
	}
	o := DefaultOptions()
	o.SegmentName = seg
	o.HandleFinish = true
	s, err := OpenStruct[APBEnv, APBAct](o, Simulation)
	if err != nil {
		b.Fatal(err)
	}
	roundTrips(b, s)
	_ = s.Close()
}
