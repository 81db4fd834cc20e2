// SPDX-License-Identifier: GPL-2.0-only
// netgym's stand-in for ns-3's ns3/singleton.h, enough to compile ns3-ai's
// message interface (model/msg-interface/ns3-ai-msg-interface.h) and its
// pybind11 bindings without ns-3: Ns3AiMsgInterface only calls Get().
#ifndef NETGYM_NS3_SINGLETON_H
#define NETGYM_NS3_SINGLETON_H
namespace ns3
{
template <typename T>
class Singleton
{
  public:
    static T* Get()
    {
        static T instance;
        return &instance;
    }
};
} // namespace ns3
#endif
