// SPDX-License-Identifier: GPL-2.0-only
//
// hold.cc: the classic "hold model" benchmark for the ns-3 event scheduler.
//
// A fixed population of `pop` pending events is kept in the queue: every
// executed event schedules exactly one new event at now + Exp(mean = pop us),
// rounded to whole nanoseconds (ns-3's Time resolution). The first `pop`
// events are scheduled before timing at Exp(mean = pop us) offsets from t = 0.
// We then time (std::chrono::steady_clock) the execution of N events and
// print events/s. The random numbers come from std::mt19937_64 so that the
// RNG cost is small next to the scheduler cost being measured.
//
// Usage: hold [SchedulerType] [pop] [N]
//   SchedulerType: ns3::MapScheduler (ns-3 default), ns3::HeapScheduler,
//                  ns3::CalendarScheduler, ns3::ListScheduler, ...
//   pop: queue population (default 1000); N: events to time (default 3000000)

#include "ns3/core-module.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>

using namespace ns3;

namespace
{
std::mt19937_64 g_rng(12345);
std::exponential_distribution<double> g_exp; // rate set in main
uint64_t g_executed = 0;                     // events executed since timing began
uint64_t g_target = 0;                       // stop after this many events

// Exponential delay in whole nanoseconds (mean = pop microseconds).
Time
NextDelay()
{
    return NanoSeconds(static_cast<uint64_t>(std::llround(g_exp(g_rng))));
}

// One hold event: count it, and keep the population constant by scheduling
// a successor. Stop the simulator (at the end of this event) after N events.
void
Hold()
{
    Simulator::Schedule(NextDelay(), &Hold);
    if (++g_executed == g_target)
    {
        Simulator::Stop();
    }
}
} // namespace

int
main(int argc, char* argv[])
{
    std::string scheduler = argc > 1 ? argv[1] : "ns3::MapScheduler";
    uint64_t pop = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
    g_target = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 3000000;

    ObjectFactory factory;
    factory.SetTypeId(scheduler);
    Simulator::SetScheduler(factory);

    // mean delay = pop microseconds = pop * 1000 ns
    g_exp = std::exponential_distribution<double>(1.0 / (static_cast<double>(pop) * 1000.0));

    // Fill the queue (not timed).
    for (uint64_t i = 0; i < pop; ++i)
    {
        Simulator::Schedule(NextDelay(), &Hold);
    }

    auto t0 = std::chrono::steady_clock::now();
    Simulator::Run();
    auto t1 = std::chrono::steady_clock::now();
    double sec = std::chrono::duration<double>(t1 - t0).count();

    std::cout << "scheduler=" << scheduler << " pop=" << pop << " events=" << g_executed
              << " wall_s=" << sec << " events_per_s=" << static_cast<uint64_t>(g_executed / sec)
              << " sim_now_s=" << Simulator::Now().GetSeconds() << std::endl;
    Simulator::Destroy();
    return 0;
}
