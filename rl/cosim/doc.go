// Package cosim couples simulators the way NRP-core (the Neurorobotics
// Platform's core) does, so that a netgym network simulation can sit
// between a controller and a physical, robot or game simulation, with
// transceiver functions as the glue.
//
// Engines are simulators with their own time steps (int64 nanoseconds);
// data move between them as datapacks (DataPack: a name, an engine, JSON
// or spaces data; empty when an engine has nothing yet). Loop is NRP-core's
// FTI loop: each step takes the engines due next, fetches their datapacks,
// runs the preprocessing functions linked to them, then their transceiver
// functions and the status function, hands each transceiver output to its
// engine if and only if that engine is synchronized in the same step, and
// starts the due engines' next steps. All engines are synchronized at
// t = 0. Two engines of 1 ms and 3 ms meet every 3 ms:
//
//	t (ms)      0    1    2    3    4    5    6
//	engine a    *    *    *    *    *    *    *     (1 ms)
//	engine b    *              *              *     (3 ms)
//	TF -> b     sent dropped dropped sent ...       (only when b is due)
//
//	           +------------------- Loop (one goroutine) -------------------+
//	           | queue of engines by the end of their step                  |
//	           | due engines: wait -> getDataPacks -> PFs -> TFs + status   |
//	           |              -> setDataPacks (due engines only) -> step    |
//	           +---+----------------+------------------+--------------------+
//	               |                |                  |
//	    StepperEngine          JSONEngine          GRPCEngine
//	    (netgym in process,    (Python engine:     (gRPC engine server
//	    any agentlink.Stepper)  pipe; JSON/REST     at an address)
//	                            server: HTTP)
//
// Functions are written in Go (GoFunction: in process, no conversion) or in
// Python with NRP-core's decorators (TransceiverFunction, EngineDataPack,
// PreprocessingFunction, PreprocessedDataPack, StatusFunction; package
// netgym.nrp, which also answers NRP-core's own import paths), loaded from
// the files a simulation configuration lists and run in one Python process
// (LoadPythonFunctions), one round trip per loop phase. Python engines
// subclass EngineScript (NRP-core's python_json style) and run in their
// own processes; netgym talks to them in JSON lines on pipes (the same
// routes and bodies as NRP-core's JSON engine protocol). SimulationConfig
// reads NRP-core's simulation configuration schema; NewExperiment makes its
// engines through a Registry of engine types and its functions, ready to
// Run.
//
// Errors name the engine and the command (EngineError), or the function,
// its engine and the time; an engine that dies (ErrEngineGone, with the end
// of its output) or outlives its EngineCommandTimeout (ErrEngineTimeout)
// stops the loop, and Run shuts every engine down. Same seeds, same
// results: the loop serves engines and functions in a fixed order and
// nothing depends on wall time except the timeouts.
//
// The other direction, netgym as an engine of a real NRP-core, is package
// engineserver (both of NRP-core's engine protocols) and the nrp-engine
// binary; netgym's own engines (EngineType "netgym") are in netgymengine,
// the Wi-Fi relay they use in wifirelay. docs/nrp-core.md has the
// configurations, the protocols and the CartPole example.
package cosim
