// SPDX-License-Identifier: GPL-2.0-only
//
// ns-3 3.37 reference for netgym's apps.OnOff timing: two nodes on a
// point-to-point link, an OnOffApplication with constant on/off times
// sending UDP to a PacketSink; prints the time of every Tx trace in
// nanoseconds, the bytes the sink received, and ns-3's Seconds() and
// residual-bit conversions for a few values (apps/ns3time_test.go).
//
//   bin/onoff-timing --rate=1Mbps --size=1000 --on=0.05 --off=0.03 \
//       --start=1 --stop=1.2 --maxBytes=0
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"

#include <cstdio>

using namespace ns3;

static void
Tx(Ptr<const Packet> p)
{
    std::printf("tx %lld %u\n", (long long)Simulator::Now().GetNanoSeconds(), p->GetSize());
}

int
main(int argc, char* argv[])
{
    std::string rate = "1Mbps";
    uint32_t size = 1000;
    double on = 0.05, off = 0.03, start = 1, stop = 1.2;
    uint64_t maxBytes = 0;
    CommandLine cmd;
    cmd.AddValue("rate", "OnOff DataRate", rate);
    cmd.AddValue("size", "OnOff PacketSize", size);
    cmd.AddValue("on", "constant OnTime (s)", on);
    cmd.AddValue("off", "constant OffTime (s)", off);
    cmd.AddValue("start", "start time (s)", start);
    cmd.AddValue("stop", "stop time (s)", stop);
    cmd.AddValue("maxBytes", "OnOff MaxBytes", maxBytes);
    cmd.Parse(argc, argv);

    NodeContainer nodes;
    nodes.Create(2);
    PointToPointHelper p2p;
    p2p.SetDeviceAttribute("DataRate", StringValue("100Mbps"));
    p2p.SetChannelAttribute("Delay", StringValue("1ms"));
    NetDeviceContainer devs = p2p.Install(nodes);
    InternetStackHelper stack;
    stack.Install(nodes);
    Ipv4AddressHelper addr;
    addr.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ifs = addr.Assign(devs);

    OnOffHelper onoff("ns3::UdpSocketFactory", InetSocketAddress(ifs.GetAddress(1), 9));
    onoff.SetAttribute("DataRate", StringValue(rate));
    onoff.SetAttribute("PacketSize", UintegerValue(size));
    onoff.SetAttribute("MaxBytes", UintegerValue(maxBytes));
    std::ostringstream onS, offS;
    onS << "ns3::ConstantRandomVariable[Constant=" << on << "]";
    offS << "ns3::ConstantRandomVariable[Constant=" << off << "]";
    onoff.SetAttribute("OnTime", StringValue(onS.str()));
    onoff.SetAttribute("OffTime", StringValue(offS.str()));
    ApplicationContainer app = onoff.Install(nodes.Get(0));
    app.Start(Seconds(start));
    app.Stop(Seconds(stop));
    app.Get(0)->TraceConnectWithoutContext("Tx", MakeCallback(&Tx));

    PacketSinkHelper sinkHelper("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
    ApplicationContainer sink = sinkHelper.Install(nodes.Get(1));
    sink.Start(Seconds(0));

    Simulator::Stop(Seconds(stop + 1));
    Simulator::Run();
    std::printf("sink %llu\n", (unsigned long long)DynamicCast<PacketSink>(sink.Get(0))->GetTotalRx());
    Simulator::Destroy();

    // The conversions apps/ns3time.go reproduces.
    for (double x : {0.008, 0.004096, 1.0 / 3, 8 / 16e6, 1.5e-9, 2.5e-9, 4096 / 3e6, 1e-12})
    {
        std::printf("seconds %.17g %lld\n", x, (long long)Seconds(x).GetNanoSeconds());
    }
    for (long long d : {1000000LL, 2000000LL, 3999000LL, 7000000001LL})
    {
        int64x64_t bits = NanoSeconds(d).To(Time::S) * DataRate("1Mbps").GetBitRate();
        std::printf("residual %lld 1000000 %lld\n", d, (long long)bits.GetHigh());
    }
    return 0;
}
