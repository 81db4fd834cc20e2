// SPDX-License-Identifier: GPL-2.0-only
//
// ns-3 3.37 reference for netgym's flow monitor (flowmon/ns3_test.go):
// three nodes in a line, n0 -(10 Mb/s, 2 ms)- n1 -(1 Mb/s, 10 ms, device
// queue of 5 packets)- n2, static routes, no queue disc (netgym has none),
// and five flows:
//   1. CBR n0 -> n2:9, 1000-byte payloads at 800 kb/s (one per 10 ms),
//      1 s to 2 s: no queueing, a constant delay;
//   2. a burst n0 -> n2:10, 15 payloads of 1000 bytes at 10 Mb/s from 3 s:
//      the 1 Mb/s link queues them, drops some (DROP_QUEUE), and delays
//      the others more and more (jitter);
//   3. n0 -> 10.9.9.9:9, 3 packets: no route at n1 (DROP_NO_ROUTE);
//   4. and 5. a UdpEchoClient on n2 (3 datagrams of 200 bytes, 0.5 s
//      apart, from 4 s) and the UdpEchoServer on n0 answering.
// Applications start exactly at their start time (netgym: StartJitter 0).
// Prints every flow's statistics to the nanosecond (FlowMonitor's XML
// rounds times to 6 digits), then the XML (histograms on), at 6 s.
//
//   bin/flowmon-p2p
#include "ns3/applications-module.h"
#include "ns3/core-module.h"
#include "ns3/flow-monitor-module.h"
#include "ns3/internet-module.h"
#include "ns3/network-module.h"
#include "ns3/point-to-point-module.h"
#include "ns3/traffic-control-module.h"

#include <iostream>

using namespace ns3;

static ApplicationContainer
OnOff(Ptr<Node> from, Ipv4Address to, uint16_t port, std::string rate, uint32_t size,
      uint64_t maxBytes, double start, double stop)
{
    OnOffHelper h("ns3::UdpSocketFactory", InetSocketAddress(to, port));
    h.SetAttribute("DataRate", StringValue(rate));
    h.SetAttribute("PacketSize", UintegerValue(size));
    h.SetAttribute("MaxBytes", UintegerValue(maxBytes));
    h.SetAttribute("OnTime", StringValue("ns3::ConstantRandomVariable[Constant=1000]"));
    h.SetAttribute("OffTime", StringValue("ns3::ConstantRandomVariable[Constant=0]"));
    ApplicationContainer a = h.Install(from);
    a.Start(Seconds(start));
    a.Stop(Seconds(stop));
    return a;
}

int
main(int argc, char* argv[])
{
    CommandLine cmd;
    cmd.Parse(argc, argv);

    NodeContainer n;
    n.Create(3);
    PointToPointHelper fast;
    fast.SetDeviceAttribute("DataRate", StringValue("10Mbps"));
    fast.SetChannelAttribute("Delay", StringValue("2ms"));
    PointToPointHelper slow;
    slow.SetDeviceAttribute("DataRate", StringValue("1Mbps"));
    slow.SetChannelAttribute("Delay", StringValue("10ms"));
    slow.SetQueue("ns3::DropTailQueue", "MaxSize", StringValue("5p"));
    NetDeviceContainer a = fast.Install(n.Get(0), n.Get(1));
    NetDeviceContainer b = slow.Install(n.Get(1), n.Get(2));

    InternetStackHelper stack;
    stack.Install(n);
    Ipv4AddressHelper addr;
    addr.SetBase("10.1.1.0", "255.255.255.0");
    Ipv4InterfaceContainer ia = addr.Assign(a);
    addr.SetBase("10.1.2.0", "255.255.255.0");
    Ipv4InterfaceContainer ib = addr.Assign(b);
    // Ipv4AddressHelper::Assign installs the default queue disc; netgym
    // has none: the device queue is the only queue.
    TrafficControlHelper tch;
    tch.Uninstall(a);
    tch.Uninstall(b);

    Ipv4StaticRoutingHelper srh;
    srh.GetStaticRouting(n.Get(0)->GetObject<Ipv4>())->SetDefaultRoute(ia.GetAddress(1), 1);
    srh.GetStaticRouting(n.Get(2)->GetObject<Ipv4>())->SetDefaultRoute(ib.GetAddress(0), 1);

    Ipv4Address dst = ib.GetAddress(1);
    PacketSinkHelper sink("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 9));
    sink.Install(n.Get(2)).Start(Seconds(0));
    PacketSinkHelper sink10("ns3::UdpSocketFactory", InetSocketAddress(Ipv4Address::GetAny(), 10));
    sink10.Install(n.Get(2)).Start(Seconds(0));

    OnOff(n.Get(0), dst, 9, "800kbps", 1000, 0, 1.0, 2.0);
    OnOff(n.Get(0), dst, 10, "10Mbps", 1000, 15000, 3.0, 3.5);
    OnOff(n.Get(0), Ipv4Address("10.9.9.9"), 9, "1Mbps", 500, 1500, 3.0, 3.5);

    UdpEchoServerHelper echoServer(7);
    echoServer.Install(n.Get(0)).Start(Seconds(0));
    UdpEchoClientHelper echo(ia.GetAddress(0), 7);
    echo.SetAttribute("MaxPackets", UintegerValue(3));
    echo.SetAttribute("Interval", TimeValue(Seconds(0.5)));
    echo.SetAttribute("PacketSize", UintegerValue(200));
    ApplicationContainer ec = echo.Install(n.Get(2));
    ec.Start(Seconds(4.0));
    ec.Stop(Seconds(10.0));

    FlowMonitorHelper fmh;
    Ptr<FlowMonitor> mon = fmh.InstallAll();

    Simulator::Stop(Seconds(6));
    Simulator::Run();
    mon->CheckForLostPackets();
    Ptr<Ipv4FlowClassifier> cls = DynamicCast<Ipv4FlowClassifier>(fmh.GetClassifier());
    for (const auto& [id, st] : mon->GetFlowStats())
    {
        Ipv4FlowClassifier::FiveTuple t = cls->FindFlow(id);
        std::cout << "flow " << id << " " << t.sourceAddress << ":" << t.sourcePort << " > "
                  << t.destinationAddress << ":" << t.destinationPort << " proto "
                  << +t.protocol << " tx " << st.txPackets << " " << st.txBytes << " rx "
                  << st.rxPackets << " " << st.rxBytes << " lost " << st.lostPackets
                  << " forwarded " << st.timesForwarded << " firstTx "
                  << st.timeFirstTxPacket.GetNanoSeconds() << " lastTx "
                  << st.timeLastTxPacket.GetNanoSeconds() << " firstRx "
                  << st.timeFirstRxPacket.GetNanoSeconds() << " lastRx "
                  << st.timeLastRxPacket.GetNanoSeconds() << " delaySum "
                  << st.delaySum.GetNanoSeconds() << " jitterSum "
                  << st.jitterSum.GetNanoSeconds() << " lastDelay "
                  << st.lastDelay.GetNanoSeconds() << " dropped";
        for (uint32_t r = 0; r < st.packetsDropped.size(); r++)
        {
            std::cout << " " << r << ":" << st.packetsDropped[r] << "/" << st.bytesDropped[r];
        }
        std::cout << "\n";
    }
    mon->SerializeToXmlStream(std::cout, 0, true, false);
    Simulator::Destroy();
    return 0;
}
