package opengym

import (
	"fmt"
	"maps"
	"os"
	"slices"

	"google.golang.org/protobuf/proto"

	"github.com/netgym/netgym/rl/agentlink"
	"github.com/netgym/netgym/rl/opengym/pb"
	"github.com/netgym/netgym/spaces"
)

// Codec is the agentlink.Codec of ns3-gym's messages (package ns3opengym)
// and DEFIANCE's multi-agent extension of them, whatever carries the
// bytes:
//
//   - a single-agent spec is SimInitMsg (this process's id as
//     simProcessId, wafShellProcessId 0, the two spaces), answered by
//     SimInitAck; each state is EnvStateMsg (the info string is
//     State.Info, or State.InfoMap as JSON), answered by EnvActMsg;
//   - a multi-agent spec is MultiAgentSimInitMsg (spaces per agent id),
//     answered by SimInitAck; each state is MultiAgentEnvStateMsg naming
//     its agent (agent id "" for the final message at the simulation's
//     end), answered by EnvActMsg.
//
// A reply that does not parse as the expected message (including one
// that parses only with unknown fields, i.e. another message) is an
// error; so is an action that is not in the agent's action space (see
// ValueFromProto for how the action is adapted to it). An EnvActMsg
// without an action (possible in ns3-gym's protocol, never sent by its
// Python agent) is a nil action. Maps go out in sorted key order, so the
// same messages give the same bytes.
type Codec struct{}

var _ agentlink.Codec = Codec{}

var marshal = proto.MarshalOptions{Deterministic: true}

// AppendInit implements agentlink.Codec.
func (Codec) AppendInit(b []byte, spec agentlink.Spec) ([]byte, error) {
	if !spec.MultiAgent {
		msg := &pb.SimInitMsg{SimProcessId: uint64(os.Getpid())}
		var err error
		if s := spec.Obs[agentlink.SingleAgentID]; s != nil {
			if msg.ObsSpace, err = SpaceToProto(s); err != nil {
				return b, fmt.Errorf("observation space: %w", err)
			}
		}
		if s := spec.Act[agentlink.SingleAgentID]; s != nil {
			if msg.ActSpace, err = SpaceToProto(s); err != nil {
				return b, fmt.Errorf("action space: %w", err)
			}
		}
		return marshalAppend(b, "SimInitMsg", msg)
	}
	msg := &pb.MultiAgentSimInitMsg{
		ObsSpaces: make(map[string]*pb.SpaceDescription, len(spec.Obs)),
		ActSpaces: make(map[string]*pb.SpaceDescription, len(spec.Act)),
	}
	for _, m := range []struct {
		name string
		in   map[string]spaces.Space
		out  map[string]*pb.SpaceDescription
	}{{"observation", spec.Obs, msg.ObsSpaces}, {"action", spec.Act, msg.ActSpaces}} {
		for _, id := range slices.Sorted(maps.Keys(m.in)) {
			if m.in[id] == nil {
				continue
			}
			d, err := SpaceToProto(m.in[id])
			if err != nil {
				return b, fmt.Errorf("%s space of agent %q: %w", m.name, id, err)
			}
			m.out[id] = d
		}
	}
	return marshalAppend(b, "MultiAgentSimInitMsg", msg)
}

// ParseInitReply implements agentlink.Codec: the reply is SimInitAck.
func (Codec) ParseInitReply(msg []byte) (bool, error) {
	var ack pb.SimInitAck
	if err := unmarshal(msg, &ack); err != nil {
		return false, err
	}
	return ack.StopSimReq, nil
}

// AppendState implements agentlink.Codec.
func (Codec) AppendState(b []byte, spec agentlink.Spec, agent string, st agentlink.State) ([]byte, error) {
	var obs *pb.DataContainer
	if st.Obs != nil {
		var err error
		if obs, err = ValueToProto(st.Obs); err != nil {
			if agent == agentlink.SingleAgentID {
				return b, fmt.Errorf("observation: %w", err)
			}
			return b, fmt.Errorf("observation of agent %q: %w", agent, err)
		}
	}
	if !spec.MultiAgent {
		msg := &pb.EnvStateMsg{ObsData: obs, Reward: float32(st.Reward), IsGameOver: st.GameOver, Info: st.Info}
		if msg.Info == "" {
			msg.Info = agentlink.InfoString(st.InfoMap)
		}
		if st.GameOver {
			msg.Reason = pb.EnvStateMsg_Reason(st.Reason)
		}
		return marshalAppend(b, "EnvStateMsg", msg)
	}
	msg := &pb.MultiAgentEnvStateMsg{
		ObsData: obs, AgentID: agent, Reward: float32(st.Reward), IsGameOver: st.GameOver, Info: st.InfoMap,
	}
	if st.GameOver {
		msg.Reason = pb.MultiAgentEnvStateMsg_Reason(st.Reason)
	}
	return marshalAppend(b, "MultiAgentEnvStateMsg", msg)
}

// ParseReply implements agentlink.Codec: the reply is EnvActMsg.
func (Codec) ParseReply(msg []byte, act spaces.Space, final bool) (agentlink.Action, error) {
	var rep pb.EnvActMsg
	if err := unmarshal(msg, &rep); err != nil {
		return agentlink.Action{}, err
	}
	if final || rep.StopSimReq {
		return agentlink.Action{Stop: rep.StopSimReq}, nil
	}
	d := rep.ActData
	if d == nil || (d.Type == pb.SpaceType_NoSpaceType && d.Data == nil) {
		return agentlink.Action{}, nil
	}
	v, err := ValueFromProto(d, act)
	if err != nil {
		return agentlink.Action{}, fmt.Errorf("action: %w", err)
	}
	return agentlink.Action{Value: v}, nil
}

func marshalAppend(b []byte, what string, m proto.Message) ([]byte, error) {
	out, err := marshal.MarshalAppend(b, m)
	if err != nil {
		return b, fmt.Errorf("opengym: marshal %s: %w", what, err)
	}
	return out, nil
}

// unmarshal parses msg as m, refusing unknown fields: a message that only
// parses with unknown fields is another message.
func unmarshal(msg []byte, m proto.Message) error {
	if err := proto.Unmarshal(msg, m); err != nil {
		return fmt.Errorf("does not parse as %s: %v", m.ProtoReflect().Descriptor().Name(), err)
	}
	if u := m.ProtoReflect().GetUnknown(); len(u) > 0 {
		return fmt.Errorf("does not parse as %s (%d bytes of unknown fields)", m.ProtoReflect().Descriptor().Name(), len(u))
	}
	return nil
}
