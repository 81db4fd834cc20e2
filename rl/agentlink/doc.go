// Package agentlink is where a netgym simulation meets the world outside
// it, in both directions, each behind one small interface.
//
// # Direction 1: the simulation drives, an agent answers (Link)
//
// ns3-gym, DEFIANCE's multi-agent extension and ns3-ai's Gym interface
// all run the same turn loop: the simulation describes the agents'
// spaces, then at every turn hands one agent its state and waits for its
// action, until a final state or a stop request. Run is that loop,
// written once; Env is the simulation as the loop sees it and Link the
// agent as the simulation sees it. MessageLink is the Link of every wire
// protocol: a Codec turns the loop's messages into bytes (ns3-gym's and
// DEFIANCE's protobuf messages in package opengym) and a Transport only
// moves bytes, request then reply, each call bounded by a deadline
// (ZeroMQ over TCP in package opengym; ns3-ai's shared memory next; an
// in-memory Loopback for tests).
//
//	 simulation                 the loop                the agent, as the simulation sees it
//	 (Env)                      Run(ctx, link, env)     (Link = MessageLink: Codec + Transport)
//
//	 Spec() ──── spaces ──────▶ link.Init(spec) ─────▶ Codec.AppendInit ─▶ Transport.Send ──▶ ┐
//	                                      stop? ◀───── Codec.ParseInitReply ◀─ Transport.Recv ◀─┤
//	 Next() ─── Turn{agent, state} ─▶ link.Step ─────▶ Codec.AppendState ─▶ Send ─────────────▶ │ agent
//	 Act(agent, action) ◀── Action ◀──────────  ◀──── Codec.ParseReply ◀── Recv ◀───────────── │ (Python,
//	   ... one turn per decision ...                                                          │  Go, ...)
//	 Next() ─── final Turn (GameOver, Reason) ─▶ link.End ─▶ AppendState ─▶ Send ─▶ Recv ◀──── ┘
//	                                            link.Close
//
// A single-agent Spec has one agent, SingleAgentID; a multi-agent Spec
// names each agent, and its final message at the simulation's end goes
// to the empty agent id (DEFIANCE's NotifySimulationEnd). The final state
// says why the episode ended: GameOver (the env's own end, Gymnasium's
// terminated) or SimulationEnd (time ran out, truncated).
//
// Nothing waits forever and nothing spawns per message: MessageLink gives
// every exchange a deadline (LinkConfig.Timeout from a Clock that tests
// replace with a ManualClock), and transports honour deadlines on their
// connection, without a goroutine or a timer per exchange. A timeout, a
// dead peer or a malformed reply closes the link with an error matching
// ErrTimeout, ErrPeerGone or ErrMalformed.
//
// # Direction 2: an outside loop drives, the simulation answers (Stepper)
//
// NRP-core's engines (initialize, runLoopStep(dt), setDataPacks,
// getDataPacks, reset, shutdown) and a Gymnasium env run in the same
// process (reset(seed), step(action)) own the loop and the clock
// themselves: they advance the simulation by dt and read and write named
// data between steps. Stepper is that interface; ScenarioStepper
// implements it over the same scenario builders rl.MultiAgentEnv steps
// (a SeededBuilder takes the seed as well), so every RL scenario serves
// both directions.
//
//	 outside loop (NRP-core's FTI loop, a Python Gymnasium env, a Go test)
//	    │ Reset(seed, run)   Set("agent_0/action", a)   Advance(dt)   Get("agent_0/observation")   Now()   Done()
//	    ▼
//	 Stepper ── ScenarioStepper: data per agent (observation, reward, action, decisions,
//	    │                       terminated, truncated) + the scenario's own Datum list
//	    │ each decision of an agent application (InferAction) is answered at once with
//	    │ the agent's held action: a zero-order hold, no pause of the simulation
//	    ▼
//	 rl.Scenario: simulator, agent / observation / reward / action applications
//
// A Datum without a value yet reads as nil (NRP-core's empty datapack at
// t = 0). The two directions share the scenario builders, spaces and
// values (package spaces); a Stepper can also sit under a Link (a Go loop
// that advances by dt and sends each state to an agent), and a Link's
// agent can be driven by a Stepper-based engine on the other side.
package agentlink
