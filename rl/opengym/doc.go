// Package opengym serves netgym environments to Python agents over
// ns3-gym's wire protocol (ZeroMQ + protobuf, package ns3opengym), so
// that agents written for ns3-gym (ns3gym.Ns3Env) and for DEFIANCE's
// multi-agent ns3-ai fork work unchanged against a netgym simulation. It
// is the first transport behind package agentlink's agent loop: Codec is
// the agentlink.Codec of the messages, ZMQTransport the
// agentlink.Transport that carries them, and DialLink joins the two into
// an agentlink.Link. Codec{Dialect: NS3AIGym} speaks ns3-ai's Gym
// messages on the same mapping of spaces and values, for the transport
// that carries ns3-ai's shared-memory buffers.
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
// Run drives an Env (Observe/Act) through that exchange, RunGym a
// Gymnasium-style GymEnv (Reset/Step, the shape of netgym's rl.Env), and
// RunMultiAgent / ServeMultiAgent / ServeScenario DEFIANCE's turn-based
// extension (MultiAgentSimInitMsg with a space per agent id,
// MultiAgentEnvStateMsg naming the agent whose turn it is, a final message
// with agent id ""): each is agentlink.Run over DialLink and an adapter
// (EnvLoop, GymLoop, MultiAgentLoop, agentlink.MultiAgentEnvLoop) that
// works over any other agentlink.Link as well. Bridge and
// MultiAgentBridge offer the same link step by step, for a simulation
// that drives itself.
//
// Neither side hangs when the other dies, and nothing runs in the
// background: ZMQTransport speaks ZMTP 3.0 directly on its TCP connection
// and bounds every exchange by Config.Timeout (default 10 s) through the
// connection's deadline, with no goroutine or timer per message; a closed
// connection is noticed at once (ErrPeerGone); a reply that is not the
// expected message, or whose action is not in the action space, closes
// the link with ErrMalformed. The errors are agentlink's.
//
// SpaceToProto, SpaceFromProto, ValueToProto and ValueFromProto map
// netgym's spaces and values (package spaces) to ns3-gym's
// SpaceDescription and DataContainer messages and back; their docs say
// how Box bounds (float32 on the wire, per-element bounds in DEFIANCE's
// lows/highs) and dict key order are handled. The generated messages are
// in package rl/opengym/pb; rl/opengym/proto holds the .proto and the
// script that regenerates them.
package opengym
