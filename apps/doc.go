// Package apps holds the traffic applications an ns-3 user reaches for
// first, over netgym's UDP sockets, so they run on any node of an
// inet.Network whatever the technology below (point-to-point, 802.11a,
// tunnels, NR, the EPC):
//
//   - OnOff: ns-3's OnOffApplication with its exact timing (on and off
//     periods drawn from RandomVariables, DataRate, PacketSize, MaxBytes,
//     residual bits carried across periods); CBRConfig is the always-on
//     special case.
//   - PacketSink: ns-3's PacketSink, with totals, per-source counters and
//     a receive trace.
//   - UDPEchoServer and UDPEchoClient: ns-3's UdpEchoServer and
//     UdpEchoClient.
//
// BulkSendApplication is not here: it needs TCP, which netgym does not
// have yet; it will come with it.
//
// Every application is configured with a typed struct (ns-3's attributes
// and defaults, a Default...Config constructor, Validate), created with
// New..., and run with Start(at) and Stop(at), ns-3's start and stop
// times. Configuration errors (an unknown data-rate unit, a negative time,
// a port already bound) are returned by New... and Start, not met later.
// Rates are inet.DataRate; inet.ParseDataRate and OnOffConfig.SetDataRate
// read ns-3's strings ("10Mbps", "1.5Gb/s", "500kb/s").
//
// # Randomness and the start jitter
//
// Each application draws from its own named streams (sim.Simulator.Stream:
// "apps/onoff/node-3/10.1.1.1:9/on" and so on), so adding an application
// or a node never changes what another draws, and a run is reproduced bit
// for bit by its seed and run number. Random on/off durations are ns-3's
// RandomVariable types (ConstantVariable, UniformVariable,
// ExponentialVariable, ParetoVariable, ...) drawn with gonum's distuv.
//
// One deviation from ns-3, on purpose: OnOff and UDPEchoClient start at
// their start time plus a uniform draw in [0, StartJitter), 100 ms by
// default (DefaultStartJitter). ns-3 starts them exactly, so stations
// configured alike send their first packet, hence their first ARP
// request, in the same instant; their broadcasts collide, the ARP retries
// collide again one second later, and whole groups of senders never reach
// their destination. Set StartJitter to 0 to get ns-3's exact start.
// Sinks and servers, which only listen, start exactly.
//
// # Performance
//
// Sending and receiving allocate nothing per packet: packets come from
// the node's pool, events are scheduled with bound method values, and the
// sink's per-source table allocates once per new source.
package apps
