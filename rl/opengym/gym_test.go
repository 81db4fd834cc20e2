package opengym

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// gymEnv wraps countEnv in the Gymnasium shape: terminated at gameOverAt,
// truncated at endAt.
type gymEnv struct {
	*countEnv
	resetErr, stepErr error
}

func (g *gymEnv) Reset() (spaces.Value, map[string]string, error) {
	g.step = 0
	obs, _, _, info := g.Observe()
	return obs, map[string]string{"info": info}, g.resetErr
}

func (g *gymEnv) Step(a spaces.Value) (spaces.Value, float64, bool, bool, map[string]string, error) {
	if g.stepErr != nil {
		return nil, 0, false, false, nil, g.stepErr
	}
	_ = g.Act(a)
	obs, r, over, info := g.Observe()
	return obs, r, over, g.SimulationEnded(), map[string]string{"info": info}, nil
}

func TestRunGym(t *testing.T) {
	for _, tc := range []struct {
		name       string
		env        *gymEnv
		reason     pb.EnvStateMsg_Reason
		wantReason Reason
	}{
		{"terminated", &gymEnv{countEnv: newCountEnv(4, 0)}, pb.EnvStateMsg_GameOver, GameOver},
		{"truncated", &gymEnv{countEnv: newCountEnv(0, 4)}, pb.EnvStateMsg_SimulationEnd, SimulationEnd},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAgent(t)
			a.run(func() error {
				// Like playUntilGameOver, but info arrives as JSON.
				if _, err := a.handshake(false); err != nil {
					return err
				}
				for step := 0; ; step++ {
					var st pb.EnvStateMsg
					if err := a.recv(&st); err != nil {
						return err
					}
					if want := InfoString(map[string]string{"info": "step " + itoa(step)}); st.Info != want {
						return errors.New("info " + st.Info + ", want " + want)
					}
					if st.IsGameOver {
						if st.Reason != tc.reason {
							return errors.New("wrong reason " + st.Reason.String())
						}
						return a.send(&pb.EnvActMsg{StopSimReq: true})
					}
					if err := a.send(discreteAction(a.t, step%5)); err != nil {
						return err
					}
				}
			})
			res, err := RunGym(context.Background(), tc.env, a.config())
			require.NoError(t, err)
			require.NoError(t, a.wait())
			assert.Equal(t, Result{Steps: 5, GameOver: true, Reason: tc.wantReason}, res)
			assert.Len(t, tc.env.actions, 4)
		})
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestRunGymErrors(t *testing.T) {
	_, err := RunGym(context.Background(), nil, DefaultConfig())
	require.Error(t, err)
	boom := errors.New("boom")
	_, err = RunGym(context.Background(), &gymEnv{countEnv: newCountEnv(0, 0), resetErr: boom}, DefaultConfig())
	require.ErrorIs(t, err, boom)

	a := newAgent(t)
	a.run(func() error {
		if _, err := a.handshake(false); err != nil {
			return err
		}
		var st pb.EnvStateMsg
		if err := a.recv(&st); err != nil {
			return err
		}
		return a.send(discreteAction(a.t, 1))
	})
	res, err := RunGym(context.Background(), &gymEnv{countEnv: newCountEnv(0, 0), stepErr: boom}, a.config())
	require.ErrorIs(t, err, boom)
	require.NoError(t, a.wait())
	assert.Equal(t, 1, res.Steps)
	assert.Equal(t, "", InfoString(nil))
	assert.Equal(t, `{"a":"1","b":"2"}`, InfoString(map[string]string{"b": "2", "a": "1"}))
}
