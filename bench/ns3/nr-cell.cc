// nr-cell: issue 15's reference cell on 5G-LENA nr-4.1 / ns-3.45, the peer
// of netgym's scenarios/nr-cell. One gNB at (0, 0, 25 m), n UEs on a ring
// of radius d at 1.5 m, 28 GHz UMa, numerology mu, one band, one CC, one
// BWP; 4x8 gNB and 2x4 UE arrays of isotropic elements, ideal
// DirectPathBeamforming; TR 38.901 pathloss, channel condition ("Default")
// and fast fading, shadowing off; 5G-LENA's default powers (gNB 4 dBm, UE
// 2 dBm), scheduler (TDMA RR) and bearers (default bearer only); a remote
// host on a 100 Gb/s, MTU 2500, 0 s link; downlink OnOff CBR per UE from
// the remote host, 1200-byte packets, warmup to warmup + duration.
//
// Output: one JSON object (goodput_mbps, events, wall_s, per_ue_mbps,
// per_ue_los, per_ue_mcs, per_ue_sinr_db, per_ue_tbs, per_ue_corrupt),
// wall_s being Simulator::Run (the run of warm-up and traffic).
//
// Build: bench/ns3/build-lena.sh (ns-3.45 + nr-4.1 from source).
// Run:   ./ns3 run "nr-cell --seed=1 --run=1"
//
// Written for netgym (GPL-2.0-only), against 5G-LENA's and ns-3's public API.

#include "ns3/antenna-module.h"
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/nr-module.h"
#include "ns3/point-to-point-module.h"

#include <chrono>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

using namespace ns3;

namespace
{

struct UeTbStats
{
    uint64_t tbs{0};
    uint64_t corrupt{0};
    double mcsSum{0};
    double sinrSum{0}; // linear
};

std::map<uint16_t, UeTbStats> g_dl; // by RNTI

void
DlTb(RxPacketTraceParams p)
{
    auto& s = g_dl[p.m_rnti];
    s.tbs++;
    s.corrupt += p.m_corrupt ? 1 : 0;
    s.mcsSum += p.m_mcs;
    s.sinrSum += p.m_sinr;
}

} // namespace

int
main(int argc, char* argv[])
{
    uint32_t n = 10;
    uint32_t mu = 2;
    double bandwidth = 50e6;
    double freq = 28e9;
    double distance = 100;
    double rate = 10e6;
    uint32_t packet = 1200;
    double duration = 1.0;
    double warmup = 0.4;
    double gnbHeight = 25;
    uint32_t seed = 1;
    uint32_t run = 1;
    std::string scheduler = "ns3::NrMacSchedulerTdmaRR";

    CommandLine cmd(__FILE__);
    cmd.AddValue("n", "number of UEs", n);
    cmd.AddValue("mu", "numerology", mu);
    cmd.AddValue("bandwidth", "bandwidth in Hz", bandwidth);
    cmd.AddValue("freq", "central frequency in Hz", freq);
    cmd.AddValue("distance", "ring radius in m", distance);
    cmd.AddValue("rate", "downlink CBR per UE in b/s", rate);
    cmd.AddValue("packet", "UDP payload bytes", packet);
    cmd.AddValue("duration", "traffic duration in s", duration);
    cmd.AddValue("warmup", "traffic start in s", warmup);
    cmd.AddValue("gnb-height", "gNB height in m", gnbHeight);
    cmd.AddValue("seed", "RngSeedManager seed", seed);
    cmd.AddValue("run", "RngSeedManager run", run);
    cmd.AddValue("scheduler", "scheduler TypeId", scheduler);
    cmd.Parse(argc, argv);

    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);

    NodeContainer gnbNodes;
    gnbNodes.Create(1);
    NodeContainer ueNodes;
    ueNodes.Create(n);

    MobilityHelper mobility;
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    Ptr<ListPositionAllocator> gnbPos = CreateObject<ListPositionAllocator>();
    gnbPos->Add(Vector(0, 0, gnbHeight));
    mobility.SetPositionAllocator(gnbPos);
    mobility.Install(gnbNodes);
    Ptr<ListPositionAllocator> uePos = CreateObject<ListPositionAllocator>();
    for (uint32_t i = 0; i < n; i++)
    {
        double a = 2 * M_PI * i / n;
        uePos->Add(Vector(distance * std::cos(a), distance * std::sin(a), 1.5));
    }
    mobility.SetPositionAllocator(uePos);
    mobility.Install(ueNodes);

    Ptr<NrPointToPointEpcHelper> epcHelper = CreateObject<NrPointToPointEpcHelper>();
    Ptr<IdealBeamformingHelper> bfHelper = CreateObject<IdealBeamformingHelper>();
    Ptr<NrHelper> nrHelper = CreateObject<NrHelper>();
    nrHelper->SetBeamformingHelper(bfHelper);
    nrHelper->SetEpcHelper(epcHelper);
    nrHelper->SetSchedulerTypeId(TypeId::LookupByName(scheduler));

    CcBwpCreator ccBwpCreator;
    CcBwpCreator::SimpleOperationBandConf bandConf(freq, bandwidth, 1);
    OperationBandInfo band = ccBwpCreator.CreateOperationBandContiguousCc(bandConf);
    Ptr<NrChannelHelper> channelHelper = CreateObject<NrChannelHelper>();
    channelHelper->ConfigureFactories("UMa", "Default", "ThreeGpp");
    channelHelper->SetPathlossAttribute("ShadowingEnabled", BooleanValue(false));
    channelHelper->AssignChannelsToBands({band});
    BandwidthPartInfoPtrVector allBwps = CcBwpCreator::GetAllBwps({band});

    bfHelper->SetAttribute("BeamformingMethod", TypeIdValue(DirectPathBeamforming::GetTypeId()));
    nrHelper->SetUeAntennaAttribute("NumRows", UintegerValue(2));
    nrHelper->SetUeAntennaAttribute("NumColumns", UintegerValue(4));
    nrHelper->SetUeAntennaAttribute("AntennaElement",
                                    PointerValue(CreateObject<IsotropicAntennaModel>()));
    nrHelper->SetGnbAntennaAttribute("NumRows", UintegerValue(4));
    nrHelper->SetGnbAntennaAttribute("NumColumns", UintegerValue(8));
    nrHelper->SetGnbAntennaAttribute("AntennaElement",
                                     PointerValue(CreateObject<IsotropicAntennaModel>()));
    nrHelper->SetGnbPhyAttribute("Numerology", UintegerValue(mu));

    NetDeviceContainer gnbDev = nrHelper->InstallGnbDevice(gnbNodes, allBwps);
    NetDeviceContainer ueDev = nrHelper->InstallUeDevice(ueNodes, allBwps);

    auto [remoteHost, remoteAddr] = epcHelper->SetupRemoteHost("100Gb/s", 2500, Seconds(0));
    InternetStackHelper internet;
    internet.Install(ueNodes);
    Ipv4InterfaceContainer ueIf = epcHelper->AssignUeIpv4Address(ueDev);
    Ipv4StaticRoutingHelper routing;
    for (uint32_t i = 0; i < n; i++)
    {
        routing.GetStaticRouting(ueNodes.Get(i)->GetObject<Ipv4>())
            ->SetDefaultRoute(epcHelper->GetUeDefaultGatewayAddress(), 1);
    }
    nrHelper->AttachToClosestGnb(ueDev, gnbDev);

    std::vector<Ptr<PacketSink>> sinks;
    const uint16_t port = 1234;
    for (uint32_t i = 0; i < n; i++)
    {
        PacketSinkHelper sinkHelper("ns3::UdpSocketFactory",
                                    InetSocketAddress(Ipv4Address::GetAny(), port));
        ApplicationContainer sa = sinkHelper.Install(ueNodes.Get(i));
        sa.Start(Seconds(0));
        sinks.push_back(DynamicCast<PacketSink>(sa.Get(0)));
        OnOffHelper onoff("ns3::UdpSocketFactory",
                          InetSocketAddress(ueIf.GetAddress(i), port));
        onoff.SetConstantRate(DataRate(static_cast<uint64_t>(rate)), packet);
        ApplicationContainer ca = onoff.Install(remoteHost);
        ca.Start(Seconds(warmup));
        ca.Stop(Seconds(warmup + duration));
    }

    Config::ConnectWithoutContext(
        "/NodeList/*/DeviceList/*/ComponentCarrierMapUe/*/NrUePhy/SpectrumPhy/RxPacketTraceUe",
        MakeCallback(&DlTb));

    Simulator::Stop(Seconds(warmup + duration));
    auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t events = Simulator::GetEventCount();

    // Channel conditions as the pathloss model holds them.
    Ptr<ThreeGppPropagationLossModel> pl = DynamicCast<ThreeGppPropagationLossModel>(
        allBwps.at(0).get()->GetChannel()->GetPropagationLossModel());
    Ptr<ChannelConditionModel> cond = pl ? pl->GetChannelConditionModel() : nullptr;

    std::ostringstream per, los, mcs, sinr, tbs, corrupt;
    for (auto* o : {&per, &mcs, &sinr})
    {
        *o << std::fixed;
    }
    double total = 0;
    for (uint32_t i = 0; i < n; i++)
    {
        double mbps = sinks[i]->GetTotalRx() * 8.0 / duration / 1e6;
        total += mbps;
        per << (i ? "," : "") << std::setprecision(3) << mbps;
        std::string c = "?";
        if (cond)
        {
            auto cc = cond->GetChannelCondition(gnbNodes.Get(0)->GetObject<MobilityModel>(),
                                                ueNodes.Get(i)->GetObject<MobilityModel>());
            c = cc->IsLos() ? "LOS" : (cc->IsNlos() ? "NLOS" : "NLOSv");
        }
        los << (i ? "," : "") << "\"" << c << "\"";
        uint16_t rnti = DynamicCast<NrUeNetDevice>(ueDev.Get(i))->GetRrc()->GetRnti();
        const auto& s = g_dl[rnti];
        double m = s.tbs ? s.mcsSum / s.tbs : 0;
        double snr = s.tbs ? 10 * std::log10(s.sinrSum / s.tbs) : 0;
        mcs << (i ? "," : "") << std::setprecision(1) << m;
        sinr << (i ? "," : "") << std::setprecision(1) << snr;
        tbs << (i ? "," : "") << s.tbs;
        corrupt << (i ? "," : "") << s.corrupt;
    }
    std::cout << std::fixed << std::setprecision(3) << "{\"goodput_mbps\":" << total
              << ",\"events\":" << events << ",\"wall_s\":" << wall << ",\"per_ue_mbps\":["
              << per.str() << "],\"per_ue_los\":[" << los.str() << "],\"per_ue_mcs\":["
              << mcs.str() << "],\"per_ue_sinr_db\":[" << sinr.str() << "],\"per_ue_tbs\":["
              << tbs.str() << "],\"per_ue_corrupt\":[" << corrupt.str() << "]}" << std::endl;
    Simulator::Destroy();
    return 0;
}
