// Command ns3ai-apb is ns3-ai's A-Plus-B example (examples/a-plus-b,
// targets ns3ai_apb_msg_stru, ns3ai_apb_msg_vec and ns3ai_apb_gym) on
// netgym: the simulation side of ns3-ai's message interface. Each round it
// writes two numbers in [1, 10] into the shared segment, waits for the
// agent's sum and checks it, for --rounds rounds, then marks the end
// (handleFinish), printing apb.cc's "set: a,b;" and "get: c" lines. With
// --gym it plays use-gym/apb.cc over ns3-ai's Gym interface instead
// (observation Box(2) of uint32 in [0, 10], action Box(1) in [0, 20],
// the end of the simulation after --rounds actions; no handleFinish).
//
//	ns3ai-apb [--vector | --gym] [--rounds=10000] [--seed=1] [--quiet]
//
// The agent creates the segment first: ns3-ai's apb.py (through the ns3
// launcher, scenarios/ns3) or netgym's Python client
// (python/netgym/ns3ai). Flags take ns3-ai's names for the segment:
// --segName, --cpp2pyMsgName, --py2cppMsgName, --lockableName,
// --handleFinish; --timeout bounds each wait (seconds) and --peerPid names
// the agent process (default: NETGYM_NS3AI_PEER_PID, else the processes
// that map the segment). With --create the simulation creates the segment
// itself, in netgym's layout (--shmSize bytes, --vectorSize elements), and
// the agent opens it (netgym's Python Ns3AiMsgInterfaceImpl with
// is_memory_creator=False). Errors go to stderr with exit status 1.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/rl/ns3ai"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// flags are the command line's values.
type flags struct {
	vector, quiet, stats, finish, create bool
	gym                                  bool
	rounds, shmSize, vecSize, peer       int
	seed                                 uint64
	seg, c2p, p2c, lock                  string
	timeout                              float64
}

func run(args []string, out, diag io.Writer) int {
	p := cli.New("ns3ai-apb", "Runs ns3-ai's A-Plus-B example (the simulation side) over ns3-ai's shared-memory message interface.")
	fs := p.Flags
	def := ns3ai.DefaultOptions()
	var f flags
	fs.BoolVar(&f.vector, "vector", false, "vector-based interface (ns3ai_apb_msg_vec)")
	fs.BoolVar(&f.gym, "gym", false, "ns3-ai's Gym interface (ns3ai_apb_gym; --handleFinish does not apply)")
	fs.IntVar(&f.rounds, "rounds", 10000, "rounds (apb.cc's NUM_ENV)")
	fs.Uint64Var(&f.seed, "seed", 1, "seed of the addends")
	fs.BoolVar(&f.quiet, "quiet", false, "do not print the set/get lines")
	fs.BoolVar(&f.stats, "stats", false, "print round-trip percentiles on stderr at the end")
	fs.StringVar(&f.seg, "segName", def.SegmentName, "shared-memory segment name")
	fs.StringVar(&f.c2p, "cpp2pyMsgName", def.Cpp2PyName, "name of the C++-to-Python message")
	fs.StringVar(&f.p2c, "py2cppMsgName", def.Py2CppName, "name of the Python-to-C++ message")
	fs.StringVar(&f.lock, "lockableName", def.LockableName, "name of the sync object")
	fs.BoolVar(&f.finish, "handleFinish", true, "mark the end for the agent (apb.py sets handleFinish=True)")
	fs.Float64Var(&f.timeout, "timeout", def.Timeout.Seconds(), "seconds to wait for the agent's turn")
	fs.BoolVar(&f.create, "create", false, "create the segment (netgym's layout) instead of opening the agent's")
	fs.IntVar(&f.shmSize, "shmSize", def.Size, "segment size in bytes, with --create")
	fs.IntVar(&f.vecSize, "vectorSize", 3, "elements per vector, with --create --vector")
	fs.IntVar(&f.peer, "peerPid", envInt(ns3ai.PeerPIDEnv), "agent process id (0: the processes that map the segment; -1: none)")
	return p.Run(args, out, diag, func() error { return apb(out, diag, f) })
}

// apb runs the exchange the flags describe.
func apb(out, diag io.Writer, f flags) error {
	if !(f.timeout > 0) || f.timeout > 1e6 {
		return cli.Invalidf("--timeout %v must be in (0, 1e6] seconds", f.timeout)
	}
	def := ns3ai.DefaultOptions()
	o := def
	o.SegmentName, o.Cpp2PyName, o.Py2CppName, o.LockableName = f.seg, f.c2p, f.p2c, f.lock
	o.HandleFinish = f.finish
	o.Timeout = time.Duration(f.timeout * float64(time.Second))
	o.PeerPID = f.peer
	o.Size = f.shmSize
	cfg := ns3ai.DefaultAPBConfig()
	cfg.Rounds, cfg.Seed = f.rounds, f.seed
	if !f.quiet {
		cfg.Out = out
	}
	if err := cfg.Validate(); err != nil {
		return cli.Invalid(err)
	}
	var lat []time.Duration
	if f.stats {
		lat = make([]time.Duration, 0, cfg.Rounds)
		cfg.Latencies = &lat
	}
	if f.gym {
		if f.vector || f.create {
			return cli.Invalidf("--gym cannot be combined with --vector or --create: ns3-ai's Gym agent creates a struct segment")
		}
		o.HandleFinish = false
		env, err := ns3ai.NewAPBGym(cfg)
		if err != nil {
			return err
		}
		res, err := ns3ai.ServeGym(context.Background(), env, o)
		if f.stats && err == nil {
			fmt.Fprintf(diag, "steps=%d stopped=%v\n", res.Steps, res.Stopped)
		}
		return err
	}
	var closer interface{ Close() error }
	var err error
	if f.vector {
		var v *ns3ai.Vector[ns3ai.APBEnv, ns3ai.APBAct]
		if f.create {
			v, err = ns3ai.CreateVector[ns3ai.APBEnv, ns3ai.APBAct](o, ns3ai.Simulation, f.vecSize)
		} else {
			v, err = ns3ai.OpenVector[ns3ai.APBEnv, ns3ai.APBAct](o, ns3ai.Simulation)
		}
		if err != nil {
			return err
		}
		closer = v
		_, err = ns3ai.RunAPBVector(v, cfg)
	} else {
		var s *ns3ai.Struct[ns3ai.APBEnv, ns3ai.APBAct]
		if f.create {
			s, err = ns3ai.CreateStruct[ns3ai.APBEnv, ns3ai.APBAct](o, ns3ai.Simulation)
		} else {
			s, err = ns3ai.OpenStruct[ns3ai.APBEnv, ns3ai.APBAct](o, ns3ai.Simulation)
		}
		if err != nil {
			return err
		}
		closer = s
		_, err = ns3ai.RunAPBStruct(s, cfg)
	}
	// Close marks the end (handleFinish) so that the agent stops, also
	// after an error when the agent can still take the mark.
	if cerr := closer.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("mark the end: %w", cerr)
	}
	if f.stats && err == nil {
		fmt.Fprintln(diag, summary(lat))
	}
	return err
}

// summary formats round-trip percentiles, leaving out the first round
// (it includes the agent's start).
func summary(lat []time.Duration) string {
	if len(lat) > 1 {
		lat = lat[1:]
	}
	if len(lat) == 0 {
		return "rounds=0"
	}
	var total time.Duration
	for _, d := range lat {
		total += d
	}
	slices.Sort(lat)
	q := func(p float64) float64 { return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / 1e3 }
	return fmt.Sprintf("rounds=%d p50=%.2fus p90=%.2fus p99=%.2fus mean=%.2fus", len(lat), q(0.5), q(0.9), q(0.99),
		float64(total)/float64(len(lat))/1e3)
}

func envInt(name string) int {
	n, _ := strconv.Atoi(os.Getenv(name))
	return n
}
