// SPDX-License-Identifier: GPL-2.0-only
//
// wifi-saturation.cc: 802.11a ad-hoc saturation throughput, as a peer
// measurement for netgym.
//
// Scenario: one receiver node at the origin and n stations evenly spaced on a
// 5 m ring around it. Each station sends 1500-byte UDP payloads at a constant
// 60 Mb/s (OnOffApplication, always on) to the receiver's port 9. Traffic
// starts at t = 1 s (1 s warm-up) and the simulation stops at t = 11 s.
//
// Everything else is ns-3 3.37's default: YansWifiChannelHelper::Default()
// (LogDistance exponent 3, reference loss 46.6777 dB at 1 m; constant-speed
// delay), default YansWifiPhy (TableBasedErrorRateModel, 16.0206 dBm tx power,
// 7 dB noise figure), ConstantRateWifiManager, AdhocWifiMac, and the normal
// internet stack (which installs the default FqCoDel queue disc and ARP).
//
// ARP: by default ARP is dynamic, as in any ns-3 script. Beware: in 3.37 the
// ARP request jitter U(0,10) ms is passed to MilliSeconds(double), which binds
// to the uint64_t overload, so requests leave on whole-ms boundaries (0..9 ms
// after the first packet); stations drawing the same value transmit in the
// same slot and their broadcast requests collide at the receiver; the retry
// after WaitReplyTimeout (1 s) comes at the same instant for all of them, and
// after 3 retries the entry is dead for 100 s. With many stations (n=50) a
// variable subset, sometimes none, of the senders ever resolves the
// receiver. --staticArp=1 fills every ARP cache before the run
// (NeighborCacheHelper), which measures pure DCF saturation.
//
// Output (one line on stdout): goodput in Mb/s = UDP payload bits received at
// the receiver during [1 s, 11 s) / 10 s, number of senders with at least one
// packet received, events executed (Simulator::GetEventCount) and wall-clock
// seconds of setup and of Run().
//
// Flags: --n=10 --dataMode=OfdmRate54Mbps (or OfdmRate6Mbps) --cbrMbps=60
//        --pktSize=1500 --staticArp=0 --RngRun=1

#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/wifi-module.h"

#include <chrono>
#include <cmath>
#include <iostream>
#include <set>

using namespace ns3;

namespace
{
const double kStartS = 1.0;   // traffic start (end of warm-up)
const double kTrafficS = 10.0; // traffic duration
uint64_t g_rxBytes = 0;        // UDP payload bytes received in the window
std::set<uint32_t> g_senders;  // source addresses seen in the window

// PacketSink "Rx" trace: count payload bytes received during the window.
void
OnSinkRx(Ptr<const Packet> p, const Address& from)
{
    double now = Simulator::Now().GetSeconds();
    if (now >= kStartS && now < kStartS + kTrafficS)
    {
        g_rxBytes += p->GetSize();
        g_senders.insert(InetSocketAddress::ConvertFrom(from).GetIpv4().Get());
    }
}
} // namespace

int
main(int argc, char* argv[])
{
    auto tSetup = std::chrono::steady_clock::now();
    uint32_t n = 10;
    std::string dataMode = "OfdmRate54Mbps";
    double cbrMbps = 60.0;
    uint32_t pktSize = 1500;
    bool staticArp = false;

    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "number of sending stations", n);
    cmd.AddValue("dataMode", "ConstantRateWifiManager DataMode", dataMode);
    cmd.AddValue("cbrMbps", "offered load per station, Mb/s", cbrMbps);
    cmd.AddValue("pktSize", "UDP payload bytes", pktSize);
    cmd.AddValue("staticArp", "pre-fill all ARP caches (no ARP traffic)", staticArp);
    cmd.Parse(argc, argv);

    // Node 0 is the receiver, nodes 1..n the senders.
    NodeContainer nodes;
    nodes.Create(n + 1);

    YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());

    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                 "DataMode", StringValue(dataMode),
                                 "ControlMode", StringValue("OfdmRate6Mbps"));
    WifiMacHelper mac;
    mac.SetType("ns3::AdhocWifiMac");
    NetDeviceContainer devices = wifi.Install(phy, mac, nodes);

    // Receiver at the origin, senders on a 5 m ring.
    Ptr<ListPositionAllocator> pos = CreateObject<ListPositionAllocator>();
    pos->Add(Vector(0.0, 0.0, 0.0));
    for (uint32_t i = 0; i < n; ++i)
    {
        double a = 2.0 * M_PI * i / n;
        pos->Add(Vector(5.0 * std::cos(a), 5.0 * std::sin(a), 0.0));
    }
    MobilityHelper mobility;
    mobility.SetPositionAllocator(pos);
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(nodes);

    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper ipv4;
    ipv4.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifaces = ipv4.Assign(devices);
    if (staticArp)
    {
        NeighborCacheHelper().PopulateNeighborCache();
    }

    // Sink on the receiver, port 9.
    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                InetSocketAddress(Ipv4Address::GetAny(), 9));
    ApplicationContainer sinkApp = sinkHelper.Install(nodes.Get(0));
    sinkApp.Get(0)->TraceConnectWithoutContext("Rx", MakeCallback(&OnSinkRx));

    // Always-on CBR sources on every sender.
    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(ifaces.GetAddress(0), 9));
    onoff.SetConstantRate(DataRate(static_cast<uint64_t>(cbrMbps * 1e6)), pktSize);
    for (uint32_t i = 1; i <= n; ++i)
    {
        ApplicationContainer app = onoff.Install(nodes.Get(i));
        app.Start(Seconds(kStartS));
        app.Stop(Seconds(kStartS + kTrafficS));
    }

    Simulator::Stop(Seconds(kStartS + kTrafficS));
    auto tRun = std::chrono::steady_clock::now();
    Simulator::Run();
    auto tEnd = std::chrono::steady_clock::now();

    double goodput = g_rxBytes * 8.0 / kTrafficS / 1e6;
    std::cout << "n=" << n << " dataMode=" << dataMode << " staticArp=" << staticArp
              << " goodput_mbps=" << goodput << " active_senders=" << g_senders.size()
              << " events=" << Simulator::GetEventCount()
              << " setup_wall_s=" << std::chrono::duration<double>(tRun - tSetup).count()
              << " run_wall_s=" << std::chrono::duration<double>(tEnd - tRun).count()
              << std::endl;
    Simulator::Destroy();
    return 0;
}
