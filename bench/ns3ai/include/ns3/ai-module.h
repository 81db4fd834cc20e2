// SPDX-License-Identifier: GPL-2.0-only
// netgym's stand-in for ns3-ai's generated module header: the message
// interface, and the Gym message struct when its folder
// (model/gym-interface) is on the include path; the Gym interface's C++
// classes need ns-3 and protobuf and are left out.
#include "ns3-ai-msg-interface.h"
#if __has_include("ns3-ai-gym-msg.h")
#include "ns3-ai-gym-msg.h"
#endif
