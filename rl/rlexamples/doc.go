// Package rlexamples holds the scenarios behind netgym's RL example
// binaries (scenarios/defiance-addition, scenarios/multi-agent-counters,
// scenarios/rl-wifi): scenario builders for rl.MultiAgentEnv, the
// applications they use, training loops with Go agents, and rl-wifi as an
// agentlink.Stepper for loops that step it from outside
// (WifiAdditionStepper). The binaries
// only parse flags and print; a Go user can call the same functions.
package rlexamples
