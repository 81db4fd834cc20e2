package opengym

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"
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
//
// The zero Codec speaks ns3-gym's dialect; Dialect NS3AIGym speaks ns3-ai's
// Gym interface, for a transport that carries ns3-ai's buffers.
//
// The per-step messages take a fast path (wire.go) that writes states
// and reads Discrete and Box actions with protowire straight into and out
// of the caller's buffers: a step of a Box observation and a Discrete
// action allocates nothing (a Box action allocates its value). Its bytes
// are those of proto.Marshal on the pb messages, byte for byte; whatever
// it does not handle (Tuple and Dict actions, malformed replies, values
// the general path refuses) goes through the pb messages as before.
type Codec struct {
	// Dialect selects the variant of the messages.
	Dialect Dialect
}

var _ agentlink.Codec = Codec{}

// Dialect is a variant of ns3-gym's messages.
type Dialect uint8

const (
	// NS3Gym is ns3-gym's protocol (package ns3opengym), with DEFIANCE's
	// multi-agent messages.
	NS3Gym Dialect = iota
	// NS3AIGym is ns3-ai's Gym interface (package ns3_ai_gym,
	// hust-diangroup/ns3-ai model/gym-interface/messages.proto): the
	// same space, data, state, action and acknowledgement messages,
	// field for field, except that SimInitMsg holds only obsSpace
	// (field 1) and actSpace (field 2), and that the type URLs of the
	// Any fields name package ns3_ai_gym (its Python side unpacks
	// nothing else). Single-agent only.
	NS3AIGym
)

// String returns "NS3Gym" or "NS3AIGym".
func (d Dialect) String() string {
	switch d {
	case NS3Gym:
		return "NS3Gym"
	case NS3AIGym:
		return "NS3AIGym"
	}
	return fmt.Sprintf("Dialect(%d)", uint8(d))
}

func (d Dialect) pkg() (string, error) {
	switch d {
	case NS3Gym:
		return ns3gymPackage, nil
	case NS3AIGym:
		return "ns3_ai_gym", nil
	}
	return "", fmt.Errorf("opengym: unknown codec dialect %v", d)
}

var marshal = proto.MarshalOptions{Deterministic: true}

// AppendInit implements agentlink.Codec.
func (c Codec) AppendInit(b []byte, spec agentlink.Spec) ([]byte, error) {
	pkg, err := c.Dialect.pkg()
	if err != nil {
		return b, err
	}
	if c.Dialect == NS3AIGym && spec.MultiAgent {
		return b, errors.New("opengym: ns3-ai's Gym messages are single-agent")
	}
	if !spec.MultiAgent {
		var obs, act *pb.SpaceDescription
		if s := spec.Obs[agentlink.SingleAgentID]; s != nil {
			if obs, err = spaceToProto(s, 0, pkg); err != nil {
				return b, fmt.Errorf("observation space: %w", err)
			}
		}
		if s := spec.Act[agentlink.SingleAgentID]; s != nil {
			if act, err = spaceToProto(s, 0, pkg); err != nil {
				return b, fmt.Errorf("action space: %w", err)
			}
		}
		if c.Dialect == NS3AIGym {
			return appendNS3AIInit(b, obs, act)
		}
		msg := &pb.SimInitMsg{SimProcessId: uint64(os.Getpid()), ObsSpace: obs, ActSpace: act}
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
			d, err := spaceToProto(m.in[id], 0, pkg)
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

// appendNS3AIInit appends ns3-ai's SimInitMsg: obsSpace = 1, actSpace = 2
// (each omitted when nil, as proto3 does).
func appendNS3AIInit(b []byte, obs, act *pb.SpaceDescription) ([]byte, error) {
	for i, d := range []*pb.SpaceDescription{obs, act} {
		if d == nil {
			continue
		}
		sub, err := marshal.Marshal(d)
		if err != nil {
			return b, fmt.Errorf("opengym: marshal SimInitMsg: %w", err)
		}
		b = protowire.AppendTag(b, protowire.Number(i+1), protowire.BytesType)
		b = protowire.AppendBytes(b, sub)
	}
	return b, nil
}

// AppendState implements agentlink.Codec.
func (c Codec) AppendState(b []byte, spec agentlink.Spec, agent string, st agentlink.State) ([]byte, error) {
	pkg, err := c.Dialect.pkg()
	if err != nil {
		return b, err
	}
	if out, ok := appendStateFast(b, c.Dialect, spec, agent, st); ok {
		return out, nil
	}
	return appendStateProto(b, pkg, spec, agent, st)
}

// appendStateProto is AppendState's general path: the pb message,
// marshalled.
func appendStateProto(b []byte, pkg string, spec agentlink.Spec, agent string, st agentlink.State) ([]byte, error) {
	var (
		obs *pb.DataContainer
		err error
	)
	if st.Obs != nil {
		if obs, err = valueToProtoIn(st.Obs, pkg); err != nil {
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
func (c Codec) ParseReply(msg []byte, act spaces.Space, final bool) (agentlink.Action, error) {
	pkg, err := c.Dialect.pkg()
	if err != nil {
		return agentlink.Action{}, err
	}
	if a, ok := parseReplyFast(msg, act, final, c.Dialect); ok {
		return a, nil
	}
	return parseReplyProto(msg, act, final, pkg)
}

// parseReplyProto is ParseReply's general path: proto.Unmarshal into the
// pb message, then the conversion.
func parseReplyProto(msg []byte, act spaces.Space, final bool, pkg string) (agentlink.Action, error) {
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
	v, err := valueFromProtoIn(d, act, pkg)
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
