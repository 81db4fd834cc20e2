//go:build !linux

package ns3ai

// shmDir is where the tests read and write segments. Only Linux has them
// (shm_other.go refuses them elsewhere), and TestMain runs no test on other
// systems; the constant lets the tests build there.
const shmDir = "/dev/shm/"
