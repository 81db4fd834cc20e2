// boostpeer: a Boost.Interprocess peer for netgym's ns3ai tests and
// benchmarks, written for netgym. It builds the segment exactly as
// ns3-ai's Ns3AiMsgInterfaceImpl does (model/msg-interface/
// ns3-ai-msg-interface.h: managed_shared_memory, construct<T>(name) of the
// two messages and of a five-byte sync struct, vectors with the segment
// manager's allocator) and runs its semaphore protocol
// (ns3-ai-semaphore.h: __sync_val_compare_and_swap on single bytes),
// without ns-3 or ns3-ai's sources.
//
//   g++ -O2 -o boostpeer boostpeer.cc -lrt -lpthread   (Debian: libboost-dev)
//
//   boostpeer create SEG stru|vec [N]  create, print "ready", wait for stdin EOF, remove
//   boostpeer agent  SEG stru|vec [N]  create and answer a+b until the simulation finishes
//   boostpeer sim    SEG stru|vec R    open, send R rounds and check the sums, then finish;
//                                      prints "rounds=R p50=..us p90=..us p99=..us"
#include <boost/interprocess/allocators/allocator.hpp>
#include <boost/interprocess/containers/vector.hpp>
#include <boost/interprocess/managed_shared_memory.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace bip = boost::interprocess;

struct Env { uint32_t a, b; };
struct Act { uint32_t c; };
struct Sync {  // ns3-ai's Ns3AiMsgSync
    volatile uint8_t c2pEmpty{1}, c2pFull{0}, p2cEmpty{1}, p2cFull{0};
    bool finished{false};
};
typedef bip::managed_shared_memory::segment_manager SM;
typedef bip::vector<Env, bip::allocator<Env, SM>> EnvVec;
typedef bip::vector<Act, bip::allocator<Act, SM>> ActVec;

static const char* kC2P = "My Cpp to Python Msg";
static const char* kP2C = "My Python to Cpp Msg";
static const char* kSync = "My Lockable";

static void semWait(volatile uint8_t* m) {
    for (;;) {
        uint8_t c = *m;
        __sync_synchronize();
        while (c != 0) {
            uint8_t old = __sync_val_compare_and_swap(const_cast<uint8_t*>(m), c, (uint8_t)(c - 1));
            if (old == c) return;
            c = old;
        }
    }
}
static void semPost(volatile uint8_t* m) { __sync_fetch_and_add(const_cast<uint8_t*>(m), 1); }

int main(int argc, char** argv) {
    if (argc < 4) { std::cerr << "usage: boostpeer create|agent|sim SEG stru|vec [N]\n"; return 2; }
    std::string mode = argv[1], seg = argv[2];
    bool vec = std::string(argv[3]) == "vec";
    long n = argc > 4 ? std::atol(argv[4]) : 3;
    try {
        if (mode == "create" || mode == "agent") {
            bip::shared_memory_object::remove(seg.c_str());
            bip::managed_shared_memory s(bip::create_only, seg.c_str(), 4096);
            Env* env = nullptr; Act* act = nullptr; EnvVec* ev = nullptr; ActVec* av = nullptr;
            if (vec) {
                ev = s.construct<EnvVec>(kC2P)(s.get_segment_manager());
                av = s.construct<ActVec>(kP2C)(s.get_segment_manager());
            } else {
                env = s.construct<Env>(kC2P)();
                act = s.construct<Act>(kP2C)();
            }
            Sync* y = s.construct<Sync>(kSync)();
            if (vec) { ev->resize(n); av->resize(n); }  // as ns3ai_utils.Experiment, after construction
            std::cout << "ready" << std::endl;
            if (mode == "create") {
                std::string line; while (std::getline(std::cin, line)) {}
            } else {
                long rounds = 0;
                for (;;) {
                    semWait(&y->c2pFull);                 // PyRecvBegin
                    if (y->finished) break;
                    semWait(&y->p2cEmpty);                // PySendBegin
                    if (vec) for (size_t i = 0; i < ev->size(); i++) (*av)[i].c = (*ev)[i].a + (*ev)[i].b;
                    else act->c = env->a + env->b;
                    semPost(&y->c2pEmpty);                // PyRecvEnd
                    semPost(&y->p2cFull);                 // PySendEnd
                    rounds++;
                }
                std::cout << "rounds=" << rounds << std::endl;
            }
            bip::shared_memory_object::remove(seg.c_str());
            return 0;
        }
        if (mode == "sim") {
            bip::managed_shared_memory s(bip::open_only, seg.c_str());
            Env* env = nullptr; Act* act = nullptr; EnvVec* ev = nullptr; ActVec* av = nullptr;
            if (vec) { ev = s.find<EnvVec>(kC2P).first; av = s.find<ActVec>(kP2C).first; }
            else { env = s.find<Env>(kC2P).first; act = s.find<Act>(kP2C).first; }
            Sync* y = s.find<Sync>(kSync).first;
            if (!y || (vec ? (!ev || !av) : (!env || !act))) { std::cerr << "objects not found\n"; return 1; }
            std::vector<double> lat; lat.reserve(n);
            for (long i = 0; i < n; i++) {
                uint32_t a = i % 10 + 1, b = (i * 7) % 10 + 1;
                auto t0 = std::chrono::steady_clock::now();
                semWait(&y->c2pEmpty);                    // CppSendBegin
                if (vec) for (auto& e : *ev) { e.a = a; e.b = b; } else { env->a = a; env->b = b; }
                semPost(&y->c2pFull);                     // CppSendEnd
                semWait(&y->p2cFull);                     // CppRecvBegin
                bool ok = vec ? std::all_of(av->begin(), av->end(), [&](const Act& x) { return x.c == a + b; })
                              : act->c == a + b;
                semPost(&y->p2cEmpty);                    // CppRecvEnd
                lat.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
                if (!ok) { std::cerr << "round " << i << ": wrong sum\n"; return 1; }
            }
            semWait(&y->c2pEmpty);                        // CppSetFinished
            y->finished = true;
            semPost(&y->c2pFull);
            std::sort(lat.begin(), lat.end());
            auto q = [&](double p) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, (size_t)(p * lat.size()))]; };
            std::printf("rounds=%ld p50=%.2fus p90=%.2fus p99=%.2fus\n", n, q(0.5), q(0.9), q(0.99));
            return 0;
        }
    } catch (const std::exception& e) {
        std::cerr << "boostpeer: " << e.what() << "\n";
        return 1;
    }
    std::cerr << "boostpeer: unknown mode " << mode << "\n";
    return 2;
}
