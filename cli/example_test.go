package cli_test

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/netgym/netgym/cli"
)

// A program defines its flags on a cli.Program and runs its body through
// Run, which parses NetRL's --key=value forms, prints the usage for
// --help and turns errors into one line and an exit status. In main:
// os.Exit(cli.Main(name, func(stderr io.Writer) int { return run(os.Args[1:], ..., stderr) })).
func ExampleProgram_Run() {
	run := func(args []string) int {
		p := cli.New("sweep", "Prints the distances of a sweep.")
		distance := p.Flags.Float64("distance", 10, "first distance in metres")
		n := p.Flags.Int("n", 3, "number of points")
		return p.Run(args, os.Stdout, os.Stdout, func() error {
			if *n < 1 {
				return cli.Invalidf("-n %d: want at least 1", *n)
			}
			ds := make([]float64, *n)
			for i := range ds {
				ds[i] = *distance * float64(i+1)
			}
			fmt.Println(ds)
			return nil
		})
	}
	fmt.Println("status", run([]string{"--distance=5", "--n", "4"}))
	fmt.Println("status", run([]string{"--help"}))
	fmt.Println("status", run([]string{"--n=0"}))
	// Output:
	// [5 10 15 20]
	// status 0
	// Usage: sweep [flags]
	//
	// Prints the distances of a sweep.
	//
	// Flags (-name=value, --name=value or -name value):
	//   -distance float
	//     	first distance in metres (default 10)
	//   -n int
	//     	number of points (default 3)
	// status 0
	// sweep: -n 0: want at least 1
	// Usage: sweep [flags]
	//
	// Prints the distances of a sweep.
	//
	// Flags (-name=value, --name=value or -name value):
	//   -distance float
	//     	first distance in metres (default 10)
	//   -n int
	//     	number of points (default 3)
	// status 2
}

// A DiagWriter takes a backend's diagnostics without ever blocking it:
// what its reader does not take in time is dropped and counted. Programs
// get one on their standard error from Main.
func ExampleNewDiagWriter() {
	var stderr strings.Builder
	d := cli.NewDiagWriter(&stderr, "wifi-sim", 64)
	fmt.Fprintln(d, `wifi-sim: "FOO": unknown command: FOO`)
	fmt.Fprintln(d, strings.Repeat("x", 100)) // does not fit: dropped
	d.Close(time.Minute)
	fmt.Print(stderr.String())
	fmt.Println("dropped", d.Dropped())
	// Output:
	// wifi-sim: "FOO": unknown command: FOO
	// wifi-sim: 101 bytes of diagnostics dropped (standard error is not read fast enough)
	// dropped 101
}
