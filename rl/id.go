package rl

import (
	"fmt"
	"strconv"
)

// ApplicationType is the role of an RL application (DEFIANCE's
// ApplicationType).
type ApplicationType uint8

// The four roles. Their order is DEFIANCE's.
const (
	ObservationApp ApplicationType = iota // collects observations and sends them to agents
	RewardApp                             // collects rewards and sends them to agents
	AgentApp                              // infers actions from observations and rewards
	ActionApp                             // executes actions sent by agents
)

// String returns "observation", "reward", "agent" or "action".
func (t ApplicationType) String() string {
	switch t {
	case ObservationApp:
		return "observation"
	case RewardApp:
		return "reward"
	case AgentApp:
		return "agent"
	case ActionApp:
		return "action"
	}
	return "ApplicationType(" + strconv.Itoa(int(t)) + ")"
}

// Valid reports whether t is one of the four roles.
func (t ApplicationType) Valid() bool { return t <= ActionApp }

// RlApplicationID identifies an RL application: its role and a number that
// is unique among the applications of that role (DEFIANCE's
// RlApplicationId). CommunicationHelper.SetIDs numbers each role from 0 in
// the order the applications were given.
type RlApplicationID struct {
	Type ApplicationType
	ID   uint32
}

// AgentID returns the ID of agent application n.
func AgentID(n uint32) RlApplicationID { return RlApplicationID{Type: AgentApp, ID: n} }

// ObservationID returns the ID of observation application n.
func ObservationID(n uint32) RlApplicationID { return RlApplicationID{Type: ObservationApp, ID: n} }

// RewardID returns the ID of reward application n.
func RewardID(n uint32) RlApplicationID { return RlApplicationID{Type: RewardApp, ID: n} }

// ActionID returns the ID of action application n.
func ActionID(n uint32) RlApplicationID { return RlApplicationID{Type: ActionApp, ID: n} }

// String returns the role and number joined by an underscore, e.g.
// "agent_3": the string id under which an environment knows an agent, as
// in DEFIANCE. (DEFIANCE names every other role "no_agent_<n>"; netgym
// names them "observation_<n>", "reward_<n>" and "action_<n>" so that the
// strings stay unique.)
func (id RlApplicationID) String() string {
	return id.Type.String() + "_" + strconv.FormatUint(uint64(id.ID), 10)
}

// ParseAgentID parses an agent's string id "agent_<n>".
func ParseAgentID(s string) (RlApplicationID, error) {
	const prefix = "agent_"
	if len(s) <= len(prefix) || s[:len(prefix)] != prefix {
		return RlApplicationID{}, fmt.Errorf("rl: agent id %q does not have the form agent_<n>", s)
	}
	n, err := strconv.ParseUint(s[len(prefix):], 10, 32)
	if err != nil {
		return RlApplicationID{}, fmt.Errorf("rl: agent id %q does not have the form agent_<n>", s)
	}
	return AgentID(uint32(n)), nil
}

// less orders ids by type, then number.
func (id RlApplicationID) less(o RlApplicationID) bool {
	if id.Type != o.Type {
		return id.Type < o.Type
	}
	return id.ID < o.ID
}
