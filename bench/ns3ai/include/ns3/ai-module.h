// SPDX-License-Identifier: GPL-2.0-only
// netgym's stand-in for ns3-ai's generated module header: the message
// interface only (the Gym interface needs ns-3 and protobuf).
#include "ns3-ai-msg-interface.h"
