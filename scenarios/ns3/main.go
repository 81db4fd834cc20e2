// Command ns3 stands in for ns-3's ./ns3 script so that ns3-ai's Python
// Experiment (python_utils/ns3ai_utils.py) starts netgym scenarios: it
// runs `./ns3 run <target>` or `./ns3 run <target> -- --k=v ...` (the
// forms ns3ai_utils.run_single_ns3 uses) and ns-3's quoted form
// `./ns3 run "<target> --k=v"` by replacing itself (exec) with the netgym
// binary that plays the target, so that the Experiment's kill reaches the
// simulation itself.
//
//	ns3 run [--no-build] [--quiet] [--cwd=DIR] <target> [-- args...]
//	ns3 build [target...]      checks that the targets' binaries exist
//	ns3 show targets           lists ns3-ai's targets netgym plays
//
// Binaries are looked up in $NETGYM_NS3_BIN_DIR, else in build/netgym
// beside this program (docs/ns3ai.md gives the layout). ns3-ai's targets
// map to netgym binaries (ns3ai_apb_msg_stru -> ns3ai-apb,
// ns3ai_apb_msg_vec -> ns3ai-apb --vector, ns3ai_apb_gym -> ns3ai-apb
// --gym), and netgym's Gym examples have ns3-ai-style names
// (ns3ai_rlwifi_gym -> rl-wifi --ns3ai, ns3ai_opengym_gym -> opengym
// --ns3ai); any other target runs the binary of that name, with the
// arguments that follow it, so that ns3-ai's Ns3Env serves a netgym
// scenario as targetName="<scenario> --ns3ai --k=v" (ns3-ai's Experiment
// puts the target name into the shell command unquoted, and its Ns3Env
// restarts the target without ns3Settings at each reset: the target name
// keeps the arguments). ns3-ai's ns3ai_rltcp_gym is not played: netgym has
// no TCP yet.
package main

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
)

// targets maps ns3-ai's CMake targets to netgym binaries and their fixed
// arguments.
var targets = map[string]struct {
	bin  string
	args []string
}{
	"ns3ai_apb_msg_stru": {"ns3ai-apb", nil},
	"ns3ai_apb_msg_vec":  {"ns3ai-apb", []string{"--vector"}},
	"ns3ai_apb_gym":      {"ns3ai-apb", []string{"--gym"}},
	// netgym's scenarios over ns3-ai's Gym interface, named as ns3-ai
	// names its Gym examples; any scenario also runs as
	// targetName="<scenario> --ns3ai [--k=v ...]"
	"ns3ai_rlwifi_gym":  {"rl-wifi", []string{"--ns3ai"}},
	"ns3ai_opengym_gym": {"opengym", []string{"--ns3ai"}},
}

func main() {
	os.Exit(run(os.Args[1:], binDir(), os.Stdout, os.Stderr, func(l launch) error {
		if l.cwd != "" {
			if err := os.Chdir(l.cwd); err != nil {
				return err
			}
		}
		return syscall.Exec(l.path, l.argv, os.Environ())
	}))
}

// help is what -h and --help print on standard output.
const help = `ns3 (netgym): stands in for ns-3's ./ns3 so that ns3-ai's Python side
starts netgym's scenarios (docs/ns3ai.md).

  ns3 run [--no-build] [--quiet] [--cwd=DIR] <target> [-- args...]
  ns3 run "<target> --k=v ..."
  ns3 build [target...]      checks that the targets' binaries exist
  ns3 show targets           lists ns3-ai's targets netgym plays

Binaries are looked up in $NETGYM_NS3_BIN_DIR, else in build/netgym beside
this program; any other target runs the binary of that name.
`

// run does what the command line asks and returns the exit status, as
// every netgym binary (package cli): 0, 2 for a bad command line (one line
// on standard error), 1 when the target cannot be started. exec replaces
// the process with the target's binary and returns only on failure.
func run(args []string, dir string, stdout, stderr io.Writer, exec func(launch) error) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
		fmt.Fprint(stdout, help)
		return 0
	}
	p, err := plan(args, dir)
	switch {
	case err != nil:
	case p.list:
		listTargets(stdout, dir)
		return 0
	case p.build:
		return 0
	default:
		err = exec(p)
	}
	fmt.Fprintln(stderr, "ns3 (netgym):", err)
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// binDir is where the scenario binaries live.
func binDir() string {
	if d := os.Getenv("NETGYM_NS3_BIN_DIR"); d != "" {
		return d
	}
	self := os.Args[0]
	if !strings.Contains(self, "/") {
		if exe, err := os.Executable(); err == nil {
			self = exe
		}
	}
	if abs, err := filepath.Abs(self); err == nil {
		self = abs
	}
	return filepath.Join(filepath.Dir(self), "build", "netgym")
}

// launch is what the launcher does.
type launch struct {
	path  string   // binary to exec
	argv  []string // its argv, argv[0] = path
	cwd   string   // directory to run in ("" = current)
	build bool     // `build`: only checked the binaries
	list  bool     // `show targets`
}

var errUsage = errors.New(`usage: ns3 run [--no-build] [--quiet] [--cwd=DIR] <target> [-- args...] | ns3 build [targets] | ns3 show targets`)

func plan(args []string, dir string) (launch, error) {
	if len(args) == 0 {
		return launch{}, errUsage
	}
	switch args[0] {
	case "run":
	case "build":
		for _, t := range args[1:] {
			if strings.HasPrefix(t, "-") {
				continue
			}
			if _, _, err := resolve(t, dir); err != nil {
				return launch{}, err
			}
		}
		return launch{build: true}, nil
	case "configure", "clean":
		return launch{build: true}, nil
	case "show":
		if len(args) == 2 && args[1] == "targets" {
			return launch{list: true}, nil
		}
		return launch{}, errUsage
	default:
		return launch{}, fmt.Errorf("command %q is not supported by netgym's launcher; %w", args[0], errUsage)
	}
	var l launch
	var target string
	var extra []string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			extra = append(extra, rest[i+1:]...)
			i = len(rest)
		case target != "":
			extra = append(extra, a)
		case a == "--no-build" || a == "--quiet" || a == "-q" || a == "--verbose" || a == "-v" || a == "--no-color":
		case strings.HasPrefix(a, "--cwd="):
			l.cwd = strings.TrimPrefix(a, "--cwd=")
		case a == "--cwd" && i+1 < len(rest):
			i++
			l.cwd = rest[i]
		case strings.HasPrefix(a, "-"):
			return launch{}, fmt.Errorf("option %q of ns3 run is not supported by netgym's launcher; %w", a, errUsage)
		default:
			// ns-3 also takes the program's arguments inside the
			// target string: ./ns3 run "target --k=v"
			fields := strings.Fields(a)
			if len(fields) == 0 {
				return launch{}, errUsage
			}
			target, extra = fields[0], append(extra, fields[1:]...)
		}
	}
	if target == "" {
		return launch{}, errUsage
	}
	path, fixed, err := resolve(target, dir)
	if err != nil {
		return launch{}, err
	}
	l.path = path
	l.argv = append(append([]string{path}, fixed...), extra...)
	return l, nil
}

// resolve finds the binary of a target.
func resolve(target, dir string) (string, []string, error) {
	bin, fixed := target, []string(nil)
	if t, ok := targets[target]; ok {
		bin, fixed = t.bin, t.args
	}
	if strings.ContainsAny(bin, "/\x00") || bin == "." || bin == ".." {
		return "", nil, fmt.Errorf("target %q is not a program name", target)
	}
	path := filepath.Join(dir, bin)
	st, err := os.Stat(path)
	if err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
		known := slices.Sorted(maps.Keys(targets))
		return "", nil, fmt.Errorf("target %q: no executable %s (build it: go build -o %s ./scenarios/%s); ns3-ai targets netgym plays: %s",
			target, path, path, bin, strings.Join(known, ", "))
	}
	return path, fixed, nil
}

func listTargets(w io.Writer, dir string) {
	for _, k := range slices.Sorted(maps.Keys(targets)) {
		t := targets[k]
		fmt.Fprintf(w, "%s -> %s %s\n", k, filepath.Join(dir, t.bin), strings.Join(t.args, " "))
	}
}
