// SPDX-License-Identifier: GPL-2.0-only
//
// mmwave-cell: netgym's reference mmWave cell (issue 16) on ns3-mmwave v7.0,
// the peer of scenarios/mmwave-cell. One eNB at (0, 0, enbHeight), n UEs on
// a ring of the given radius at 1.5 m, 28 GHz / 200 MHz, ns3-mmwave's
// defaults (FlexTTI scheduler, SVD beamforming, UE 2x2 and eNB 8x8 arrays,
// 30 dBm both, UMa pathloss with shadowing, EESM IR T1, RLC UM LowLat) with
// the ideal RRC, S1-AP delay 0 and the channel frozen (UpdatePeriod 1e6 ms),
// the default bearer only, a remote host on its own link (100 Gb/s, MTU
// 1500, 1 us, 1.0.0.0/8), and a downlink UDP CBR of `rate` b/s per UE in
// `packet`-byte datagrams from `warmup` to `warmup + duration`.
//
// Prints one key=value line: goodput_mbps (UDP payload received by the UEs'
// sinks over the traffic window), events, wall_s (Simulator::Run only,
// construction excluded), per_ue_mbps and per_ue_dl_sinr_db (the mean
// SINR of each UE's DL transport blocks).
//
// Build: bench/ns3/mmwave/build.sh. Run: bin/mmwave-cell --RngRun=1
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mmwave-helper.h"
#include "ns3/mmwave-point-to-point-epc-helper.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-helper.h"

#include <chrono>
#include <cmath>
#include <iostream>
#include <sstream>

using namespace ns3;
using namespace mmwave;

static std::vector<uint64_t> g_rx;
static Time g_start;

static void
Rx(uint32_t i, Ptr<const Packet> p, const Address&)
{
    if (Simulator::Now() >= g_start)
    {
        g_rx[i] += p->GetSize();
    }
}

// Mean over each UE's received DL transport blocks of their average SINR
// (linear), for comparing the channel with netgym's.
static std::vector<double> g_sinrSum;
static std::vector<uint64_t> g_tbs;

static void
DlTb(uint32_t i, RxPacketTraceParams p)
{
    g_sinrSum[i] += p.m_sinr;
    g_tbs[i]++;
}

// Counts executed events: a self-rescheduling probe would perturb the run,
// so read the default scheduler's count at the end.
int
main(int argc, char* argv[])
{
    uint32_t n = 10;
    double bandwidth = 200e6;
    double freq = 28e9;
    double distance = 100;
    double rate = 20e6;
    uint32_t packet = 1200;
    double duration = 1.0;
    double warmup = 0.4;
    double enbHeight = 25;
    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "UEs", n);
    cmd.AddValue("bandwidth", "Hz", bandwidth);
    cmd.AddValue("freq", "Hz", freq);
    cmd.AddValue("distance", "ring radius, m", distance);
    cmd.AddValue("rate", "b/s per UE", rate);
    cmd.AddValue("packet", "UDP payload bytes", packet);
    cmd.AddValue("duration", "traffic seconds", duration);
    cmd.AddValue("warmup", "traffic start, s", warmup);
    cmd.AddValue("enbHeight", "m", enbHeight);
    cmd.Parse(argc, argv);

    Config::SetDefault("ns3::MmWavePhyMacCommon::CenterFreq", DoubleValue(freq));
    Config::SetDefault("ns3::MmWavePhyMacCommon::Bandwidth", DoubleValue(bandwidth));
    Config::SetDefault("ns3::MmWaveHelper::UseIdealRrc", BooleanValue(true));
    Config::SetDefault("ns3::MmWavePointToPointEpcHelper::S1apLinkDelay", TimeValue(Seconds(0)));
    Config::SetDefault("ns3::ThreeGppChannelModel::UpdatePeriod", TimeValue(MilliSeconds(1e6)));

    Ptr<MmWaveHelper> mm = CreateObject<MmWaveHelper>();
    Ptr<MmWavePointToPointEpcHelper> epc = CreateObject<MmWavePointToPointEpcHelper>();
    mm->SetEpcHelper(epc);

    Ptr<Node> pgw = epc->GetPgwNode();
    NodeContainer rhc;
    rhc.Create(1);
    Ptr<Node> rh = rhc.Get(0);
    InternetStackHelper internet;
    internet.Install(rhc);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate("100Gb/s")));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(1500));
    p2p.SetChannelAttribute("Delay", TimeValue(MicroSeconds(1)));
    NetDeviceContainer devs = p2p.Install(pgw, rh);
    Ipv4AddressHelper ip;
    ip.SetBase("1.0.0.0", "255.0.0.0");
    ip.Assign(devs);
    Ipv4StaticRoutingHelper rt;
    rt.GetStaticRouting(rh->GetObject<Ipv4>())
        ->AddNetworkRouteTo(Ipv4Address("7.0.0.0"), Ipv4Mask("255.0.0.0"), 1);

    NodeContainer enbs, ues;
    enbs.Create(1);
    ues.Create(n);
    Ptr<ListPositionAllocator> ep = CreateObject<ListPositionAllocator>();
    ep->Add(Vector(0, 0, enbHeight));
    MobilityHelper em;
    em.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    em.SetPositionAllocator(ep);
    em.Install(enbs);
    Ptr<ListPositionAllocator> up = CreateObject<ListPositionAllocator>();
    for (uint32_t i = 0; i < n; i++)
    {
        double a = 2 * M_PI * i / n;
        up->Add(Vector(distance * std::cos(a), distance * std::sin(a), 1.5));
    }
    MobilityHelper um;
    um.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    um.SetPositionAllocator(up);
    um.Install(ues);

    NetDeviceContainer enbDevs = mm->InstallEnbDevice(enbs);
    NetDeviceContainer ueDevs = mm->InstallUeDevice(ues);
    internet.Install(ues);
    Ipv4InterfaceContainer ueIf = epc->AssignUeIpv4Address(ueDevs);
    for (uint32_t i = 0; i < n; i++)
    {
        rt.GetStaticRouting(ues.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(epc->GetUeDefaultGatewayAddress(), 1);
    }
    mm->AttachToClosestEnb(ueDevs, enbDevs);

    g_rx.assign(n, 0);
    g_sinrSum.assign(n, 0);
    g_tbs.assign(n, 0);
    for (uint32_t i = 0; i < n; i++)
    {
        DynamicCast<MmWaveUeNetDevice>(ueDevs.Get(i))
            ->GetPhy(0)
            ->GetDlSpectrumPhy()
            ->TraceConnectWithoutContext("RxPacketTraceUe", MakeBoundCallback(&DlTb, i));
    }
    g_start = Seconds(warmup);
    for (uint32_t i = 0; i < n; i++)
    {
        PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 1234));
        ApplicationContainer s = sink.Install(ues.Get(i));
        s.Get(0)->TraceConnectWithoutContext("Rx", MakeBoundCallback(&Rx, i));
        OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(ueIf.GetAddress(i), 1234));
        onoff.SetConstantRate(DataRate(static_cast<uint64_t>(rate)), packet);
        ApplicationContainer c = onoff.Install(rh);
        c.Start(Seconds(warmup));
        c.Stop(Seconds(warmup + duration));
    }

    Simulator::Stop(Seconds(warmup + duration));
    auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t events = Simulator::GetEventCount();

    double total = 0;
    std::ostringstream per, sinr;
    for (uint32_t i = 0; i < n; i++)
    {
        double mbps = g_rx[i] * 8.0 / duration / 1e6;
        total += mbps;
        per << (i ? "," : "") << mbps;
        sinr << (i ? "," : "") << (g_tbs[i] ? 10 * std::log10(g_sinrSum[i] / g_tbs[i]) : -999);
    }
    std::cout << "goodput_mbps=" << total << " events=" << events << " wall_s=" << wall
              << " per_ue_mbps=" << per.str() << " per_ue_dl_sinr_db=" << sinr.str() << std::endl;
    Simulator::Destroy();
    return 0;
}
