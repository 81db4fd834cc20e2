// Package rlexamples holds the scenarios behind netgym's RL example
// binaries (scenarios/defiance-addition, scenarios/multi-agent-counters,
// scenarios/rl-wifi): scenario builders for rl.MultiAgentEnv, the
// applications they use, and training loops with Go agents. The binaries
// only parse flags and print; a Go user can call the same functions.
package rlexamples
