//go:build unix

package sweep

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"
)

// A new result file follows the umask: 0644 less it, not a fixed 0644 (a
// private umask keeps results private, a group one keeps them group
// readable). The umask is the process's: this test must not run in
// parallel with others that create files.
func TestWriteAtomicFollowsUmask(t *testing.T) {
	write := func(w io.Writer) error { _, err := io.WriteString(w, "x\n"); return err }
	for _, tc := range []struct{ umask, want int }{{0o022, 0o644}, {0o027, 0o640}, {0o077, 0o600}, {0, 0o644}} {
		old := syscall.Umask(tc.umask)
		path := filepath.Join(t.TempDir(), "fig.png")
		err := writeAtomic(path, write)
		syscall.Umask(old)
		require.NoError(t, err)
		st, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(tc.want), st.Mode().Perm(), "umask %#o", tc.umask)
	}
}
