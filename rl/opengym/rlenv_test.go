package opengym_test

import (
	"github.com/netgym/netgym/rl"
	"github.com/netgym/netgym/rl/opengym"
)

// rl.Env is served to ns3-gym agents by opengym.RunGym as it is.
var _ opengym.GymEnv = (*rl.Env)(nil)
