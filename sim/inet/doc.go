// Package inet is netgym's IPv4 stack and the place every technology
// installs onto. It follows ns-3 3.37's internet module (Ipv4L3Protocol,
// Ipv4Interface, Ipv4StaticRouting, ArpL3Protocol/ArpCache,
// Ipv4EndPointDemux, UdpL4Protocol/UdpSocketImpl, Icmpv4L4Protocol,
// Ipv4AddressHelper), its PointToPointNetDevice and VirtualNetDevice, and
// the Ping application of internet-apps, with the same defaults, and keeps
// their vocabulary: Node, NetDevice, Channel, Interface, Helper.
//
// # The pieces
//
//   - Network: one per simulation. Nodes made by it share one packet pool;
//     devices take their link-layer addresses from its allocator (MACs);
//     addresses come from its plan, through AddressHelper (ns-3's
//     Ipv4AddressHelper: one helper per purpose, e.g. a UE pool 7.0.0.0/8
//     and S1-U links in 10.0.0.0/30 blocks) or AssignAddress, and an
//     address handed out twice is an error. ConnectPointToPoint builds a
//     wire with its two devices and addresses (ConnectPointToPointFrom
//     with addresses from a helper); radios install with their
//     own helpers (mac80211.Install), so Wi-Fi, point-to-point backhaul,
//     NR and EPC nodes live in one simulation.
//   - NetDevice: the seam to a link. IP, ARP and the transport protocols
//     above never know which link is below. PointToPointDevice is a wire
//     with a drop-tail queue; TunDevice is a tunnel end whose Send hands
//     packets to a user function (GTP-U encapsulation) and whose Receive
//     re-injects decapsulated packets in a zero-delay event.
//   - Node and Interface: an interface is a device with one or more IPv4
//     addresses (the first is the primary; AddAddress adds more, each with
//     its connected route, none for /32 or /0). Packets addressed to any
//     address or broadcast address of any interface are delivered (ns-3's
//     weak end-system model); the others are forwarded if forwarding is on.
//   - Routing: ns-3's Ipv4StaticRouting. Host, network and default routes
//     in one table; the longest matching prefix wins, then the lowest
//     metric, then the route added last; the first /32 that matches wins
//     whatever its metric, as ns-3's LookupStatic stops there. Host routes
//     are indexed, so a PGW with a /32 per UE looks up in constant time;
//     lookups allocate nothing. The source address of a packet the node
//     originates is ns-3's SourceAddressSelection on the route's interface.
//   - ARP with ns-3's timers, retries, pending queue and request jitter,
//     answering for every address of an interface.
//   - Transport protocols: a registry from IP protocol number to an
//     L4Protocol (ns-3's IpL4Protocol); every node has UDP and ICMPv4, and
//     RegisterProtocol adds others, which send with SendIPv4.
//   - UDP sockets bound to a port on every address (Bind) or to one
//     address and port (BindAddr), with ns-3's Ipv4EndPointDemux rules: only
//     the same (address, port) conflicts, a datagram goes to the socket
//     bound to its destination address, else to the wildcard one; so one
//     node has a GTP-U endpoint on port 2152 per local address. The receive
//     callback gets a RecvInfo with the source, the local address the
//     datagram was sent to, the incoming interface, TTL and TOS.
//   - ICMPv4 echo: every node answers echo requests (8-byte ICMP header and
//     echo body plus the data; the checksum is counted, not computed), and
//     Ping sends requests at an interval and reports each RTT and a summary
//     as ns-3's Ping.
//   - Probes (IPv4Probe, Node.AddProbe) observe the IPv4 layer at ns-3's
//     Ipv4L3Protocol trace points (SendOutgoing, UnicastForward,
//     LocalDeliver, Drop), whatever the devices: the flow monitor attaches
//     to nodes this way. A node without probes pays nothing for them.
//   - pcap traces (package sim/pcap): point-to-point devices write PPP
//     frames, tunnel devices raw IP packets; EnablePcap traces one device,
//     EnablePcapInterface names the file as ns-3 does
//     ("prefix-node-interface.pcap") and Network.EnablePcapAll traces every
//     interface of every technology. Headers write their real bytes
//     (checksums included) only there.
//
// # What is not modelled
//
// By design, and different from ns-3: no IP fragmentation (a datagram
// whose IP packet exceeds the link MTU is refused with ErrMessageTooLarge,
// a forwarded one dropped with DropMTUExceeded); no ICMP error messages
// (a datagram for a closed port, a packet without a route or with an
// expired TTL is dropped and counted per reason, where ns-3 would answer
// with destination-unreachable or time-exceeded; received ICMP errors are
// ignored), so no path MTU discovery and no traceroute; no IP options, no
// IPv6, no TCP yet; multicast is sent as link-layer broadcast, without
// multicast routing; no traffic-control layer (ns-3's helpers put a
// 1000-packet pfifo_fast queue disc in front of each device: here the
// device queue is the only queue); no loopback interface: a packet to one
// of the node's own addresses is looped back in a zero-delay event, from
// that address, rather than sent out of the route's interface; sockets
// deliver datagrams to a callback at once instead of through a receive
// buffer, Connect does not filter what arrives (as ns-3's UDP), and
// sockets cannot be bound to a device or to a subnet address (ns-3's
// BindToNetDevice and its x.y.z.0 endpoints); a send from a socket bound to
// an address fails at once with ErrNoRoute when there is no route (ns-3
// drops it in IP); addresses cannot be removed from an interface. Ping
// tells its requests apart by the ICMP identifier (one per Ping on a node,
// from ns-3's 0xbeef) instead of an 8-byte signature in the data, and
// reports RTT statistics to the nanosecond instead of in whole
// milliseconds.
package inet
