package ns3ai

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sync/atomic"
	"syscall"
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

// BenchmarkWake measures how soon a waiting simulation side sees a reply
// from an agent that thinks longer than the spin (a Python agent's
// policy, say): the agent goroutine computes for think, stamps the time into
// its message and posts; the simulation reports the delay from that post
// to the end of its Recv (wake-us) and the CPU time the process spent per
// step (cpu-us, both sides: the agent's think, plus what the waiter
// burns spinning and yielding; blocking costs nothing). "futex": both sides netgym Go, the waiter blocks in
// FUTEX_WAIT; "poll": the peers' wake bits cleared, the waits of a peer
// that only spins (50 us spin, sched_yield to 2 ms, then sleeps up to
// 1 ms).
func BenchmarkWake(b *testing.B) {
	for _, think := range []time.Duration{200 * time.Microsecond, 3 * time.Millisecond} {
		for _, mode := range []string{"futex", "poll"} {
			b.Run(fmt.Sprintf("think=%v/%s", think, mode), func(b *testing.B) {
				o := GymOptions()
				o.SegmentName = fmt.Sprintf("netgym-bench-wake-%d", os.Getpid())
				o.PeerPID = -1
				agent, err := CreateTransport(o, Agent, GymBufferSize)
				if err != nil {
					b.Fatal(err)
				}
				defer agent.Close()
				sim, err := OpenTransport(o, Simulation, GymBufferSize)
				if err != nil {
					b.Fatal(err)
				}
				if mode == "poll" {
					atomic.StoreUint32(sim.conn.wakers, 0)
				}
				done := make(chan struct{})
				go func() {
					defer close(done)
					buf := make([]byte, 0, GymBufferSize)
					for {
						var err error
						if buf, err = agent.Recv(buf, time.Time{}); err != nil || len(buf) == 0 {
							return
						}
						for t0 := time.Now(); time.Since(t0) < think; { // compute, as a policy does
						}
						buf = binary.LittleEndian.AppendUint64(buf[:0], uint64(time.Now().UnixNano()))
						if agent.Send(buf, time.Time{}) != nil {
							return
						}
					}
				}()
				lat := make([]time.Duration, 0, b.N)
				in := make([]byte, 0, GymBufferSize)
				cpu0 := cpuTime()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if err := sim.Send([]byte("state"), time.Time{}); err != nil {
						b.Fatal(err)
					}
					if in, err = sim.Recv(in, time.Time{}); err != nil {
						b.Fatal(err)
					}
					lat = append(lat, time.Duration(time.Now().UnixNano()-int64(binary.LittleEndian.Uint64(in))))
				}
				b.StopTimer()
				cpu := cpuTime() - cpu0
				_ = sim.Send(nil, time.Time{})
				<-done
				_ = sim.Close()
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)/2].Nanoseconds())/1e3, "wake-p50-us")
				b.ReportMetric(float64(lat[len(lat)*99/100].Nanoseconds())/1e3, "wake-p99-us")
				b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-us/step")
			})
		}
	}
}

// cpuTime is the process's user and system time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
