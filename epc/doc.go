// Package epc is netgym's evolved packet core: the SGW, PGW and MME of an
// LTE/NR network on sim/inet, the GTP-U tunnels that carry every UE's
// packets between its RAN node and the PGW, EPS bearers with their QoS and
// traffic flow templates, the attach and bearer procedures, and remote
// hosts behind the PGW. It is radio agnostic: a RAN (nr5g, mmwave, or the
// stand-in epc/stubran) plugs in through two small interfaces, RAN on the
// RAN node and UEAccess on the UE, and the NAS the core gives each UE.
//
// It reproduces two ns-3 helpers, chosen with Config.Variant:
// VariantNR is 5G-LENA nr-4.1's NrPointToPointEpcHelper (the same as
// ns-3.45's PointToPointEpcHelper) and VariantMmWave is ns3-mmwave's
// MmWavePointToPointEpcHelper. Their nodes, links, addresses, ports,
// message sizes and procedures follow ns-3's code (NrNoBackhaulEpcHelper,
// NrPointToPointEpcHelperBase, NrEpc{Gnb,Mme,Sgw,Pgw}Application,
// NrGtpc*Message, NrEpcTft, NrEpcTftClassifier, NrEpcUeNas, NrEpsBearer;
// ns3-mmwave's EpcSgwPgwApplication, EpcS1apEnb/Mme and EpcS1AP*Header).
//
// # Nodes and links
//
// VariantNR (5G-LENA): separate SGW, PGW and MME; S1-AP is a direct call
// between the RAN node and the MME; GTP-C travels over UDP 2123 on S11 and
// S5; GTP-U over UDP 2152 on S1-U and S5. All core links are 10 Gb/s, 0 s,
// MTU 2000 by default (X2 MTU 3000).
//
//	UE 7.0.0.2 ~~radio~~ RAN node 10.0.0.5 ==S1-U== 10.0.0.6 SGW 14.0.0.6 ==S5== 14.0.0.5 PGW 1.0.0.1 ==SGi== 1.0.0.2 remote host
//	                        :  (S1-AP: direct call)      13.0.0.6                  tun 7.0.0.1
//	                        :                               ||S11
//	                        '.......................... 13.0.0.5 MME
//
// VariantMmWave (ns3-mmwave): one SGW/PGW node; S1-AP travels over UDP
// 36412 on a link of its own from each RAN node to the MME (S1apLinkDelay
// 15 ms by default, NetRL sets 0; 10 Gb/s, MTU 10000); S11 is a direct
// call; S1-U is 10 Gb/s, 1 ms, MTU 2000; X2 100 Gb/s, 1 ms, MTU 10000.
//
//	UE 7.0.0.2 ~~radio~~ RAN node 10.0.0.5 ==S1-U== 10.0.0.6 SGW/PGW 1.0.0.1 ==SGi== 1.0.0.2 remote host
//	                     11.0.0.5                      tun 7.0.0.1
//	                        ||S1-AP                       : (S11: direct call)
//	                     11.0.0.6 MME ....................'
//
// Addresses come from the network's address plan (inet.AddressHelper), so
// that nothing else in the simulation can take them: the UE pool
// 7.0.0.0/8 (the PGW's tunnel device 7.0.0.1, UEs 7.0.0.2, 7.0.0.3, ...),
// and one /30 per link from 10/8 (S1-U), 11/8 (S1-AP), 12/8 (X2), 13/8
// (S11) and 14/8 (S5), the first block of each skipped as ns-3's helpers
// do; SetupRemoteHost numbers its link from 1.0.0.0/8. Pools that overlap
// are an error.
//
// # One packet's byte budget
//
// A UDP datagram of n payload bytes from a UE to a remote host:
//
//	UE -> RAN node (radio)   IPv4 20 + UDP 8 + n                        = n + 28 (what the RAN carries)
//	S1-U (RAN node -> SGW)   PPP 2 + IPv4 20 + UDP 8 + GTP-U 12 + n + 28 = n + 70 on the wire, n + 68 IPv4 bytes
//	S5-U (SGW -> PGW)        the same tunnel packet, same TEID            = n + 70 on the wire (VariantNR)
//	SGi (PGW -> remote host) PPP 2 + n + 28                               = n + 30 on the wire
//
// The tunnel adds TunnelOverhead = 40 bytes (outer IPv4 20, UDP 8, GTP-U
// 12 with ns-3's sequence-number and N-PDU flags set) to the user's IPv4
// packet. With the default S1-U MTU of 2000 a user IPv4 packet carries at
// most 1960 bytes (1932 bytes of UDP payload): netgym does not fragment, a
// larger one is dropped (DropSendFailed). Stats counts IPv4 bytes per
// interface and keeps the control plane apart: a Create Session Request
// with the default bearer is 136 bytes of GTP-C (164 in IPv4, 166 on the
// wire), its Response 118; ns3-mmwave's Initial UE Message is 41 bytes of
// S1-AP and its Initial Context Setup Request 79.
//
// # Bearers and TFTs
//
// Every UE gets the default bearer (Config.DefaultBearer, QCI 9, with the
// match-all TFT) when it is added; ActivateDedicatedBearer adds others
// with a QCI/5QI (tables of ns-3.45 for releases 11, 15 and 18; 5G-LENA's
// NrHelper uses 18, ns3-mmwave's table is release 15's) and a TFT of
// packet filters (remote and local address and mask, port ranges, type of
// service and mask, direction). Bearer ids are 1 to MaxBearers. The UE's
// NAS classifies uplink packets and the PGW downlink packets with ns-3's
// classifier: TFTs are tried from the highest id down (bearer id at the
// UE, TEID at the PGW), so the default bearer comes last; precedence
// orders filters inside one TFT only. The SGW allocates one TEID per
// bearer (1, 2, ...), used on S1-U and S5-U in both directions, as in
// ns-3.
//
// # Procedures
//
// Attach (a RAN node reports a connected UE with RANNode.InitialUEMessage):
// Initial UE Message (S1-AP) -> Create Session Request (S11, S5-C) with
// every bearer registered so far -> Create Session Response -> Initial
// Context Setup Request (S1-AP) -> the RAN node installs the tunnels and
// asks the RAN to set up the radio bearers (RAN.SetupBearer,
// RAN.InitialContextSetup). Dedicated bearers activated after attach take
// the network-initiated path of TS 23.401 5.4.1, which ns-3 lacks: Create
// Bearer Request (PGW -> SGW -> MME), E-RAB Setup Request and Response
// (S1-AP), Create Bearer Response (MME -> SGW -> PGW). Bearer release is
// RAN-initiated, as in ns-3: E-RAB Release Indication, Delete Bearer
// Command (MME -> PGW), Delete Bearer Request (PGW -> MME), Delete Bearer
// Response (MME -> PGW). OnControl reports each stage with its time, the
// interface, the entities and the message size.
//
// # The RAN's side
//
// A RAN implements RAN on each RAN node (bearer set-up and release,
// downlink delivery) and calls the RANNode the core returns from
// AddRANNode (InitialUEMessage, SendUplink, ReleaseIndication,
// UEContextRelease). On the UE's node it provides an inet.NetDevice whose
// Send hands IPv4 packets to the UE's NAS (UE.NAS().Send), which
// classifies them onto a bearer and calls the RAN's UEAccess.SendData; the
// RAN tells the NAS when the UE is connected (NotifyConnectionSuccessful).
// RRC, its messages and their timing belong to the RAN: epc/stubran
// models them as a fixed delay.
//
// # What is not modelled
//
// No IPv6 (ns-3's helpers also number UEs in 7777:f00d::/64), no X2-AP
// and no handover (AddX2 builds the link only; the Modify Bearer messages
// are defined but not sent), no detach, no paging or idle mode, no S1-AP
// over SCTP (ns3-mmwave carries it over UDP too), no GTP-C sequence
// numbers or retransmissions, no GTP-U echo. As in inet, the device queue
// (100 packets) is the only queue: ns-3.45 puts a queue disc in front of
// every device. The core's user plane allocates nothing per packet.
package epc
