// Command opengym is ns3-gym's first example (examples/opengym) rebuilt on
// netgym, served to a Python agent over ns3-gym's ZeroMQ protocol: an
// observation Box of 5 uint32 in [0, 10] drawn at random each step, an action
// Discrete(5), a reward that grows by 1 each step, extra info
// "testInfo|123", and no game over of its own: the episode ends when the
// simulation does (reason SimulationEnd).
//
//	opengym --openGymPort=5555 --simSeed=1 --simTime=10 --stepTime=0.1
//
// Start the agent first (ns3gym.Ns3Env(port=5555, startSim=False) or
// netgym's Python NetgymEnv), or this program waits for it. With --ns3ai
// the same episode goes to ns3-ai's Gym interface over shared memory
// instead (ns3-ai's Ns3Env or netgym.ns3ai.Ns3Env creates the segment and
// starts this program; --segName, --ns3aiTimeout, --peerPid). -h prints
// the flags.
package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"

	"github.com/netgym/netgym/cli"
	"github.com/netgym/netgym/rl/ns3ai"
	"github.com/netgym/netgym/rl/opengym"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/spaces"
)

func main() {
	os.Exit(cli.Main("opengym", func(stderr io.Writer) int { return run(context.Background(), os.Args[1:], os.Stdout, stderr) }))
}

// env is the example's environment: a simulation that only advances time.
type env struct {
	s        *sim.Simulator
	rng      *rand.Rand
	obs, act spaces.Space
	step     sim.Time
	end      sim.Time
	reward   float64
	actions  int
	out      io.Writer
}

// maxSteps bounds simTime/stepTime: an episode of more steps than this
// would take days of agent round trips.
const maxSteps = 1_000_000_000

func newEnv(seed, run uint64, simTime, stepTime sim.Time, out io.Writer) (*env, error) {
	if simTime <= 0 || stepTime <= 0 {
		return nil, fmt.Errorf("simTime %v and stepTime %v must be positive", simTime, stepTime)
	}
	if simTime/stepTime > maxSteps {
		return nil, fmt.Errorf("simTime %v / stepTime %v is more than %d steps", simTime, stepTime, maxSteps)
	}
	obs, err := spaces.NewBox(0, 10, []int{5}, spaces.Uint)
	if err != nil {
		return nil, err
	}
	act, err := spaces.NewDiscrete(5)
	if err != nil {
		return nil, err
	}
	s := sim.New(seed, run)
	return &env{s: s, rng: s.Stream("opengym/observation"), obs: obs, act: act,
		step: stepTime, end: simTime, out: out}, nil
}

func (e *env) ObservationSpace() spaces.Space { return e.obs }
func (e *env) ActionSpace() spaces.Space      { return e.act }

// Observe draws 5 random values in [0, 10] and a reward one larger than the
// last (ns3-gym's MyGymEnv::GetObservation and GetReward).
func (e *env) Observe() (spaces.Value, float64, bool, string) {
	v := make([]uint32, 5)
	for i := range v {
		v[i] = uint32(e.rng.IntN(11))
	}
	e.reward++
	return spaces.UintBox(v...), e.reward, false, "testInfo|123"
}

// Act executes the action (ns3-gym's example only logs it) and runs the
// simulation to the next step.
func (e *env) Act(a spaces.Value) error {
	e.actions++
	if e.out != nil {
		fmt.Fprintf(e.out, "%v action %v\n", e.s.Now(), a)
	}
	e.s.RunUntil(e.s.Now() + e.step)
	return nil
}

// SimulationEnded implements opengym.Ender.
func (e *env) SimulationEnded() bool { return e.s.Now() >= e.end }

func run(ctx context.Context, args []string, out, diag io.Writer) int {
	p := cli.New("opengym", "Serves ns3-gym's first example (random observations, Discrete(5) actions) to a Python agent over ns3-gym's ZeroMQ protocol.")
	fs := p.Flags
	port := fs.Int("openGymPort", opengym.DefaultPort, "port of the agent's ZeroMQ REP socket")
	seed := fs.Uint64("simSeed", 1, "run number (ns3-gym passes its seed here)")
	simTime := cli.Time(fs, "simTime", 10*sim.Second, sim.Second, sim.Microsecond, 1e9*sim.Second, "simulated seconds")
	stepTime := cli.Time(fs, "stepTime", 100*sim.Millisecond, sim.Second, sim.Microsecond, 1e9*sim.Second, "simulated seconds between steps")
	_ = fs.Int("testArg", 0, "ns3-gym's example argument (unused)")
	quiet := fs.Bool("quiet", false, "do not print actions")
	var gym ns3ai.GymFlags
	gym.Register(fs)
	return p.Run(args, out, diag, func() error {
		logTo := out
		if *quiet {
			logTo = nil
		}
		e, err := newEnv(1, *seed, *simTime, *stepTime, logTo)
		if err != nil {
			return cli.Invalid(err)
		}
		var res opengym.Result
		if gym.Enabled {
			opts, err := gym.Options()
			if err != nil {
				return cli.Invalid(err)
			}
			if res, err = ns3ai.ServeGym(ctx, opengym.EnvLoop(e), opts); err != nil {
				return err
			}
		} else {
			cfg := opengym.DefaultConfig()
			cfg.Port = *port
			if res, err = opengym.Run(ctx, e, cfg); err != nil {
				return err
			}
		}
		fmt.Fprintf(diag, "opengym: %d steps, stopped=%v, game over=%v (%v)\n", res.Steps, res.Stopped, res.GameOver, res.Reason)
		return nil
	})
}
