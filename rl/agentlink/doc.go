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
// (ZeroMQ over TCP in package opengym; ns3-ai's shared memory in package
// ns3ai; an in-memory Loopback for tests).
//
//	simulation (Env)          Run(ctx, link, env)           agent side (Link)
//	----------------          -------------------           --------------------------------
//	Spec()  --- spaces ---->  link.Init(spec)      ---->    MessageLink
//	                          stop? <-------------------      Codec: loop messages <-> bytes
//	Next()  --- Turn ------>  link.Step(agent, st) ---->      Transport: Send(bytes, deadline)
//	Act(agent, action) <----  Action / stop        <----                 Recv(buf, deadline)
//	   ... one turn per decision of an agent ...                 |
//	Next()  --- final Turn -> link.End(agent, st)  ---->         | ZeroMQ/TCP (opengym),
//	            (GameOver, Reason)                               | shared memory (ns3-ai),
//	                          link.Close()                       | Loopback (tests)
//	                                                             v
//	                                                    agent (Python ns3-gym, DEFIANCE, Go)
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
//	outside loop: NRP-core's FTI loop, a Python Gymnasium env, a Go test
//	     |  Reset(seed, run)  Set("agent_0/action", a)  Advance(dt)
//	     |  Get("agent_0/observation")  Now()  Done()  Data()
//	     v
//	Stepper = ScenarioStepper
//	     |  data per agent: observation, reward, action (settable),
//	     |  decisions, terminated, truncated; plus the scenario's Datum list
//	     |  every decision (InferAction) is answered at once with the
//	     |  agent's held action: a zero-order hold, the simulation never pauses
//	     v
//	rl.Scenario (built by a SeededBuilder): simulator, RL applications
//
// A datum without a value yet reads as nil (NRP-core's empty datapack at
// t = 0). Both directions share the scenario builders and the spaces and
// values of package spaces.
package agentlink
