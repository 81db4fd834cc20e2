// Package ns3ai is ns3-ai's message interface in Go: the shared-memory
// struct and vector exchange that ns3-ai (hust-diangroup/ns3-ai,
// model/msg-interface) uses between an ns-3 simulation (C++) and Python,
// without cgo or Boost.
//
// ns3-ai's Python side creates a Boost.Interprocess managed_shared_memory
// segment ("My Seg", 4096 bytes) holding three named objects: the
// C++-to-Python message, the Python-to-C++ message (each a C struct, or a
// boost::interprocess::vector of them) and a sync object of four 8-bit
// counters and an is-finished flag. The simulation only opens it. OpenStruct
// and OpenVector open such a segment (Boost 1.74's layout, Debian
// bookworm's, found by walking Boost's allocator and named-object index;
// other layouts, e.g. Boost 1.87's segment-manager ABI 2, are refused with
// ErrLayout and a message that says why) or one in netgym's own layout,
// which CreateStruct and CreateVector (and netgym's pure-Python client,
// python/netgym/ns3ai) create.
//
// The exchange is ns3-ai's strict ping-pong: the simulation side
// (Simulation) does SendBegin, writes Cpp2Py, SendEnd, then RecvBegin,
// reads Py2Cpp, RecvEnd; the agent side (Agent) mirrors it. Counters
// start at empty 1, full 0; a Begin waits for its counter and decrements
// it, an End increments the other. Go has no 8-bit compare-and-swap, so
// the counters are updated with a CAS on the aligned 32-bit word holding
// all four (its alignment is checked at open), which interoperates with
// ns3-ai's __sync_val_compare_and_swap on single bytes. Waits spin, then,
// when the peer is a netgym Go side on a netgym segment (it says so in the
// header's wakers word), block in the kernel (futex) until the peer's post
// wakes them; with any other peer (ns3-ai's, which only spin; netgym's
// Python side) they yield, then sleep. They end with ErrTimeout after
// Options.Timeout or with ErrPeerGone as soon as the peer process dies or
// its creator removes the segment: a dead peer is an error, never a spin
// forever.
// With HandleFinish, the simulation marks the end when it closes and the
// agent sees Finished after RecvBegin (ns3-ai's handleFinish).
//
// Transport moves byte messages (ns3-ai's Gym message layout, a buffer
// and a length) with Send and Recv under deadlines, the shape of the
// agent loop's byte transport.
//
// ns3-ai's Gym interface (model/gym-interface) sits on it: OpenGymLink
// and ServeGym serve a netgym env (package agentlink's loop) to ns3-ai's
// Python Ns3Env (gym.make("ns3ai_gym_env/Ns3-v0", ...)) or netgym's
// pure-Python one, with opengym's NS3AIGym codec in Ns3AiGymMsg buffers;
// errors match agentlink's (ErrTimeout, ErrPeerGone, ErrMalformed,
// ErrTooLarge). GymFlags are the --ns3ai flags of netgym's scenario
// binaries.
//
// docs/ns3ai.md describes the layouts, the ns3 launcher that lets ns3-ai's
// Experiment start netgym binaries, and the measured round-trip times.
package ns3ai
