// SPDX-License-Identifier: GPL-2.0-only
//
// wifi-grid.cc: netgym's large Wi-Fi scenario (mac80211/bssgrid, binary
// scenarios/wifi-grid) in ns-3 3.37, as a peer measurement of how the two
// simulators scale with the number of nodes.
//
// Scenario (the same as bssgrid's): a square grid of BSSs Spacing (50) m
// apart, BSS b's AP at (col*spacing, row*spacing) with cols =
// ceil(sqrt(bss)) filled row by row, each AP with `stations` (9) stations
// within `radius` (10) m. Every station sends `payload` (200) byte UDP
// datagrams to port 9 of its AP, Poisson with mean `interval` (100 ms): the
// first at warmup + Exp, then Exp gaps, none at or after warmup + duration.
// The delivery ratio counts what the APs received of them by warmup +
// duration + drain.
//
// Positions: with --positions=FILE the program reads every node's position
// from a file written by netgym (`wifi-grid -positions FILE`: '#' comment
// lines, then "x y" per node, BSS by BSS, the AP first), so both simulators
// run the same geometry; without it, it draws stations with bssgrid's rule
// (radius*sqrt(U), angle 2*pi*U) from ns-3's UniformRandomVariable.
//
// ns-3 classes, all at their 3.37 defaults except where said:
//   - YansWifiChannelHelper::Default(): YansWifiChannel with
//     LogDistancePropagationLossModel (exponent 3, 46.6777 dB at 1 m) and
//     ConstantSpeedPropagationDelayModel. YansWifiChannel::Send
//     (src/wifi/model/yans-wifi-channel.cc) schedules one
//     YansWifiChannel::Receive per other PHY on the channel for every
//     transmission, whatever the distance; Receive drops signals below the
//     PHY's RxSensitivity (-101 dBm). netgym's medium culls those receivers
//     before scheduling anything (its -101 dBm floor), so it does not pay
//     for them.
//   - YansWifiPhyHelper (YansWifiPhy: 16.0206 dBm, 7 dB noise figure,
//     TableBasedErrorRateModel, ThresholdPreambleDetectionModel),
//     WifiHelper::SetStandard(WIFI_STANDARD_80211a) (channel 36, 5180 MHz).
//   - ConstantRateWifiManager, DataMode OfdmRate54Mbps, ControlMode
//     OfdmRate6Mbps (netgym's mac80211.NewConstantRate(54, 6)).
//   - AdhocWifiMac (no beacons, no association): netgym's RoleAdhoc. With
//     --infra=1, ApWifiMac and StaWifiMac instead (netgym's wifi-grid
//     -infra): BSS b's SSID is "bss-b", every attribute at its default
//     (beacons every 102.4 ms with the start jitter, passive scanning with
//     WaitBeaconTimeout 120 ms from initialisation at time 0); the
//     stations' StaWifiMac "Assoc" trace gives each one's first
//     association time. With --starts=FILE (netgym's `wifi-grid -infra
//     -start-jitter J -starts FILE`: '#' comment lines, then one node a
//     line, nanoseconds, in the order of the positions) each station's MAC
//     is a DelayedStaWifiMac (below): its PHY is on the channel from time
//     0, as netgym's, but it starts its first scan at its time from the
//     file instead of at initialisation, as a netgym station with
//     StaConfig.StartJitter powers on at its draw. ns-3 3.37 has no such
//     attribute; StaWifiMac::DoInitialize only calls the private
//     StartScanning, which the subclass calls later (reached through an
//     explicit instantiation, which C++ lets name a private member).
//     Beacons heard before the scan starts are ignored on both sides
//     (WifiDefaultAssocManager::CanBeInserted: no scan timer runs).
//   - InternetStackHelper, Ipv4AddressHelper (10.0.0.0/8, one subnet). The
//     root queue disc that Ipv4AddressHelper installs (FqCoDel) is removed
//     (TrafficControlHelper::Uninstall) because netgym's stack has none
//     (--queueDisc=1 keeps it); packets go to the WifiMacQueue (500 packets,
//     500 ms), as in netgym.
//   - Static ARP: each station's ArpCache holds its AP only (ArpCache::Add,
//     Entry::SetMacAddress, Entry::MarkPermanent), as bssgrid does; in
//     infrastructure mode put back after each link change (RefillArp).
//     Transmissions are also counted by MAC frame type ("tx_types",
//     WifiMacHeader::GetTypeString).
//     NeighborCacheHelper::PopulateNeighborCache would fill every pair on the
//     channel: n^2 entries, 100 million at 10,000 nodes.
//   - Traffic: PoissonSender below (an Application of ours, an
//     ExponentialRandomVariable of mean `interval` rounded to whole ns, one
//     RNG stream per station, 0, 1, ...) over a UDP socket connected to the AP; the AP
//     counts datagrams on a UDP socket bound to port 9 (RecvCallback).
//
// Output: one JSON object on stdout with wifi-grid's field names where they
// apply (nodes, bss, sim_s, sent, received, delivery, events,
// traffic_events, events_per_sim_s, transmissions, build_wall_s,
// warmup_wall_s, traffic_wall_s, wall_per_sim_s, cpu_per_sim_s,
// events_per_wall_s) plus memory as resident set size (process-wide, so it
// includes ns-3's libraries): RSS added by building per node, RSS at the end
// per node, peak RSS. Events are Simulator::GetEventCount(); transmissions
// count the PHYs' PhyTxBegin traces (data frames and ACKs); phy_rx_ok,
// phy_rx_error and phy_drops (by WifiPhyRxfailureReason) count what the PHYs
// did with the PPDUs that reached them over the whole run, as wifi-grid's
// fields of the same names do.
//
// With --infra=1 the output also has "associated" (stations associated
// when the traffic window starts) and "assoc_ms" (the first, 10th, 50th and
// 90th percentile and last first-association times of the stations
// associated by the end of the warm-up, ms, as sorted[floor(p*(n-1))],
// like wifi-grid's; left out if there are none) and "assoc_delay_ms" (the
// same of each one's first association less its power-on time, --starts).
//
// Flags: --nodes=0 (N: bss = N/(stations+1)) --bss=100 --stations=9
//        --spacing=50 --radius=10 --payload=200 --interval=0.1 --warmup=0.5
//        --duration=1 --drain=0.1 (seconds) --positions=FILE --seed=1 --run=1
//        --queueDisc=0 --infra=0 --starts=FILE

#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/mobility-module.h"
#include "ns3/network-module.h"
#include "ns3/traffic-control-module.h"
#include "ns3/wifi-module.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{
const uint16_t kPort = 9;

// One station's Poisson source: Exp(mean) gaps in whole nanoseconds, the
// first counted from the application's start, none at or after `end`.
class PoissonSender : public Application
{
  public:
    void Setup(Ptr<Socket> socket, uint32_t payload, double meanNs, Time end, int64_t stream)
    {
        m_socket = socket;
        m_payload = payload;
        m_end = end;
        m_gap = CreateObject<ExponentialRandomVariable>();
        m_gap->SetAttribute("Mean", DoubleValue(meanNs));
        m_gap->SetStream(stream);
    }

    uint64_t Sent() const { return m_sent; }

  private:
    Time Gap() { return NanoSeconds(std::llround(m_gap->GetValue())); }

    void StartApplication() override { Next(); }

    void StopApplication() override { Simulator::Cancel(m_event); }

    void Next()
    {
        Time at = Simulator::Now() + Gap();
        if (at < m_end)
        {
            m_event = Simulator::Schedule(at - Simulator::Now(), &PoissonSender::Send, this);
        }
    }

    void Send()
    {
        ++m_sent;
        m_socket->Send(Create<Packet>(m_payload)); // a full queue drops it: counted as lost
        Next();
    }

    Ptr<Socket> m_socket;
    Ptr<ExponentialRandomVariable> m_gap;
    uint32_t m_payload = 0;
    Time m_end;
    EventId m_event;
    uint64_t m_sent = 0;
};

uint64_t g_received = 0;
uint64_t g_transmissions = 0;

// RefillArp puts the station's permanent ARP entry for its AP back: ns-3's
// ArpL3Protocol::CreateCache flushes the whole cache, permanent entries
// included, on every link change of the device (ArpCache::Flush as its
// link change callback), and a StaWifiMac's link comes up when it
// associates. Registered after the stack's, it runs after the flush, so the
// stations keep their AP's address pre-filled as netgym's do; without it
// every station's first packet after association went behind an ARP
// request (broadcast, relayed by the AP) and reply: three more frames and
// their ACKs per station.
void
RefillArp(Ptr<ArpCache> cache, Ipv4Address ip, Mac48Address mac)
{
    ArpCache::Entry* e = cache->Lookup(ip);
    if (e == nullptr)
    {
        e = cache->Add(ip);
    }
    e->SetMacAddress(mac);
    e->MarkPermanent();
}

// ReadDataLines calls parse on each line of path but blank and '#' ones
// (netgym's files: a comment, then one node a line); a line parse refuses
// makes err "path:line: want <want>, got ...".
bool
ReadDataLines(const std::string& path,
              const std::string& want,
              std::string& err,
              const std::function<bool(std::istringstream&)>& parse)
{
    std::ifstream f(path);
    if (!f)
    {
        err = "cannot open " + path;
        return false;
    }
    std::string line;
    int n = 0;
    while (std::getline(f, line))
    {
        ++n;
        if (line.empty() || line[0] == '#')
        {
            continue;
        }
        std::istringstream in(line);
        if (!parse(in))
        {
            err = path + ":" + std::to_string(n) + ": want " + want + ", got \"" + line + "\"";
            return false;
        }
    }
    return true;
}

// Private member access for DelayedStaWifiMac: an explicit instantiation
// may name a private member, and the friend function it defines hands the
// pointer out ([temp.spec]/6 in C++17: access checking does not apply to
// the names in an explicit instantiation).
struct StartScanningTag
{
    using type = void (StaWifiMac::*)();
    friend type Get(StartScanningTag);
};

template <typename Tag, typename Tag::type M>
struct Robber
{
    friend typename Tag::type Get(Tag)
    {
        return M;
    }
};

template struct Robber<StartScanningTag, &StaWifiMac::StartScanning>;

// DelayedStaWifiMac is ns-3 3.37's StaWifiMac whose first scan starts
// m_start after initialisation instead of at it (StaWifiMac::DoInitialize
// calls StartScanning and nothing else), the counterpart of netgym's
// StaConfig.StartJitter for a side-by-side run with the same power-on
// times (--starts).
class DelayedStaWifiMac : public StaWifiMac
{
  public:
    static TypeId GetTypeId()
    {
        static TypeId tid = TypeId("ns3::DelayedStaWifiMac")
                                .SetParent<StaWifiMac>()
                                .SetGroupName("Wifi")
                                .AddConstructor<DelayedStaWifiMac>();
        return tid;
    }

    void SetStart(Time start)
    {
        m_start = start;
    }

  private:
    void DoInitialize() override
    {
        Simulator::Schedule(m_start, &DelayedStaWifiMac::Scan, this);
    }

    void Scan()
    {
        (this->*Get(StartScanningTag()))();
    }

    Time m_start;
};

NS_OBJECT_ENSURE_REGISTERED(DelayedStaWifiMac);

// ReadStarts reads one integer (ns) a line, skipping blank and '#' lines.
bool
ReadStarts(const std::string& path, std::vector<int64_t>& out, std::string& err)
{
    return ReadDataLines(path, "nanoseconds >= 0", err, [&out](std::istringstream& in) {
        long long ns;
        std::string rest;
        if (!(in >> ns) || (in >> rest) || ns < 0)
        {
            return false;
        }
        out.push_back(ns);
        return true;
    });
}

// Each station's first association time (infrastructure), by node index;
// negative until it associates.
std::vector<double> g_firstAssocMs;

void
OnAssoc(uint32_t node, Mac48Address)
{
    if (g_firstAssocMs[node] < 0)
    {
        g_firstAssocMs[node] = Simulator::Now().GetSeconds() * 1e3;
    }
}

void
OnApReceive(Ptr<Socket> socket)
{
    while (socket->Recv())
    {
        ++g_received;
    }
}

// Transmissions by MAC frame type (WifiMacHeader::GetTypeString), over the
// whole run.
std::map<std::string, uint64_t> g_txTypes;

void
OnTxBegin(Ptr<const Packet> p, double)
{
    ++g_transmissions;
    WifiMacHeader h;
    if (p->PeekHeader(h))
    {
        ++g_txTypes[h.GetTypeString()];
    }
}

std::string
TxTypesJson()
{
    std::ostringstream o;
    o << "{";
    bool first = true;
    for (const auto& [k, v] : g_txTypes)
    {
        o << (first ? "" : ",") << "\"" << k << "\":" << v;
        first = false;
    }
    o << "}";
    return o.str();
}

// What every PHY did with the PPDUs that reached it, summed over the PHYs
// and the whole run: PhyRxDrop by WifiPhyRxfailureReason (wifi-phy-common.h),
// and the state helper's RxOk and RxError (a payload that failed its PER
// draw). netgym's wifi-grid reports the same counts (mac80211.PhyCounters)
// under the same names.
const uint32_t kReasons = 64;
uint64_t g_drops[kReasons] = {};
uint64_t g_rxOk = 0;
uint64_t g_rxError = 0;

void
OnRxDrop(Ptr<const Packet>, WifiPhyRxfailureReason reason)
{
    ++g_drops[uint32_t(reason) < kReasons ? uint32_t(reason) : 0];
}

void
OnRxOk(Ptr<const Packet>, double, WifiMode, WifiPreamble)
{
    ++g_rxOk;
}

void
OnRxError(Ptr<const Packet>, double)
{
    ++g_rxError;
}

// PhyDropsJson returns the non-zero drop counts as a JSON object keyed by
// the reasons' names (ns-3's operator<< for WifiPhyRxfailureReason).
std::string
PhyDropsJson()
{
    std::ostringstream o;
    o << "{";
    bool first = true;
    for (uint32_t r = 0; r < kReasons; ++r)
    {
        if (g_drops[r] == 0)
        {
            continue;
        }
        o << (first ? "" : ",") << "\"" << WifiPhyRxfailureReason(r) << "\":" << g_drops[r];
        first = false;
    }
    o << "}";
    return o.str();
}

double
CpuSeconds()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
           1e-6 * (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

// Resident set size now, bytes (/proc/self/statm's second field).
double
RssBytes()
{
    std::ifstream f("/proc/self/statm");
    long pages = 0, resident = 0;
    f >> pages >> resident;
    return double(resident) * double(sysconf(_SC_PAGESIZE));
}

double
PeakRssBytes()
{
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return double(ru.ru_maxrss) * 1024.0;
}

double
Since(std::chrono::steady_clock::time_point t0)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ReadPositions reads "x y" lines (skipping blank and '#' lines).
bool
ReadPositions(const std::string& path, std::vector<Vector>& out, std::string& err)
{
    return ReadDataLines(path, "\"x y\"", err, [&out](std::istringstream& in) {
        double x, y;
        if (!(in >> x >> y))
        {
            return false;
        }
        out.emplace_back(x, y, 0.0);
        return true;
    });
}
} // namespace

int
main(int argc, char* argv[])
{
    auto tBuild = std::chrono::steady_clock::now();
    double rss0 = RssBytes();
    uint32_t nodesFlag = 0;
    uint32_t bss = 100;
    uint32_t stations = 9;
    double spacing = 50;
    double radius = 10;
    uint32_t payload = 200;
    double interval = 0.1;
    double warmup = 0.5;
    double duration = 1.0;
    double drain = 0.1;
    std::string positions;
    uint32_t seed = 1;
    uint32_t run = 1;
    bool queueDisc = false;
    bool infra = false;
    std::string starts;

    CommandLine cmd(__FILE__);
    cmd.AddValue("nodes", "total nodes: sets bss to nodes/(stations+1) (0: use bss)", nodesFlag);
    cmd.AddValue("bss", "BSSs", bss);
    cmd.AddValue("stations", "stations per BSS", stations);
    cmd.AddValue("spacing", "metres between neighbouring APs", spacing);
    cmd.AddValue("radius", "stations within this many metres of their AP", radius);
    cmd.AddValue("payload", "UDP payload bytes", payload);
    cmd.AddValue("interval", "mean time between a station's packets, s", interval);
    cmd.AddValue("warmup", "time before traffic, s", warmup);
    cmd.AddValue("duration", "traffic window, s", duration);
    cmd.AddValue("drain", "time after the window for packets to arrive, s", drain);
    cmd.AddValue("positions", "read node positions from this file (netgym's wifi-grid -positions)", positions);
    cmd.AddValue("seed", "RngSeedManager seed", seed);
    cmd.AddValue("run", "RngSeedManager run", run);
    cmd.AddValue("queueDisc", "keep the FqCoDel root queue disc Ipv4AddressHelper installs", queueDisc);
    cmd.AddValue("infra", "ApWifiMac and StaWifiMac (BSS b's SSID bss-b) instead of AdhocWifiMac", infra);
    cmd.AddValue("starts", "with --infra=1: start each station's first scan at its time from this file (netgym's wifi-grid -starts)", starts);
    cmd.Parse(argc, argv);
    if (nodesFlag > 0)
    {
        bss = std::max<uint32_t>(1, nodesFlag / (stations + 1));
    }
    if (bss < 1 || stations < 1 || !(spacing > 0) || !(radius >= 0) || payload < 1 ||
        payload > 2296 - 28 || !(interval > 0) || !(warmup >= 0) || !(duration > 0) ||
        !(drain >= 0))
    {
        std::cerr << "wifi-grid: bad flags (see --help)" << std::endl;
        return 2;
    }
    RngSeedManager::SetSeed(seed);
    RngSeedManager::SetRun(run);
    const uint32_t perBss = 1 + stations;
    const uint32_t n = bss * perBss;

    // Positions: from netgym's file, or bssgrid's rule on ns-3's RNG.
    std::vector<Vector> pos;
    if (!positions.empty())
    {
        std::string err;
        if (!ReadPositions(positions, pos, err))
        {
            std::cerr << "wifi-grid: " << err << std::endl;
            return 1;
        }
        if (pos.size() != n)
        {
            std::cerr << "wifi-grid: " << positions << " has " << pos.size() << " positions, want "
                      << n << " (" << bss << " BSSs of " << perBss << ")" << std::endl;
            return 1;
        }
    }
    else
    {
        Ptr<UniformRandomVariable> u = CreateObject<UniformRandomVariable>();
        u->SetStream(int64_t(bss) * stations); // after the senders' 0 .. bss*stations-1
        const uint32_t cols = uint32_t(std::ceil(std::sqrt(double(bss))));
        for (uint32_t b = 0; b < bss; ++b)
        {
            Vector ap((b % cols) * spacing, (b / cols) * spacing, 0.0);
            pos.push_back(ap);
            for (uint32_t i = 0; i < stations; ++i)
            {
                double r = radius * std::sqrt(u->GetValue());
                double th = 2 * M_PI * u->GetValue();
                pos.emplace_back(ap.x + r * std::cos(th), ap.y + r * std::sin(th), 0.0);
            }
        }
    }

    std::vector<int64_t> startNs;
    if (!starts.empty())
    {
        std::string err;
        if (!infra)
        {
            std::cerr << "wifi-grid: --starts needs --infra=1" << std::endl;
            return 2;
        }
        if (!ReadStarts(starts, startNs, err))
        {
            std::cerr << "wifi-grid: " << err << std::endl;
            return 1;
        }
        if (startNs.size() != n)
        {
            std::cerr << "wifi-grid: " << starts << " has " << startNs.size() << " times, want " << n
                      << std::endl;
            return 1;
        }
    }

    // Node b*perBss is BSS b's AP, the next `stations` nodes its stations.
    NodeContainer nodes;
    nodes.Create(n);

    YansWifiChannelHelper channel = YansWifiChannelHelper::Default();
    YansWifiPhyHelper phy;
    phy.SetChannel(channel.Create());
    WifiHelper wifi;
    wifi.SetStandard(WIFI_STANDARD_80211a);
    wifi.SetRemoteStationManager("ns3::ConstantRateWifiManager",
                                 "DataMode", StringValue("OfdmRate54Mbps"),
                                 "ControlMode", StringValue("OfdmRate6Mbps"));
    WifiMacHelper mac;
    NetDeviceContainer devices;
    if (infra)
    {
        // Device i stays node i's: BSS by BSS, the AP first.
        for (uint32_t b = 0; b < bss; ++b)
        {
            Ssid ssid("bss-" + std::to_string(b));
            mac.SetType("ns3::ApWifiMac", "Ssid", SsidValue(ssid));
            devices.Add(wifi.Install(phy, mac, nodes.Get(b * perBss)));
            mac.SetType(startNs.empty() ? "ns3::StaWifiMac" : "ns3::DelayedStaWifiMac",
                        "Ssid",
                        SsidValue(ssid));
            for (uint32_t i = 1; i <= stations; ++i)
            {
                NetDeviceContainer d = wifi.Install(phy, mac, nodes.Get(b * perBss + i));
                if (!startNs.empty())
                {
                    DynamicCast<DelayedStaWifiMac>(DynamicCast<WifiNetDevice>(d.Get(0))->GetMac())
                        ->SetStart(NanoSeconds(startNs[b * perBss + i]));
                }
                devices.Add(d);
            }
        }
        g_firstAssocMs.assign(n, -1.0);
        for (uint32_t i = 0; i < n; ++i)
        {
            if (i % perBss != 0)
            {
                DynamicCast<WifiNetDevice>(devices.Get(i))
                    ->GetMac()
                    ->TraceConnectWithoutContext("Assoc", MakeBoundCallback(&OnAssoc, i));
            }
        }
    }
    else
    {
        mac.SetType("ns3::AdhocWifiMac");
        devices = wifi.Install(phy, mac, nodes);
    }

    Ptr<ListPositionAllocator> alloc = CreateObject<ListPositionAllocator>();
    for (const Vector& v : pos)
    {
        alloc->Add(v);
    }
    MobilityHelper mobility;
    mobility.SetPositionAllocator(alloc);
    mobility.SetMobilityModel("ns3::ConstantPositionMobilityModel");
    mobility.Install(nodes);

    InternetStackHelper internet;
    internet.Install(nodes);
    Ipv4AddressHelper ipv4;
    ipv4.SetBase("10.0.0.0", "255.0.0.0");
    Ipv4InterfaceContainer ifaces = ipv4.Assign(devices);
    if (!queueDisc)
    {
        TrafficControlHelper().Uninstall(devices);
    }

    for (uint32_t i = 0; i < n; ++i)
    {
        DynamicCast<WifiNetDevice>(devices.Get(i))
            ->GetPhy()
            ->TraceConnectWithoutContext("PhyTxBegin", MakeCallback(&OnTxBegin));
        Ptr<WifiPhy> phy = DynamicCast<WifiNetDevice>(devices.Get(i))->GetPhy();
        phy->TraceConnectWithoutContext("PhyRxDrop", MakeCallback(&OnRxDrop));
        phy->GetState()->TraceConnectWithoutContext("RxOk", MakeCallback(&OnRxOk));
        phy->GetState()->TraceConnectWithoutContext("RxError", MakeCallback(&OnRxError));
    }

    const Time tWarm = NanoSeconds(std::llround(warmup * 1e9));
    const Time tDur = NanoSeconds(std::llround(duration * 1e9));
    const Time tDrain = NanoSeconds(std::llround(drain * 1e9));
    TypeId udp = UdpSocketFactory::GetTypeId();
    std::vector<Ptr<PoissonSender>> senders;
    senders.reserve(bss * stations);
    for (uint32_t b = 0; b < bss; ++b)
    {
        const uint32_t apIdx = b * perBss;
        Ptr<Node> ap = nodes.Get(apIdx);
        Ipv4Address apAddr = ifaces.GetAddress(apIdx);
        Address apMac = devices.Get(apIdx)->GetAddress();
        Ptr<Socket> sink = Socket::CreateSocket(ap, udp);
        sink->Bind(InetSocketAddress(Ipv4Address::GetAny(), kPort));
        sink->SetRecvCallback(MakeCallback(&OnApReceive));
        for (uint32_t i = 1; i <= stations; ++i)
        {
            Ptr<Node> sta = nodes.Get(apIdx + i);
            Ptr<Ipv4L3Protocol> l3 = sta->GetObject<Ipv4L3Protocol>();
            Ptr<Ipv4Interface> iface = l3->GetInterface(l3->GetInterfaceForDevice(devices.Get(apIdx + i)));
            ArpCache::Entry* e = iface->GetArpCache()->Add(apAddr);
            e->SetMacAddress(apMac);
            e->MarkPermanent();
            if (infra)
            {
                devices.Get(apIdx + i)->AddLinkChangeCallback(MakeBoundCallback(
                    &RefillArp, iface->GetArpCache(), apAddr, Mac48Address::ConvertFrom(apMac)));
            }

            Ptr<Socket> sock = Socket::CreateSocket(sta, udp);
            sock->Connect(InetSocketAddress(apAddr, kPort));
            Ptr<PoissonSender> app = CreateObject<PoissonSender>();
            app->Setup(sock, payload, interval * 1e9, tWarm + tDur, int64_t(senders.size()));
            app->SetStartTime(tWarm);
            sta->AddApplication(app);
            senders.push_back(app);
        }
    }
    double buildWall = Since(tBuild);
    double rssBuild = RssBytes();

    auto t0 = std::chrono::steady_clock::now();
    Simulator::Stop(tWarm);
    Simulator::Run();
    double warmupWall = Since(t0);

    // The first association times as at the end of the warm-up, as
    // netgym's bssgrid.Result.FirstAssociations (a station associating
    // during the traffic window is counted in neither).
    // assocDelayMs: each of them less the station's power-on time (--starts,
    // or 0), as netgym's AssociationDelays.
    std::vector<double> assocMs, assocDelayMs;
    for (uint32_t i = 0; i < g_firstAssocMs.size(); ++i)
    {
        if (g_firstAssocMs[i] >= 0)
        {
            assocMs.push_back(g_firstAssocMs[i]);
            assocDelayMs.push_back(g_firstAssocMs[i] - (startNs.empty() ? 0.0 : startNs[i] / 1e6));
        }
    }
    std::sort(assocMs.begin(), assocMs.end());
    std::sort(assocDelayMs.begin(), assocDelayMs.end());
    uint32_t associated = 0;
    for (uint32_t i = 0; infra && i < n; ++i)
    {
        if (i % perBss != 0 &&
            DynamicCast<StaWifiMac>(DynamicCast<WifiNetDevice>(devices.Get(i))->GetMac())
                ->IsAssociated())
        {
            ++associated;
        }
    }

    uint64_t ev0 = Simulator::GetEventCount();
    uint64_t tx0 = g_transmissions;
    double cpu0 = CpuSeconds();
    t0 = std::chrono::steady_clock::now();
    Simulator::Stop(tDur);
    Simulator::Run();
    double trafficWall = Since(t0);
    double cpu1 = CpuSeconds();
    uint64_t trafficEvents = Simulator::GetEventCount() - ev0;
    uint64_t txTraffic = g_transmissions - tx0;

    Simulator::Stop(tDrain);
    Simulator::Run();
    uint64_t sent = 0;
    for (const auto& s : senders)
    {
        sent += s->Sent();
    }
    double rssEnd = RssBytes();
    double simS = tDur.GetSeconds();

    char buf[4096];
    std::snprintf(
        buf, sizeof buf,
        "{\"simulator\":\"ns-3 %s\",\"nodes\":%u,\"bss\":%u,\"positions\":\"%s\",\"sim_s\":%.9g,"
        "\"sent\":%llu,\"received\":%llu,\"delivery\":%.6f,\"events\":%llu,"
        "\"traffic_events\":%llu,\"events_per_sim_s\":%.6g,\"transmissions\":%llu,"
        "\"traffic_transmissions\":%llu,\"build_wall_s\":%.6g,\"warmup_wall_s\":%.6g,"
        "\"traffic_wall_s\":%.6g,\"wall_per_sim_s\":%.6g,\"cpu_per_sim_s\":%.6g,"
        "\"events_per_wall_s\":%.6g,\"build_rss_bytes_per_node\":%.0f,"
        "\"final_rss_bytes_per_node\":%.0f,\"peak_rss_bytes\":%.0f,\"queue_disc\":%s,"
        "\"phy_rx_ok\":%llu,\"phy_rx_error\":%llu,\"phy_drops\":%s}",
        "3.37", n, bss, positions.empty() ? "ns-3 rng" : "file", simS,
        (unsigned long long)sent, (unsigned long long)g_received,
        sent ? double(g_received) / double(sent) : 0.0,
        (unsigned long long)Simulator::GetEventCount(), (unsigned long long)trafficEvents,
        trafficEvents / simS, (unsigned long long)g_transmissions, (unsigned long long)txTraffic,
        buildWall, warmupWall, trafficWall, trafficWall / simS, (cpu1 - cpu0) / simS,
        trafficEvents / trafficWall, (rssBuild - rss0) / n, (rssEnd - rss0) / n, PeakRssBytes(),
        queueDisc ? "true" : "false", (unsigned long long)g_rxOk, (unsigned long long)g_rxError,
        PhyDropsJson().c_str());
    std::string out(buf);
    out.pop_back(); // the closing brace
    out += ",\"tx_types\":" + TxTypesJson() + "}";
    if (infra)
    {
        // assoc_ms and assoc_delay_ms are left out when no station
        // associated during the warm-up, as netgym's are.
        std::ostringstream o;
        o.precision(9);
        o << ",\"associated\":" << associated;
        const char* names[] = {"first", "p10", "median", "p90", "last"};
        const double ps[] = {0, 0.1, 0.5, 0.9, 1};
        for (const auto& [key, t] :
             {std::make_pair("assoc_ms", &assocMs), std::make_pair("assoc_delay_ms", &assocDelayMs)})
        {
            if (t->empty())
            {
                continue;
            }
            o << ",\"" << key << "\":{";
            for (int k = 0; k < 5; ++k)
            {
                o << (k ? "," : "") << "\"" << names[k] << "\":" << (*t)[size_t(ps[k] * double(t->size() - 1))];
            }
            o << "}";
        }
        o << "}";
        out.pop_back(); // the closing brace
        out += o.str();
    }
    std::cout << out << std::endl;
    Simulator::Destroy();
    return 0;
}
