package ns3ai

import (
	"bufio"
	"fmt"
	"io"
	"time"

	"github.com/netgym/netgym/sim"
)

// APBEnv is the message ns3-ai's A-Plus-B example sends to Python,
// EnvStruct (examples/a-plus-b/use-msg-stru/apb.h: uint32_t env_a,
// env_b; ns3-ai's binding calls them a and b).
type APBEnv struct {
	A, B uint32
}

// APBAct is A-Plus-B's answer, ActStruct (uint32_t act_c; c in Python).
type APBAct struct {
	C uint32
}

// APBConfig configures the simulation side of A-Plus-B.
type APBConfig struct {
	// Rounds is the number of exchanges (apb.cc's NUM_ENV: 10000).
	Rounds int
	// Seed selects the random addends, each uniform in [1, 10] as apb.cc
	// draws them (apb.cc seeds from the clock; netgym's runs repeat).
	Seed uint64
	// Out receives apb.cc's lines, "set: a,b;" and "get: c" (in the
	// vector variant "set: a,b;a,b;..." and "get: c;c;..."); nil prints
	// nothing.
	Out io.Writer
	// Latencies, when not nil, receives each round's duration on this
	// side, from SendBegin to RecvEnd (benchmarks; the first of a run
	// includes the agent's start).
	Latencies *[]time.Duration
}

// DefaultAPBConfig returns apb.cc's 10000 rounds, seed 1, no output.
func DefaultAPBConfig() APBConfig { return APBConfig{Rounds: 10000, Seed: 1} }

// Validate reports an invalid field.
func (c APBConfig) Validate() error {
	if c.Rounds < 0 {
		return fmt.Errorf("ns3ai: APBConfig.Rounds %d must be >= 0", c.Rounds)
	}
	return nil
}

type apbRun struct {
	cfg APBConfig
	out *bufio.Writer
	rng interface{ IntN(int) int }
}

func newAPBRun(cfg APBConfig) (*apbRun, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	r := &apbRun{cfg: cfg, rng: sim.NewStream(cfg.Seed, 1, "ns3ai/apb")}
	if cfg.Out != nil {
		r.out = bufio.NewWriter(cfg.Out)
	}
	return r, nil
}

func (r *apbRun) start() time.Time {
	if r.cfg.Latencies == nil {
		return time.Time{}
	}
	return time.Now()
}

func (r *apbRun) stop(t0 time.Time) {
	if r.cfg.Latencies != nil {
		*r.cfg.Latencies = append(*r.cfg.Latencies, time.Since(t0))
	}
}

func (r *apbRun) draw() uint32 { return uint32(1 + r.rng.IntN(10)) }

func (r *apbRun) flush() {
	if r.out != nil {
		_ = r.out.Flush()
	}
}

// RunAPBStruct plays the simulation side of A-Plus-B with the struct
// interface, as examples/a-plus-b/use-msg-stru/apb.cc does: each round
// it writes two addends, waits for the agent's sum and checks it. It
// returns the rounds completed; a wrong sum is an error. The caller
// closes s (which marks the end when HandleFinish is set).
func RunAPBStruct(s *Struct[APBEnv, APBAct], cfg APBConfig) (int, error) {
	r, err := newAPBRun(cfg)
	if err != nil {
		return 0, err
	}
	defer r.flush()
	for i := 0; i < cfg.Rounds; i++ {
		t0 := r.start()
		if err := s.SendBegin(); err != nil {
			return i, fmt.Errorf("round %d: %w", i, err)
		}
		a, b := r.draw(), r.draw()
		*s.Cpp2Py() = APBEnv{A: a, B: b}
		if r.out != nil {
			fmt.Fprintf(r.out, "set: %d,%d;\n", a, b)
		}
		if err := s.SendEnd(); err != nil {
			return i, err
		}
		if err := s.RecvBegin(); err != nil {
			return i, fmt.Errorf("round %d: %w", i, err)
		}
		c := s.Py2Cpp().C
		if err := s.RecvEnd(); err != nil {
			return i, err
		}
		r.stop(t0)
		if r.out != nil {
			fmt.Fprintf(r.out, "get: %d\n", c)
		}
		if c != a+b {
			return i, fmt.Errorf("round %d: the agent answered %d for %d+%d", i, c, a, b)
		}
	}
	return cfg.Rounds, nil
}

// RunAPBVector plays the simulation side with the vector interface
// (use-msg-vec/apb.cc), filling every element of the vectors the creator
// sized.
func RunAPBVector(v *Vector[APBEnv, APBAct], cfg APBConfig) (int, error) {
	r, err := newAPBRun(cfg)
	if err != nil {
		return 0, err
	}
	defer r.flush()
	for i := 0; i < cfg.Rounds; i++ {
		t0 := r.start()
		if err := v.SendBegin(); err != nil {
			return i, fmt.Errorf("round %d: %w", i, err)
		}
		env := v.Cpp2Py()
		if r.out != nil {
			r.out.WriteString("set: ")
		}
		for j := range env {
			env[j] = APBEnv{A: r.draw(), B: r.draw()}
			if r.out != nil {
				fmt.Fprintf(r.out, "%d,%d;", env[j].A, env[j].B)
			}
		}
		if r.out != nil {
			r.out.WriteString("\n")
		}
		if err := v.SendEnd(); err != nil {
			return i, err
		}
		if err := v.RecvBegin(); err != nil {
			return i, fmt.Errorf("round %d: %w", i, err)
		}
		act := v.Py2Cpp()
		if r.out != nil {
			r.out.WriteString("get: ")
		}
		var bad error
		for j := range act {
			if r.out != nil {
				fmt.Fprintf(r.out, "%d;", act[j].C)
			}
			if j < len(env) && act[j].C != env[j].A+env[j].B && bad == nil {
				bad = fmt.Errorf("round %d, element %d: the agent answered %d for %d+%d", i, j, act[j].C, env[j].A, env[j].B)
			}
		}
		if r.out != nil {
			r.out.WriteString("\n")
		}
		if err := v.RecvEnd(); err != nil {
			return i, err
		}
		r.stop(t0)
		if bad != nil {
			return i, bad
		}
	}
	return cfg.Rounds, nil
}

// ServeAPBStruct plays the agent side of A-Plus-B (ns3-ai's apb.py) until
// the simulation marks the end (HandleFinish must be set) and returns the
// rounds answered.
func ServeAPBStruct(s *Struct[APBEnv, APBAct]) (int, error) {
	for n := 0; ; n++ {
		if err := s.RecvBegin(); err != nil {
			return n, err
		}
		if s.Finished() {
			return n, nil
		}
		env := *s.Cpp2Py()
		if err := s.RecvEnd(); err != nil {
			return n, err
		}
		if err := s.SendBegin(); err != nil {
			return n, err
		}
		s.Py2Cpp().C = env.A + env.B
		if err := s.SendEnd(); err != nil {
			return n, err
		}
	}
}

// ServeAPBVector plays the agent side of the vector variant
// (use-msg-vec/apb.py: it starts sending before it ends receiving).
func ServeAPBVector(v *Vector[APBEnv, APBAct]) (int, error) {
	for n := 0; ; n++ {
		if err := v.RecvBegin(); err != nil {
			return n, err
		}
		if v.Finished() {
			return n, nil
		}
		if err := v.SendBegin(); err != nil {
			return n, err
		}
		env, act := v.Cpp2Py(), v.Py2Cpp()
		for i := range env {
			if i < len(act) {
				act[i].C = env[i].A + env[i].B
			}
		}
		if err := v.RecvEnd(); err != nil {
			return n, err
		}
		if err := v.SendEnd(); err != nil {
			return n, err
		}
	}
}
