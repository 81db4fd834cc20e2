// Package opengym serves netgym environments to Python agents over
// ns3-gym's wire protocol (ZeroMQ + protobuf, package ns3opengym), so
// that agents written for ns3-gym (ns3gym.Ns3Env) and for DEFIANCE's
// multi-agent ns3-ai fork work unchanged against a netgym simulation.
//
// netgym plays the simulation's side: a ZeroMQ REQ socket that connects
// to the agent's REP socket at tcp://localhost:<port> (default 5555) and
// sends requests that the agent answers:
//
//  1. SimInitMsg (process id, observation and action spaces), answered
//     by SimInitAck;
//  2. at each step EnvStateMsg (observation, reward, game over, info),
//     answered by EnvActMsg (the action, or a stop request);
//  3. at the end a state with isGameOver and reason GameOver (the env's
//     own end) or SimulationEnd (time ran out); the agent answers with a
//     stop request and the simulation stops cleanly.
//
// Bridge does this step by step for a simulation that drives itself; Run
// drives an Env (Observe/Act) in a loop and RunGym a Gymnasium-style
// GymEnv (Reset/Step, the shape of netgym's rl.Env). MultiAgentBridge and RunMultiAgent do the
// same for DEFIANCE's turn-based extension (MultiAgentSimInitMsg with a
// space per agent id, MultiAgentEnvStateMsg naming the agent whose turn
// it is, a final message with agent id "").
//
// Neither side hangs when the other dies: every exchange is bounded by
// Config.Timeout (default 10 s), a closed connection is noticed at once
// (ErrPeerGone), and a reply that is not the expected message, or whose
// action is not in the action space, closes the bridge with ErrMalformed.
//
// SpaceToProto, SpaceFromProto, ValueToProto and ValueFromProto map
// netgym's spaces and values (package spaces) to ns3-gym's
// SpaceDescription and DataContainer messages and back; their docs say
// how Box bounds (float32 on the wire, per-element bounds in DEFIANCE's
// lows/highs) and dict key order are handled. The generated messages are
// in package rl/opengym/pb; rl/opengym/proto holds the .proto and the
// script that regenerates them.
package opengym
