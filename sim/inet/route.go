package inet

import (
	"errors"
	"fmt"
)

// Route is a static routing table entry: packets for Dest/Mask leave through
// Interface, to Gateway or, when Gateway is 0.0.0.0, directly to their
// destination.
type Route struct {
	Dest      IPv4Addr   // destination network
	Mask      IPv4Mask   // its mask (0 for the default route)
	Gateway   IPv4Addr   // next hop, or 0.0.0.0 for a directly connected network
	Interface *Interface // outgoing interface
	// Metric breaks ties between routes of equal prefix length: the lower
	// wins.
	Metric uint32
}

// String formats the route as "10.1.2.0/24 via 10.1.1.2 if 0 metric 0".
func (r Route) String() string {
	via := "direct"
	if !r.Gateway.IsAny() {
		via = "via " + r.Gateway.String()
	}
	idx := -1
	if r.Interface != nil {
		idx = r.Interface.index
	}
	return fmt.Sprintf("%v/%d %s if %d metric %d", r.Dest, r.Mask.PrefixLength(), via, idx, r.Metric)
}

// AddRoute adds a static route. Dest is masked with Mask. When Interface is
// nil it is taken from Gateway: the interface whose subnet contains it.
func (n *Node) AddRoute(r Route) error {
	if !r.Mask.IsValid() {
		return fmt.Errorf("inet: route to %v: mask %v is not contiguous", r.Dest, r.Mask)
	}
	if r.Interface == nil {
		if r.Gateway.IsAny() {
			return errors.New("inet: route needs an interface or a gateway")
		}
		for _, ifc := range n.ifaces {
			if ifc.mask.Contains(ifc.addr, r.Gateway) {
				r.Interface = ifc
				break
			}
		}
		if r.Interface == nil {
			return fmt.Errorf("inet: node %d: gateway %v is on no interface's subnet", n.id, r.Gateway)
		}
	} else if r.Interface.node != n {
		return fmt.Errorf("inet: node %d: route through an interface of another node", n.id)
	}
	r.Dest = r.Dest.Mask(r.Mask)
	n.routes = append(n.routes, r)
	return nil
}

// AddDefaultRoute adds a 0.0.0.0/0 route through gateway (iface may be nil,
// see AddRoute).
func (n *Node) AddDefaultRoute(gateway IPv4Addr, iface *Interface) error {
	return n.AddRoute(Route{Gateway: gateway, Interface: iface})
}

// AddHostRoute adds a /32 route to dest through gateway (iface may be nil,
// see AddRoute).
func (n *Node) AddHostRoute(dest, gateway IPv4Addr, iface *Interface) error {
	return n.AddRoute(Route{Dest: dest, Mask: 0xffffffff, Gateway: gateway, Interface: iface})
}

// Routes returns a copy of the routing table, in the order routes were
// added (connected routes are added by AddInterface).
func (n *Node) Routes() []Route {
	return append([]Route(nil), n.routes...)
}

// LookupRoute returns the route ns-3's Ipv4StaticRouting would pick for
// dst: the longest matching prefix, then the lowest metric; between routes
// equal in both, the one added last (a /32 match ends the search at the
// first one, as in ns-3).
func (n *Node) LookupRoute(dst IPv4Addr) (Route, bool) {
	best := -1
	longest := -1
	var metric uint32
	for i := range n.routes {
		r := &n.routes[i]
		if !r.Mask.Contains(r.Dest, dst) {
			continue
		}
		l := r.Mask.PrefixLength()
		if l < longest {
			continue
		}
		if l > longest {
			metric = ^uint32(0)
		}
		longest = l
		if r.Metric > metric {
			continue
		}
		metric = r.Metric
		best = i
		if l == 32 {
			break
		}
	}
	if best < 0 {
		return Route{}, false
	}
	return n.routes[best], true
}
