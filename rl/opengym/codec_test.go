package opengym

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// ns3-ai's SimInitMsg: obsSpace = 1, actSpace = 2, nothing else, and every
// Any names package ns3_ai_gym.
func TestCodecNS3AIInit(t *testing.T) {
	obs := must(spaces.NewBox(0, 10, []int{5}, spaces.Uint))
	act := must(spaces.NewTuple(must(spaces.NewDiscrete(5)), must(spaces.NewBox(-1, 1, []int{2}, spaces.Float))))
	c := Codec{Dialect: NS3AIGym}
	b, err := c.AppendInit([]byte("prefix"), agentlink.SingleAgent(obs, act))
	require.NoError(t, err)
	require.Equal(t, "prefix", string(b[:6]), "appends")
	b = b[6:]
	var got []spaces.Space
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		require.GreaterOrEqual(t, n, 0)
		require.Equal(t, protowire.BytesType, typ)
		require.Equal(t, protowire.Number(len(got)+1), num, "obsSpace is field 1, actSpace field 2")
		b = b[n:]
		sub, n := protowire.ConsumeBytes(b)
		require.GreaterOrEqual(t, n, 0)
		b = b[n:]
		var d pb.SpaceDescription
		require.NoError(t, proto.Unmarshal(sub, &d))
		assert.Contains(t, d.Space.TypeUrl, "type.googleapis.com/ns3_ai_gym.")
		_, err := SpaceFromProto(&d)
		require.ErrorIs(t, err, ErrConvert, "ns3-gym's decoder refuses ns3-ai's type URLs")
		s, err := spaceFromProto(&d, 0, "ns3_ai_gym")
		require.NoError(t, err)
		got = append(got, s)
	}
	require.Len(t, got, 2)
	assert.Equal(t, obs.String(), got[0].String())
	assert.Equal(t, act.String(), got[1].String())

	// Without an action space only field 1 is sent.
	b, err = c.AppendInit(nil, agentlink.SingleAgent(obs, nil))
	require.NoError(t, err)
	num, _, _ := protowire.ConsumeTag(b)
	assert.Equal(t, protowire.Number(1), num)
	d, err := SpaceToProto(obs)
	require.NoError(t, err)
	assert.Len(t, b, 1+protowire.SizeVarint(uint64(proto.Size(d)))+proto.Size(d)-len("ns3opengym")+len("ns3_ai_gym"))

	_, err = c.AppendInit(nil, agentlink.MultiAgent(map[string]spaces.Space{"a": obs}, nil))
	require.ErrorContains(t, err, "single-agent")
	_, err = Codec{Dialect: 9}.AppendInit(nil, agentlink.SingleAgent(obs, act))
	require.ErrorContains(t, err, "unknown codec dialect Dialect(9)")
	assert.Equal(t, "NS3AIGym", NS3AIGym.String())
}

// A game of ns3-ai's Gym messages through the loop: the agent reads
// ns3_ai_gym observations and packs its actions in ns3_ai_gym Anys, as
// ns3-ai's Python Ns3Env does; an action packed by ns3-gym's agent (type
// URL ns3opengym) is refused.
func TestCodecNS3AIGame(t *testing.T) {
	for _, tc := range []struct {
		name    string
		pkg     string
		wantErr error
	}{
		{"ns3-ai agent", "ns3_ai_gym", nil},
		{"ns3-gym agent", "ns3opengym", ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var seen []spaces.Value
			agent := func(msg []byte) ([]byte, error) {
				if seen == nil { // the first message is SimInitMsg
					seen = []spaces.Value{}
					return proto.Marshal(&pb.SimInitAck{Done: true})
				}
				var st pb.EnvStateMsg
				require.NoError(t, proto.Unmarshal(msg, &st))
				obs, err := valueFromProtoIn(st.ObsData, nil, "ns3_ai_gym")
				require.NoError(t, err)
				seen = append(seen, obs)
				if st.IsGameOver {
					return proto.Marshal(&pb.EnvActMsg{StopSimReq: true})
				}
				a, err := anypb.New(&pb.DiscreteDataContainer{Data: 4})
				require.NoError(t, err)
				a.TypeUrl = "type.googleapis.com/" + tc.pkg + ".DiscreteDataContainer"
				return proto.Marshal(&pb.EnvActMsg{ActData: &pb.DataContainer{Type: pb.SpaceType_Discrete, Data: a}})
			}
			l, err := agentlink.NewMessageLink(&agentlink.Loopback{Respond: agent}, Codec{Dialect: NS3AIGym}, agentlink.DefaultLinkConfig())
			require.NoError(t, err)
			env := newCountEnv(2, 0)
			res, err := agentlink.Run(context.Background(), l, EnvLoop(env))
			if tc.wantErr != nil {
				require.ErrorIs(t, err, tc.wantErr)
				require.ErrorContains(t, err, `cannot unpack ns3_ai_gym.DiscreteDataContainer from "type.googleapis.com/ns3opengym.DiscreteDataContainer"`)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, agentlink.Result{Steps: 3, GameOver: true, Reason: GameOver}, res)
			assert.Equal(t, []spaces.Value{spaces.DiscreteValue(4), spaces.DiscreteValue(4)}, env.actions)
			require.Len(t, seen, 3)
			assert.Equal(t, spaces.UintBox(2, 2, 2, 2, 2), seen[2])
		})
	}
}
