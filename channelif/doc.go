// Package channelif holds netgym's channel interfaces for RL stepping: the
// NetRL family (CommChannel, PerfectChannel, GEChannel, ObservationBuffer,
// CentralNode), NetRL's subprocess line protocol (ParseCommand, Serve and
// the Backend it drives), the generic backend that steps any simulated
// technology with NetRL's rules (SimBackend over a Builder), and DEFIANCE's
// channel interfaces (ChannelInterface: SimpleChannelInterface,
// SocketChannelInterface), which package rl uses. It imports no radio and
// nothing under rl/.
//
// # One generic backend, small technology builders
//
// NetRL's simulated channels all follow the same rules: a warm-up before
// READY, step t as a window of simulated time, each step's packet sent at a
// fixed offset into its window, the ids of packets in flight kept on the
// side, RESET rebuilding the scenario with the next run number, per-UE
// views sharing one simulation. SimBackend implements them once. A
// technology adds a Builder:
//
//   - Spec: the facts of NetRL's program, fixed for the backend: single-UE
//     (NumUEs 0) or n UEs, step duration, send offset (SingleUESendOffset,
//     1% into the step, or MultiUESendOffset, 0), the warm-up (a duration,
//     optionally extended until the scenario is ready, up to MaxWarmup),
//     the largest and the default payload.
//   - Build(Episode): given the seed, the run number and a fresh simulator,
//     make one episode's network and return a Scenario: Send(ue, n) sends a
//     packet of n payload bytes for UE ue and returns its packet uid, and
//     Ready reports whether the warm-up did its job (stations associated, a
//     UE attached). The builder's receiver calls Episode.Received with the
//     uid of every packet it gets.
//
// The core keys every packet's id (UE, step) by its uid, so only sizes and
// uids travel through the simulation, and hands the ids back at Flush.
// SimBackend serves the protocol (it is a Backend) and hands out per-UE
// CommChannel views (UEChannel) for CentralNode; SimChannel is the
// CommChannel of a single-UE backend. Subpackage wifi holds NetRL's two
// Wi-Fi programs as builders (an ad-hoc pair; an AP with actively probing
// stations); the cellular programs (an uplink from a UE through a core to a
// remote host, ready once the UE is attached) are builders of the same
// kind.
//
// # Channels move ids, not payloads
//
// A CommChannel carries only the id (the step number) and the size of each
// packet. The value a packet stands for, an observation vector or a message,
// stays with the caller, keyed by its id, and is handed back when the id
// arrives: CentralNode does exactly that, as NetRL's ns-3 channels do with
// their pending map. Stepping a channel therefore never copies payloads.
//
// # Stepping
//
// Every environment step t calls Transmit(t, size) (optionally) and then
// Flush(t), which returns the ids that arrived during step t's window. For a
// simulated channel step t is the window [start+t*d, start+(t+1)*d) of
// simulated time; StepClock implements NetRL's timing rules with exact
// integer nanoseconds. RunSteps runs that loop on any Backend (one packet
// per UE and step, a flush every step) and counts what arrived, for
// sweeps, tests and benchmarks.
//
// # The line protocol
//
// Serve speaks NetRL's TRANSMIT/FLUSH/RESET/QUIT protocol (plus netgym's STEP
// extension) over any io.Reader/io.Writer pair, so that a Go program can
// stand in for NetRL's ns-3 programs through NetRL's sim_binary setting. The
// protocol is specified in docs/netrl-protocol.md in the repository.
//
// # Limits
//
// No command can make a backend hang, crash or grow without bound: a Flush
// advances the simulation by at most Spec.MaxAdvance (DefaultMaxAdvance,
// 10 minutes), at most DefaultMaxPending packets wait for steps not reached
// yet (SimBackend) or for their flush (PerfectChannel, GEChannel), and no
// step ends beyond MaxSimTime; beyond them the call returns an error, and
// Serve answers ERROR and goes on. Channels and backends not made by their
// constructors return ErrNotInitialized.
//
// # Deviations from NetRL
//
//   - GEChannel draws from math/rand/v2's PCG (through sim.NewStream), not
//     from C++'s mt19937_64, so the same seed gives a different, equally
//     valid, random stream. Seed 0 is an ordinary seed, not a request for a
//     non-deterministic one.
//   - CentralNode places an arrival in the slot of the flush step minus
//     DelaySteps, whatever the channel. NetRL's in-process channels report the
//     scheduled arrival step instead; the two agree whenever Flush is called
//     every step, which Step always does.
//   - StepClock keeps exact nanoseconds; NetRL's programs read the current
//     time rounded down to whole milliseconds, so their windows drift when
//     the step duration is fractional.
//   - CentralNode keeps every node's values itself and drops those pending
//     longer than MaxPendingSteps, whatever the channel; NetRL does that only
//     in its ns-3 channels, while its GE and perfect channels carry the
//     values and never drop one. With a fixed-delay channel the results are
//     the same as long as MaxPendingSteps >= DelaySteps, which Validate
//     requires.
//   - Serve answers every malformed or out-of-range line with ERROR, where
//     NetRL's programs leave a malformed argument at 0 or at its default
//     (and RESET or QUIT followed by anything is an ERROR, not a RESET or a
//     QUIT). A line of white space only is skipped like an empty line, where
//     NetRL's programs answer "ERROR unknown command: ".
//
// Nothing in this package is global: many channels, nodes and servers can
// run side by side in one process. None of the types is safe for concurrent
// use; drive each from one goroutine.
package channelif
