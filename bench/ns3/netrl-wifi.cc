// SPDX-License-Identifier: GPL-2.0-only
//
// netrl-wifi.cc: NetRL's single-link Wi-Fi ad-hoc backend scenario, written
// for ns-3 3.37 as a peer reference for netgym's drop-in binary.
//
// Scenario (as in NetRL's src/ns3_wifi_sim.cc, read for facts only):
//   node 0 (sender, "STA") at (0,0,0), node 1 (receiver, "AP") at (d,0,0);
//   802.11a, AdhocWifiMac, ConstantRateWifiManager DataMode OfdmRate54Mbps,
//   ControlMode OfdmRate6Mbps; YansWifiChannel with ConstantSpeed delay and
//   LogDistance loss (exponent --loss-exp, reference 1 m / 46.6777 dB);
//   YansWifiPhy TxPowerStart = TxPowerEnd = --tx-power, all else default
//   (TableBasedErrorRateModel, 7 dB noise figure); IPv4 10.1.1.0/24
//   (sender 10.1.1.1, receiver 10.1.1.2), default InternetStack (ARP, FqCoDel
//   queue disc); a UDP socket on the sender connected to 10.1.1.2:9, a UDP
//   socket on the receiver bound to 0.0.0.0:9.
//   Retry limit: NetRL sets WifiMac/FrameRetryLimit, which only exists from
//   ns-3 3.43; in 3.37 the equivalent is WifiRemoteStationManager MaxSsrc
//   (frames <= RtsCtsThreshold, i.e. all of ours) and MaxSlrc, set here by
//   Config::SetDefault to --retries: a frame is sent at most --retries times.
//   Payload: 4-byte big-endian step id, zero-padded to max(pkt_size, 4).
//   Warm-up: run max(310 ms, 2*step) before READY; that instant is "start".
//
// Modes:
//   default          line protocol of netgym's shared/netrl-protocol.md on
//                    stdin/stdout: TRANSMIT, FLUSH, RESET, QUIT, plus
//                    STEP <t> [size] (= TRANSMIT t + FLUSH t, one RECV reply).
//   --inproc-steps=N skip stdin; run N steps (transmit t, flush t) in a C++
//                    loop, print steps/s, delivery and lateness statistics.
//
// Timing: step t is [start + t*step, start + (t+1)*step); its packet is sent
// at start + t*step + 0.01*step, exact to the nanosecond. --netrl-timing=1
// reproduces NetRL's arithmetic instead: "now" read as whole milliseconds and
// delays passed to MilliSeconds(double), which in ns-3 binds to the uint64_t
// overload and truncates (so at 1 ms steps the packet leaves at the very start
// of the step, and fractional step sizes drift).

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/traffic-control-module.h"
#include "ns3/wifi-module.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
// ---- configuration (flags) ----
double g_stepMs = 1.0;
double g_distance = 10.0;
double g_txPower = 20.0;
double g_lossExp = 3.0;
uint32_t g_retries = 7;
int g_pktSize = 64;
bool g_netrlTiming = false;

// ---- per-scenario state (rebuilt on RESET) ----
NodeContainer g_nodes;
NetDeviceContainer g_devices;
Ptr<Socket> g_tx;
Ptr<Socket> g_rx;
Time g_start;                   // end of warm-up = start of step 0
double g_startMs = 0.0;         // the same in ms, unrounded (NetRL's g_simStartMs)
std::vector<uint32_t> g_arrived; // ids received during the current FLUSH

// ---- diagnostics (inproc mode) ----
uint64_t g_macDataFailed = 0;                // failed data-frame attempts (no ACK)
std::map<int, uint64_t> g_macDrops;          // WifiMac DroppedMpdu by reason
uint64_t g_arpDrops = 0;                     // ARP pending-queue / wait-reply drops

int64_t
StepNs()
{
    return std::llround(g_stepMs * 1e6);
}

// Receive callback on the receiver socket: record the step id of each packet
// in callback order (as NetRL does; packets shorter than 4 bytes are ignored).
void
OnReceive(Ptr<Socket> s)
{
    Ptr<Packet> p;
    Address from;
    while ((p = s->RecvFrom(from)))
    {
        if (p->GetSize() >= 4)
        {
            uint8_t b[4];
            p->CopyData(b, 4);
            g_arrived.push_back((uint32_t(b[0]) << 24) | (uint32_t(b[1]) << 16) |
                                (uint32_t(b[2]) << 8) | uint32_t(b[3]));
        }
    }
}

// Send the packet of one step: big-endian id, zero padding.
void
DoSend(uint32_t id, int size)
{
    std::vector<uint8_t> buf(std::max(size, 4), 0);
    buf[0] = id >> 24;
    buf[1] = id >> 16;
    buf[2] = id >> 8;
    buf[3] = id;
    g_tx->Send(Create<Packet>(buf.data(), buf.size()));
}

void
OnMacDataFailed(Mac48Address)
{
    ++g_macDataFailed;
}

void
OnMacDrop(WifiMacDropReason r, Ptr<const WifiMpdu>)
{
    ++g_macDrops[int(r)];
}

void
OnArpDrop(Ptr<const Packet>)
{
    ++g_arpDrops;
}

// Build the scenario and run the warm-up.
void
Build()
{
    Config::SetDefault("ns3::WifiRemoteStationManager::MaxSsrc", UintegerValue(g_retries));
    Config::SetDefault("ns3::WifiRemoteStationManager::MaxSlrc", UintegerValue(g_retries));

    g_nodes.Create(2);

    YansWifiChannelHelper channel;
    channel.SetPropagationDelay("ns3::ConstantSpeedPropagationDelayModel");
    channel.AddPropagationLoss("ns3::LogDistancePropagationLossModel",
                               "Exponent", DoubleValue(g_lossExp),
                               "ReferenceDistance", DoubleValue(1.0),
                               "ReferenceLoss", DoubleValue(46.6777));
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());
    phy.Set("TxPowerStart", DoubleValue(g_txPower));
    phy.Set("TxPowerEnd", DoubleValue(g_txPower));

    WifiMacHelper mac;
    mac.SetType("ns3::AdhocWifiMac");
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                 "DataMode", StringValue("OfdmRate54Mbps"),
                                 "ControlMode", StringValue("OfdmRate6Mbps"));
    g_devices = wifi.Install(phy, mac, g_nodes);

    Ptr<ListPositionAllocator> pos = CreateObject<ListPositionAllocator>();
    pos->Add(Vector(0.0, 0.0, 0.0));        // sender
    pos->Add(Vector(g_distance, 0.0, 0.0)); // receiver
    MobilityHelper mobility;
    mobility.SetPositionAllocator(pos);
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(g_nodes);

    InternetStackHelper internet;
    internet.Install(g_nodes);
    Ipv4AddressHelper ipv4;
    ipv4.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifaces = ipv4.Assign(g_devices);

    TypeId udp = TypeId::LookupByName("ns3::UdpSocketFactory");
    g_rx = Socket::CreateSocket(g_nodes.Get(1), udp);
    g_rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    g_rx->SetRecvCallback(MakeCallback(&OnReceive));
    g_tx = Socket::CreateSocket(g_nodes.Get(0), udp);
    g_tx->Connect(InetSocketAddress(ifaces.GetAddress(1), 9));

    // Diagnostics on the sender.
    Ptr<WifiNetDevice> dev = DynamicCast<WifiNetDevice>(g_devices.Get(0));
    dev->GetRemoteStationManager()->TraceConnectWithoutContext(
        "MacTxDataFailed", MakeCallback(&OnMacDataFailed));
    dev->GetMac()->TraceConnectWithoutContext("DroppedMpdu", MakeCallback(&OnMacDrop));
    g_nodes.Get(0)->GetObject<ArpL3Protocol>()->TraceConnectWithoutContext(
        "Drop", MakeCallback(&OnArpDrop));
    Config::ConnectWithoutContext("/NodeList/" + std::to_string(g_nodes.Get(0)->GetId()) +
                                      "/$ns3::ArpL3Protocol/CacheList/*/Drop",
                                  MakeCallback(&OnArpDrop));

    // Warm-up: max(310 ms, 2 * step).
    double warmMs = std::max(310.0, 2.0 * g_stepMs);
    g_startMs = warmMs;
    g_start = g_netrlTiming ? MilliSeconds(static_cast<uint64_t>(warmMs))
                            : NanoSeconds(std::llround(warmMs * 1e6));
    Simulator::Stop(g_start);
    Simulator::Run();
}

void
Reset()
{
    Simulator::Destroy();
    g_nodes = NodeContainer();
    g_devices = NetDeviceContainer();
    g_tx = nullptr;
    g_rx = nullptr;
    g_arrived.clear();
    g_macDataFailed = 0;
    g_macDrops.clear();
    g_arpDrops = 0;
    Build();
}

// TRANSMIT: schedule the send of step `id`'s packet.
void
Transmit(uint32_t id, int size)
{
    Time delay;
    if (g_netrlTiming)
    {
        double sendMs = g_startMs + id * g_stepMs + g_stepMs * 0.01;
        double d = sendMs - double(Simulator::Now().GetMilliSeconds());
        delay = d > 0.0 ? MilliSeconds(static_cast<uint64_t>(d)) : NanoSeconds(1);
    }
    else
    {
        Time at = g_start + NanoSeconds(int64_t(id) * StepNs() + std::llround(g_stepMs * 1e4));
        delay = at > Simulator::Now() ? at - Simulator::Now() : NanoSeconds(1);
    }
    Simulator::Schedule(delay, &DoSend, id, size);
}

// FLUSH: run to the end of step `id`; g_arrived then holds the ids received.
void
Flush(uint32_t id)
{
    g_arrived.clear();
    Time delay;
    if (g_netrlTiming)
    {
        double endMs = g_startMs + (id + 1.0) * g_stepMs;
        double d = endMs - double(Simulator::Now().GetMilliSeconds());
        if (d <= 0.0)
        {
            return;
        }
        delay = MilliSeconds(static_cast<uint64_t>(d));
    }
    else
    {
        Time end = g_start + NanoSeconds((int64_t(id) + 1) * StepNs());
        if (end <= Simulator::Now())
        {
            return;
        }
        delay = end - Simulator::Now();
    }
    Simulator::Stop(delay);
    Simulator::Run();
}

std::string
RecvLine()
{
    std::ostringstream o;
    o << "RECV";
    for (uint32_t id : g_arrived)
    {
        o << ' ' << id;
    }
    return o.str();
}

// In-process reference: N steps of transmit+flush in a loop, timed.
int
RunInproc(uint32_t n)
{
    std::vector<int64_t> firstArrival(n, -1);
    uint64_t received = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (uint32_t t = 0; t < n; ++t)
    {
        Transmit(t, g_pktSize);
        Flush(t);
        for (uint32_t id : g_arrived)
        {
            ++received;
            if (id < n && firstArrival[id] < 0)
            {
                firstArrival[id] = t;
            }
        }
    }
    double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    // Lateness = flush step of first arrival - step sent.
    uint64_t delivered = 0;
    uint64_t lateSum = 0;
    int64_t lateMax = 0;
    std::vector<uint64_t> hist(6, 0); // 0,1,2,3,4,5+
    for (uint32_t t = 0; t < n; ++t)
    {
        if (firstArrival[t] < 0)
        {
            continue;
        }
        int64_t late = firstArrival[t] - t;
        ++delivered;
        lateSum += late;
        lateMax = std::max(lateMax, late);
        ++hist[std::min<int64_t>(late, 5)];
    }
    Ptr<TrafficControlLayer> tc = g_nodes.Get(0)->GetObject<TrafficControlLayer>();
    Ptr<QueueDisc> qd = tc->GetRootQueueDiscOnDevice(g_devices.Get(0));
    uint32_t qdDrops = qd ? qd->GetStats().nTotalDroppedPackets : 0;

    std::cout << "steps=" << n << " wall_s=" << sec << " steps_per_s=" << n / sec
              << " distance=" << g_distance << " delivered=" << delivered
              << " frac=" << double(delivered) / n << " dup=" << (received - delivered)
              << " late_mean=" << (delivered ? double(lateSum) / delivered : 0.0)
              << " late_max=" << lateMax << " late_hist_0_1_2_3_4_5p=" << hist[0] << ','
              << hist[1] << ',' << hist[2] << ',' << hist[3] << ',' << hist[4] << ',' << hist[5]
              << " mac_data_failed=" << g_macDataFailed
              << " drop_retry_limit=" << g_macDrops[WIFI_MAC_DROP_REACHED_RETRY_LIMIT]
              << " drop_expired=" << g_macDrops[WIFI_MAC_DROP_EXPIRED_LIFETIME]
              << " drop_enqueue=" << g_macDrops[WIFI_MAC_DROP_FAILED_ENQUEUE]
              << " drop_arp=" << g_arpDrops << " drop_qdisc=" << qdDrops << " qdisc="
              << (qd ? qd->GetInstanceTypeId().GetName() : std::string("none"))
              << " events=" << Simulator::GetEventCount()
              << " sim_now_ms=" << Simulator::Now().GetNanoSeconds() / 1e6 << std::endl;
    Simulator::Destroy();
    return 0;
}
} // namespace

int
main(int argc, char* argv[])
{
    signal(SIGPIPE, SIG_IGN);
    LogComponentDisableAll(LOG_LEVEL_ALL);

    uint32_t inproc = 0;
    CommandLine cmd(__FILE__);
    cmd.AddValue("step-ms", "step duration in ms", g_stepMs);
    cmd.AddValue("distance", "sender-receiver distance in m", g_distance);
    cmd.AddValue("tx-power", "tx power in dBm", g_txPower);
    cmd.AddValue("loss-exp", "log-distance path-loss exponent", g_lossExp);
    cmd.AddValue("retries", "max transmissions of a frame (MaxSsrc/MaxSlrc)", g_retries);
    cmd.AddValue("pkt-size", "default UDP payload bytes", g_pktSize);
    cmd.AddValue("netrl-timing", "reproduce NetRL's whole-ms time arithmetic", g_netrlTiming);
    cmd.AddValue("inproc-steps", "run N steps in-process and print steps/s", inproc);
    cmd.Parse(argc, argv);

    Build();
    if (inproc > 0)
    {
        return RunInproc(inproc);
    }
    std::cout << "READY" << std::endl;

    std::string line;
    while (std::getline(std::cin, line))
    {
        std::istringstream in(line);
        std::string c;
        if (!(in >> c))
        {
            continue; // empty line
        }
        if (c == "TRANSMIT")
        {
            uint32_t id = 0;
            int size = g_pktSize;
            in >> id >> size;
            Transmit(id, size);
            std::cout << "OK" << std::endl;
        }
        else if (c == "FLUSH")
        {
            uint32_t id = 0;
            in >> id;
            Flush(id);
            std::cout << RecvLine() << std::endl;
        }
        else if (c == "STEP")
        {
            uint32_t id = 0;
            int size = g_pktSize;
            in >> id >> size;
            Transmit(id, size);
            Flush(id);
            std::cout << RecvLine() << std::endl;
        }
        else if (c == "RESET")
        {
            Reset();
            std::cout << "OK" << std::endl;
        }
        else if (c == "QUIT")
        {
            break;
        }
        else
        {
            std::cout << "ERROR unknown command: " << c << std::endl;
        }
    }
    Simulator::Destroy();
    return 0;
}
