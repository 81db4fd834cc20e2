// SPDX-License-Identifier: GPL-2.0-only
//
// netrl-lena: NetRL's 5G-LENA backend scenario (ns3_lena_sim, in
// pietro-talli/NetRL src/ns3_lena_sim.cc) on 5G-LENA nr-4.1 / ns-3.45,
// stepped in process: the peer of netgym's scenarios/lena-sim
// (channelif/nr). Written for netgym against ns-3's and 5G-LENA's public
// API, after reading NetRL's program for its settings:
//
//   one gNB at (0, 0, 3 m) with a 4x8 array and one UE at (distance, 0,
//   1.5 m) with a 2x4 array, isotropic elements, IdealBeamformingHelper
//   with DirectPathBeamforming; one band of one CC and one BWP at --freq
//   over --bandwidth; NrChannelHelper::ConfigureFactories(scenario,
//   "Default", "ThreeGpp") with the pathloss's ShadowingEnabled per
//   --shadowing; BuildingsHelper::Install on both nodes; the gNB PHY's
//   Numerology and both TxPowers set after the devices are installed; a
//   remote host behind NrPointToPointEpcHelper::SetupRemoteHost("100Gb/s",
//   2500, 0 s);
//   AttachToClosestGnb; a dedicated NGBR_LOW_LAT_EMBB (5QI 80) bearer whose
//   TFT matches remote port 9; a UDP socket on the UE bound to its address
//   and connected to the remote host's port 9; 5G-LENA's defaults for
//   everything else. NetRL starts it without --RngRun: run 1.
//
// Stepping is NetRL's TRANSMIT t / FLUSH t pair done in process: after a
// warm-up of max(500 ms, 2 steps), step t's datagram (max(pktSize, 4)
// bytes, the step id big-endian in its first 4 bytes) is sent at warm-up +
// t*step + step/100 (NetRL's arithmetic: delay = that time in ms less
// Now() in whole ms, through MilliSeconds(double)), and the simulation
// runs to warm-up + (t+1)*step (NetRL's FLUSH). A datagram reaching the
// remote host during step t's run is reported by FLUSH t. Printed:
// delivery (the fraction of the steps whose datagram arrived by the last
// step), the mean lag in steps of those delivered (FLUSH step less send
// step: what bench/ns3/netrl_client.py computes for netgym's lena-sim),
// the in-process steps per second of the stepping loop, the link's LOS
// condition, and UL transport-block statistics from the gNB's
// RxPacketTraceGnb (mean SINR, most used MCS, new TBs, decoded per
// redundancy version, lost, the last step with a UL block).
//
// Build: bench/ns3/build-lena.sh (a scratch program of ns-3.45 + nr-4.1).
// Run:   DIR/build/scratch/ns3.45-netrl-lena-optimized --distance=300 --RngRun=1

#include "ns3/antenna-module.h"
#include "ns3/buildings-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/nr-module.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <vector>

using namespace ns3;

namespace
{

const uint16_t kPort = 9; // NetRL's RECV_PORT

std::set<uint32_t> g_inFlight; // steps whose datagram has not arrived
uint32_t g_step = 0;           // the step being run (the FLUSH that reports arrivals)
uint64_t g_delivered = 0;
uint64_t g_lagSum = 0;

// UL transport blocks received at the gNB.
struct UlStats
{
    uint64_t tbs{0};
    uint64_t newTbs{0};
    double sinrSum{0}; // linear
    std::array<uint64_t, 4> okAtRv{};
    uint64_t lostAfterRv3{0};
    std::map<uint8_t, uint64_t> mcs; // of new transmissions
    int64_t lastStep{-1};
};

UlStats g_ul;
bool g_traceTbs = false;

void
Receive(Ptr<Socket> s)
{
    Ptr<Packet> p;
    Address from;
    while ((p = s->RecvFrom(from)))
    {
        if (p->GetSize() < 4)
        {
            continue;
        }
        uint8_t b[4];
        p->CopyData(b, 4);
        uint32_t id = uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
        auto it = g_inFlight.find(id);
        if (it != g_inFlight.end())
        {
            g_delivered++;
            g_lagSum += g_step - id;
            g_inFlight.erase(it);
        }
    }
}

void
Send(Ptr<Socket> s, uint32_t id, uint32_t size)
{
    std::vector<uint8_t> buf(std::max<uint32_t>(size, 4), 0);
    buf[0] = id >> 24;
    buf[1] = id >> 16;
    buf[2] = id >> 8;
    buf[3] = id;
    g_inFlight.insert(id);
    s->Send(Create<Packet>(buf.data(), buf.size()));
}

// RxPacketTraceGnb fires once per MAC PDU of the burst (an RLC PDU, a BSR
// CE), so one transport block can fire it several times in a row: the
// repeats (same time, RNTI, symbols, redundancy version) are skipped.
int64_t g_lastTbNs = -1;
uint32_t g_lastTbKey = 0;

void
UlTb(RxPacketTraceParams p)
{
    int64_t now = Simulator::Now().GetNanoSeconds();
    uint32_t key = uint32_t(p.m_rnti) << 16 | uint32_t(p.m_symStart) << 8 | uint32_t(p.m_rv);
    if (now == g_lastTbNs && key == g_lastTbKey)
    {
        return;
    }
    g_lastTbNs = now;
    g_lastTbKey = key;
    g_ul.tbs++;
    g_ul.sinrSum += p.m_sinr;
    g_ul.lastStep = g_step;
    if (p.m_rv == 0)
    {
        g_ul.newTbs++;
        g_ul.mcs[p.m_mcs]++;
    }
    if (!p.m_corrupt)
    {
        g_ul.okAtRv[std::min<uint8_t>(p.m_rv, 3)]++;
    }
    else if (p.m_rv >= 3)
    {
        g_ul.lostAfterRv3++;
    }
    if (g_traceTbs)
    {
        std::cerr << "tb step=" << g_step << " t=" << Simulator::Now().GetNanoSeconds()
                  << " sym=" << +p.m_symStart << "+" << +p.m_numSym << " tbs=" << p.m_tbSize
                  << " mcs=" << +p.m_mcs << " rv=" << +p.m_rv
                  << " sinr_db=" << 10 * std::log10(p.m_sinr) << " tbler=" << p.m_tbler
                  << " corrupt=" << p.m_corrupt << std::endl;
    }
}

} // namespace

int
main(int argc, char* argv[])
{
    double stepMs = 1.0;
    double distance = 50.0;
    double freq = 28e9;
    double bandwidth = 100e6;
    double ueTxPower = 23.0;
    double gnbTxPower = 30.0;
    std::string scenario = "UMa";
    uint32_t numerology = 3;
    int shadowing = 0;
    uint32_t pktSize = 64;
    uint32_t steps = 2000;

    CommandLine cmd(__FILE__);
    cmd.AddValue("stepMs", "step in ms (NetRL --step-ms)", stepMs);
    cmd.AddValue("distance", "UE-gNB ground distance in m", distance);
    cmd.AddValue("freq", "carrier frequency in Hz", freq);
    cmd.AddValue("bandwidth", "bandwidth in Hz", bandwidth);
    cmd.AddValue("ueTxPower", "UE TX power in dBm", ueTxPower);
    cmd.AddValue("gnbTxPower", "gNB TX power in dBm", gnbTxPower);
    cmd.AddValue("scenario", "3GPP scenario (UMa, UMi, RMa, InH-OfficeMixed, ...)", scenario);
    cmd.AddValue("numerology", "NR numerology", numerology);
    cmd.AddValue("shadowing", "pathloss shadowing (0/1)", shadowing);
    cmd.AddValue("pktSize", "datagram payload in bytes (at least 4)", pktSize);
    cmd.AddValue("steps", "number of steps", steps);
    cmd.AddValue("traceTbs", "print every UL transport block on stderr", g_traceTbs);
    cmd.Parse(argc, argv); // --RngRun=k (and --RngSeed) are ns-3 globals

    Ptr<NrPointToPointEpcHelper> epc = CreateObject<NrPointToPointEpcHelper>();
    Ptr<IdealBeamformingHelper> bf = CreateObject<IdealBeamformingHelper>();
    Ptr<NrHelper> nr = CreateObject<NrHelper>();
    nr->SetBeamformingHelper(bf);
    nr->SetEpcHelper(epc);
    bf->SetAttribute("BeamformingMethod", TypeIdValue(DirectPathBeamforming::GetTypeId()));
    nr->SetUeAntennaAttribute("NumRows", UintegerValue(2));
    nr->SetUeAntennaAttribute("NumColumns", UintegerValue(4));
    nr->SetUeAntennaAttribute("AntennaElement",
                              PointerValue(CreateObject<IsotropicAntennaModel>()));
    nr->SetGnbAntennaAttribute("NumRows", UintegerValue(4));
    nr->SetGnbAntennaAttribute("NumColumns", UintegerValue(8));
    nr->SetGnbAntennaAttribute("AntennaElement",
                               PointerValue(CreateObject<IsotropicAntennaModel>()));

    CcBwpCreator creator;
    CcBwpCreator::SimpleOperationBandConf bandConf(freq, bandwidth, 1);
    OperationBandInfo band = creator.CreateOperationBandContiguousCc(bandConf);
    Ptr<NrChannelHelper> channel = CreateObject<NrChannelHelper>();
    channel->ConfigureFactories(scenario, "Default", "ThreeGpp");
    channel->SetPathlossAttribute("ShadowingEnabled", BooleanValue(shadowing != 0));
    channel->AssignChannelsToBands({band});
    BandwidthPartInfoPtrVector bwps = CcBwpCreator::GetAllBwps({band});

    NodeContainer gnbs;
    NodeContainer ues;
    gnbs.Create(1);
    ues.Create(1);
    MobilityHelper mob;
    mob.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    Ptr<ListPositionAllocator> gp = CreateObject<ListPositionAllocator>();
    gp->Add(Vector(0, 0, 3));
    mob.SetPositionAllocator(gp);
    mob.Install(gnbs);
    BuildingsHelper::Install(gnbs);
    Ptr<ListPositionAllocator> up = CreateObject<ListPositionAllocator>();
    up->Add(Vector(distance, 0, 1.5));
    mob.SetPositionAllocator(up);
    mob.Install(ues);
    BuildingsHelper::Install(ues);

    NetDeviceContainer gnbDevs = nr->InstallGnbDevice(gnbs, bwps);
    NetDeviceContainer ueDevs = nr->InstallUeDevice(ues, bwps);
    NrHelper::GetGnbPhy(gnbDevs.Get(0), 0)->SetAttribute("Numerology", UintegerValue(numerology));
    NrHelper::GetGnbPhy(gnbDevs.Get(0), 0)->SetTxPower(gnbTxPower);
    NrHelper::GetUePhy(ueDevs.Get(0), 0)->SetTxPower(ueTxPower);
    // NetRL then calls UpdateConfig on both devices: deprecated and a no-op
    // in nr-4.1 (the cell is configured by AttachToClosestGnb), left out.

    auto [remoteHost, rhAddr0] = epc->SetupRemoteHost("100Gb/s", 2500, Seconds(0));
    Ipv4Address rhAddr = remoteHost->GetObject<Ipv4>()->GetAddress(1, 0).GetLocal();
    InternetStackHelper internet;
    internet.Install(ues);
    Ipv4InterfaceContainer ueIf = epc->AssignUeIpv4Address(ueDevs);
    Ipv4StaticRoutingHelper routing;
    routing.GetStaticRouting(ues.Get(0)->GetObject<Ipv4>())
        ->SetDefaultRoute(epc->GetUeDefaultGatewayAddress(), 1);
    nr->AttachToClosestGnb(ueDevs, gnbDevs);

    NrEpsBearer bearer(NrEpsBearer::NGBR_LOW_LAT_EMBB);
    Ptr<NrEpcTft> tft = Create<NrEpcTft>();
    NrEpcTft::PacketFilter pf;
    pf.remotePortStart = kPort;
    pf.remotePortEnd = kPort;
    pf.localPortStart = 0;
    pf.localPortEnd = 65535;
    tft->Add(pf);
    nr->ActivateDedicatedEpsBearer(ueDevs.Get(0), bearer, tft);

    TypeId udp = TypeId::LookupByName("ns3::UdpSocketFactory");
    Ptr<Socket> rx = Socket::CreateSocket(remoteHost, udp);
    rx->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
    rx->SetRecvCallback(MakeCallback(&Receive));
    Ptr<Socket> tx = Socket::CreateSocket(ues.Get(0), udp);
    tx->Bind(InetSocketAddress(ueIf.GetAddress(0), 0));
    tx->Connect(InetSocketAddress(rhAddr, kPort));

    NrHelper::GetGnbPhy(gnbDevs.Get(0), 0)
        ->GetSpectrumPhy()
        ->TraceConnectWithoutContext("RxPacketTraceGnb", MakeCallback(&UlTb));

    const double warmupMs = std::max(500.0, 2 * stepMs);
    Simulator::Stop(MilliSeconds(warmupMs));
    Simulator::Run();
    g_ul = UlStats{}; // count the stepped part only

    auto t0 = std::chrono::steady_clock::now();
    for (uint32_t s = 0; s < steps; s++)
    {
        g_step = s;
        // TRANSMIT s: NetRL's arithmetic, Now() in whole milliseconds.
        double sendMs = warmupMs + s * stepMs + stepMs * 0.01;
        double delayMs = sendMs - double(Simulator::Now().GetMilliSeconds());
        Time delay = delayMs > 0 ? MilliSeconds(delayMs) : NanoSeconds(1);
        Simulator::Schedule(delay, &Send, tx, s, pktSize);
        // FLUSH s.
        double endMs = warmupMs + (s + 1.0) * stepMs;
        double runMs = endMs - double(Simulator::Now().GetMilliSeconds());
        if (runMs > 0)
        {
            Simulator::Stop(MilliSeconds(runMs));
            Simulator::Run();
        }
    }
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    std::string cond = "?";
    Ptr<ThreeGppPropagationLossModel> pl = DynamicCast<ThreeGppPropagationLossModel>(
        bwps.at(0).get()->GetChannel()->GetPropagationLossModel());
    if (pl && pl->GetChannelConditionModel())
    {
        Ptr<ChannelCondition> c = pl->GetChannelConditionModel()->GetChannelCondition(
            gnbs.Get(0)->GetObject<MobilityModel>(),
            ues.Get(0)->GetObject<MobilityModel>());
        cond = c->IsLos() ? "LOS" : (c->IsNlos() ? "NLOS" : "NLOSv");
    }
    int mcs = -1;
    uint64_t best = 0;
    for (const auto& [m, n] : g_ul.mcs)
    {
        if (n > best)
        {
            best = n;
            mcs = m;
        }
    }
    std::cout << std::fixed << std::setprecision(4) << "distance=" << distance
              << " run=" << RngSeedManager::GetRun() << " steps=" << steps
              << " delivered=" << g_delivered << " delivery=" << double(g_delivered) / steps
              << " mean_lag=" << (g_delivered ? double(g_lagSum) / g_delivered : 0.0)
              << std::setprecision(0) << " steps_per_s=" << steps / wall
              << std::setprecision(2) << " condition=" << cond << " ul_tbs=" << g_ul.tbs
              << " ul_new_tbs=" << g_ul.newTbs << " ul_sinr_db="
              << (g_ul.tbs ? 10 * std::log10(g_ul.sinrSum / g_ul.tbs) : -999.0)
              << " ul_mcs=" << mcs << " ok_rv=" << g_ul.okAtRv[0] << "/" << g_ul.okAtRv[1]
              << "/" << g_ul.okAtRv[2] << "/" << g_ul.okAtRv[3] << " lost=" << g_ul.lostAfterRv3
              << " last_ul_step=" << g_ul.lastStep << std::endl;
    Simulator::Destroy();
    return 0;
}
