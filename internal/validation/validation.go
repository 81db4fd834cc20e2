// Package validation gates netgym's long validation runs (saturation
// against Bianchi's model and ns-3, edge-of-range curves over many runs):
// they run under `make validate` (NETGYM_VALIDATE=1), which CI runs, and
// are skipped by a plain `go test ./...`, so that the default test run
// stays short on a small machine.
package validation

import (
	"os"
	"testing"
)

// EnvVar is the environment variable that enables the validation runs.
const EnvVar = "NETGYM_VALIDATE"

// Enabled reports whether validation runs are enabled: EnvVar is set to a
// non-empty value other than "0".
func Enabled() bool {
	v := os.Getenv(EnvVar)
	return v != "" && v != "0"
}

// Run skips t, saying what it is, unless validation runs are enabled (and
// always under -short).
func Run(t testing.TB, what string) {
	t.Helper()
	if testing.Short() || !Enabled() {
		t.Skipf("validation run (%s): make validate, or %s=1 go test", what, EnvVar)
	}
}
