package agentlink_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/agentlink"
)

func TestSingleAgentLoop(t *testing.T) {
	tests := []struct {
		name     string
		ids      []string
		final    int
		reason   agentlink.Reason
		want     agentlink.Result
		wantActs []string
		wantLast string
	}{
		{"one agent, game over", []string{"a"}, 3, agentlink.GameOver,
			agentlink.Result{Steps: 4, GameOver: true, Reason: agentlink.GameOver},
			[]string{"a:0", "a:1", "a:0"}, `STATE |3|true|1|{"turn":"3"}|0`},
		{"one agent, simulation end (DEFIANCE's final message)", []string{"a"}, 2, agentlink.SimulationEnd,
			agentlink.Result{Steps: 3, GameOver: true, Reason: agentlink.SimulationEnd},
			[]string{"a:0", "a:1"}, `STATE |42|true|0||<nil>`},
		{"single-agent env unchanged", []string{""}, 2, agentlink.GameOver,
			agentlink.Result{Steps: 3, GameOver: true, Reason: agentlink.GameOver},
			[]string{":0", ":1"}, `STATE |2|true|1|{"turn":"2"}|2`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ag := &agent{policy: player(2)}
			l, _ := newLink(t, ag, nil)
			env := &turnEnv{ids: tc.ids, final: tc.final, reason: tc.reason}
			view, err := agentlink.SingleAgentLoop(env)
			require.NoError(t, err)
			assert.False(t, view.Spec().MultiAgent)
			res, err := agentlink.Run(context.Background(), l, view)
			require.NoError(t, err)
			assert.Equal(t, tc.want, res)
			assert.Equal(t, tc.wantActs, env.acts)
			assert.Equal(t, "INIT multi=false agents=", ag.got[0])
			assert.Equal(t, `STATE |0|false|0|{"turn":"0"}|0`, ag.got[1], "the agent's turn goes out as the single agent's")
			assert.Equal(t, tc.wantLast, ag.got[len(ag.got)-1])
		})
	}
}

func TestSingleAgentLoopErrors(t *testing.T) {
	_, err := agentlink.SingleAgentLoop(nil)
	require.EqualError(t, err, "agentlink: nil env")
	_, err = agentlink.SingleAgentLoop(&turnEnv{ids: []string{"a", "b"}})
	require.EqualError(t, err, "agentlink: a single-agent link needs exactly one agent; the env has 2 [a b] (serve it with multi-agent messages, e.g. ns3-gym's --openGymPort)")
	view, err := agentlink.SingleAgentLoop(&turnEnv{ids: []string{"a"}, final: -1})
	require.NoError(t, err)
	require.EqualError(t, view.Act("b", nil), `agentlink: action for agent "b" in a single-agent view`)
}
