package opengym

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/rl/rlexamples"
)

// TestServeMultiAgentCounters serves multi-agent-counters' rl.MultiAgentEnv
// to an in-process agent: every decision of every agent application is one
// turn (3 agents, one decision a second, 60 s), rewards are -|counter|, and
// the episode ends with the final message for the simulation's end.
func TestServeMultiAgentCounters(t *testing.T) {
	cfg := rlexamples.DefaultCountersConfig()
	build, _, err := rlexamples.CountersScenario(cfg)
	require.NoError(t, err)
	env, err := rl.NewMultiAgentEnv(build, 1)
	require.NoError(t, err)

	a := newAgent(t)
	turns := map[string]int{}
	a.run(func() error {
		var init pb.MultiAgentSimInitMsg
		if err := a.recv(&init); err != nil {
			return err
		}
		if len(init.ActSpaces) != cfg.Agents {
			return fmt.Errorf("%d action spaces", len(init.ActSpaces))
		}
		if err := a.send(&pb.SimInitAck{Done: true}); err != nil {
			return err
		}
		for {
			var st pb.MultiAgentEnvStateMsg
			if err := a.recv(&st); err != nil {
				return err
			}
			if st.AgentID == "" {
				if st.Reason != pb.MultiAgentEnvStateMsg_SimulationEnd {
					return fmt.Errorf("final reason %v", st.Reason)
				}
				return a.send(&pb.EnvActMsg{StopSimReq: true})
			}
			if st.Reward > 0 {
				return fmt.Errorf("reward %v above 0", st.Reward)
			}
			turns[st.AgentID]++
			if err := a.send(discreteAction(t, 5)); err != nil { // +0
				return err
			}
		}
	})
	res, err := ServeMultiAgent(context.Background(), env, a.config())
	require.NoError(t, err)
	require.NoError(t, a.wait())
	assert.Equal(t, map[string]int{"agent_0": 60, "agent_1": 60, "agent_2": 60}, turns)
	assert.Equal(t, SimulationEnd, res.Reason)
	assert.True(t, env.Done())
}
