// SPDX-License-Identifier: GPL-2.0-only
//
// netrl-mmwave: NetRL's ns3-mmwave backend scenario (ns3_mmwave_sim) on
// ns3-mmwave v7.0, stepped in process: the peer of scenarios/mmwave-sim.
// One UE at (distance, 0, 1.5) sends `steps` datagrams of `pktSize` bytes
// uplink, one per step of `stepMs` (1% into the step, after a warm-up of
// max(500 ms, 2 steps)), to a remote host through an eNB at (0, 0, 3) and
// the EPC, with NetRL's Config::SetDefault settings. Prints delivery (the
// fraction of steps whose datagram arrived by the last step) and the mean
// lag in steps of the delivered ones (the step in whose window a datagram
// arrived, less its own), and the in-process steps per second.
//
// Build: bench/ns3/mmwave/build.sh. Run: bin/netrl-mmwave --distance=200 --RngRun=1
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
#include <set>
#include <vector>

using namespace ns3;
using namespace mmwave;

static std::set<uint32_t> g_sent; // steps in flight
static uint32_t g_step = 0;
static uint64_t g_delivered = 0, g_lagSum = 0;

// The step id travels in the payload's first 4 bytes: packet uids do not
// survive the MAC, which concatenates RLC PDUs into one packet and splits
// them at the receiver.
static void
Recv(Ptr<Socket> s)
{
    Ptr<Packet> p;
    while ((p = s->Recv()))
    {
        uint8_t b[4] = {0, 0, 0, 0};
        if (p->GetSize() < 4)
        {
            continue;
        }
        p->CopyData(b, 4);
        uint32_t id = uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
        auto it = g_sent.find(id);
        if (it != g_sent.end())
        {
            g_delivered++;
            g_lagSum += g_step - id;
            g_sent.erase(it);
        }
    }
}

// Mean over received UL transport blocks of their average SINR (linear).
static double g_sinrSum = 0;
static uint64_t g_tbs = 0;

static bool g_traceTbs = false;

static void
UlTb(RxPacketTraceParams p)
{
    g_sinrSum += p.m_sinr;
    g_tbs++;
    if (g_traceTbs)
    {
        std::cerr << "tb t=" << Simulator::Now().GetNanoSeconds() << " sym=" << +p.m_symStart
                  << "+" << +p.m_numSym << " tbs=" << p.m_tbSize << " mcs=" << +p.m_mcs
                  << " rv=" << +p.m_rv << " sinr_db=" << 10 * std::log10(p.m_sinr)
                  << " tbler=" << p.m_tbler << " corrupt=" << p.m_corrupt << std::endl;
    }
}

static void
Send(Ptr<Socket> s, uint32_t step, uint32_t size)
{
    std::vector<uint8_t> buf(size, 0);
    buf[0] = step >> 24;
    buf[1] = step >> 16;
    buf[2] = step >> 8;
    buf[3] = step;
    g_sent.insert(step);
    s->Send(Create<Packet>(buf.data(), size));
}

int
main(int argc, char* argv[])
{
    double stepMs = 1.0, distance = 50, freq = 28e9, bandwidth = 200e6;
    double txPower = 23, enbTxPower = 30, noiseFig = 9, enbNoiseFig = 5;
    std::string scenario = "UMa";
    bool harq = true, rlcAm = false;
    uint32_t pktSize = 64, steps = 2000;
    CommandLine cmd(__FILE__);
    cmd.AddValue("step-ms", "step [ms]", stepMs);
    cmd.AddValue("distance", "m", distance);
    cmd.AddValue("freq", "Hz", freq);
    cmd.AddValue("bandwidth", "Hz", bandwidth);
    cmd.AddValue("tx-power", "UE dBm", txPower);
    cmd.AddValue("enb-tx-power", "eNB dBm", enbTxPower);
    cmd.AddValue("noise-fig", "UE dB", noiseFig);
    cmd.AddValue("enb-noise-fig", "eNB dB", enbNoiseFig);
    cmd.AddValue("scenario", "3GPP scenario", scenario);
    cmd.AddValue("harq", "HARQ", harq);
    cmd.AddValue("rlc-am", "RLC AM", rlcAm);
    cmd.AddValue("pkt-size", "bytes", pktSize);
    cmd.AddValue("steps", "steps", steps);
    cmd.AddValue("trace-tbs", "print every received UL transport block on stderr", g_traceTbs);
    cmd.Parse(argc, argv);

    Config::SetDefault("ns3::MmWaveHelper::HarqEnabled", BooleanValue(harq));
    Config::SetDefault("ns3::MmWaveHelper::RlcAmEnabled", BooleanValue(rlcAm));
    Config::SetDefault("ns3::MmWaveHelper::UseIdealRrc", BooleanValue(true));
    Config::SetDefault("ns3::MmWaveFlexTtiMacScheduler::HarqEnabled", BooleanValue(harq));
    Config::SetDefault("ns3::MmWavePhyMacCommon::CenterFreq", DoubleValue(freq));
    Config::SetDefault("ns3::MmWavePhyMacCommon::Bandwidth", DoubleValue(bandwidth));
    Config::SetDefault("ns3::MmWavePhyMacCommon::TbDecodeLatency", UintegerValue(200));
    Config::SetDefault("ns3::MmWaveEnbPhy::TxPower", DoubleValue(enbTxPower));
    Config::SetDefault("ns3::MmWaveUePhy::TxPower", DoubleValue(txPower));
    Config::SetDefault("ns3::MmWaveEnbPhy::NoiseFigure", DoubleValue(enbNoiseFig));
    Config::SetDefault("ns3::MmWaveUePhy::NoiseFigure", DoubleValue(noiseFig));
    Config::SetDefault("ns3::ThreeGppChannelModel::Scenario", StringValue(scenario));
    Config::SetDefault("ns3::ThreeGppChannelModel::UpdatePeriod", TimeValue(MilliSeconds(1e6)));
    Config::SetDefault("ns3::ThreeGppChannelModel::Blockage", BooleanValue(false));
    Config::SetDefault("ns3::MmWavePointToPointEpcHelper::S1apLinkDelay", TimeValue(Seconds(0)));
    Config::SetDefault("ns3::LteEnbRrc::SystemInformationPeriodicity", TimeValue(MilliSeconds(5.0)));
    Config::SetDefault("ns3::LteEnbRrc::SrsPeriodicity", UintegerValue(20));
    Config::SetDefault("ns3::LteEnbRrc::FirstSibTime", UintegerValue(2));
    Config::SetDefault("ns3::LteRlcAm::ReportBufferStatusTimer", TimeValue(MicroSeconds(100.0)));
    Config::SetDefault("ns3::LteRlcUmLowLat::ReportBufferStatusTimer", TimeValue(MicroSeconds(100.0)));

    Ptr<MmWaveHelper> mm = CreateObject<MmWaveHelper>();
    Ptr<MmWavePointToPointEpcHelper> epc = CreateObject<MmWavePointToPointEpcHelper>();
    mm->SetEpcHelper(epc);
    mm->SetHarqEnabled(harq);
    Ptr<Node> pgw = epc->GetPgwNode();
    NodeContainer rhc;
    rhc.Create(1);
    Ptr<Node> rh = rhc.Get(0);
    InternetStackHelper internet;
    internet.Install(rhc);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", DataRateValue(DataRate("100Gb/s")));
    p2p.SetDeviceAttribute("Mtu", UintegerValue(1500));
    p2p.SetChannelAttribute("Delay", TimeValue(MicroSeconds(1.0)));
    NetDeviceContainer devs = p2p.Install(pgw, rh);
    Ipv4AddressHelper ip;
    ip.SetBase("1.0.0.0", "255.0.0.0");
    Ipv4InterfaceContainer ifs = ip.Assign(devs);
    Ipv4StaticRoutingHelper rt;
    rt.GetStaticRouting(rh->GetObject<Ipv4>())
        ->AddNetworkRouteTo(Ipv4Address("7.0.0.0"), Ipv4Mask("255.0.0.0"), 1);

    NodeContainer enbs, ues;
    enbs.Create(1);
    ues.Create(1);
    Ptr<ListPositionAllocator> ep = CreateObject<ListPositionAllocator>();
    ep->Add(Vector(0, 0, 3));
    MobilityHelper em;
    em.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    em.SetPositionAllocator(ep);
    em.Install(enbs);
    Ptr<ListPositionAllocator> upos = CreateObject<ListPositionAllocator>();
    upos->Add(Vector(distance, 0, 1.5));
    MobilityHelper um;
    um.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    um.SetPositionAllocator(upos);
    um.Install(ues);
    NetDeviceContainer enbDevs = mm->InstallEnbDevice(enbs);
    NetDeviceContainer ueDevs = mm->InstallUeDevice(ues);
    internet.Install(ues);
    epc->AssignUeIpv4Address(ueDevs);
    rt.GetStaticRouting(ues.Get(0)->GetObject<Ipv4>())
        ->SetDefaultRoute(epc->GetUeDefaultGatewayAddress(), 1);
    mm->AttachToClosestEnb(ueDevs, enbDevs);
    DynamicCast<MmWaveEnbNetDevice>(enbDevs.Get(0))
        ->GetPhy(0)
        ->GetDlSpectrumPhy()
        ->TraceConnectWithoutContext("RxPacketTraceEnb", MakeCallback(&UlTb));

    TypeId tid = TypeId::LookupByName("ns3::UdpSocketFactory");
    Ptr<Socket> rx = Socket::CreateSocket(rh, tid);
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), 9));
    rx->SetRecvCallback(MakeCallback(&Recv));
    Ptr<Socket> tx = Socket::CreateSocket(ues.Get(0), tid);
    tx->Connect(InetSocketAddress(ifs.GetAddress(1), 9));

    Time step = MilliSeconds(stepMs);
    Time start = std::max(MilliSeconds(500), 2 * step);
    Simulator::Stop(start);
    Simulator::Run();
    auto t0 = std::chrono::steady_clock::now();
    for (uint32_t s = 0; s < steps; s++)
    {
        Time ws = start + s * step;
        g_step = s;
        Simulator::Schedule(ws + NanoSeconds(step.GetNanoSeconds() / 100) - Simulator::Now(), &Send, tx, s, std::max(pktSize, 4u));
        Simulator::Stop(ws + step - Simulator::Now());
        Simulator::Run();
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "distance=" << distance << " steps=" << steps << " delivered=" << g_delivered
              << " delivery=" << double(g_delivered) / steps << " mean_lag="
              << (g_delivered ? double(g_lagSum) / g_delivered : 0) << " steps_per_s=" << steps / wall << " ul_tbs=" << g_tbs
              << " ul_sinr_db=" << (g_tbs ? 10 * std::log10(g_sinrSum / g_tbs) : -999)
              << std::endl;
    Simulator::Destroy();
    return 0;
}
