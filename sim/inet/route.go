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

// routeTable is ns-3's Ipv4StaticRouting unicast table (m_networkRoutes:
// host, network and default routes in one list, in insertion order) with
// an index that keeps lookups fast when a router holds many host routes
// (a PGW with a /32 per UE).
//
// LookupStatic scans the list, keeps the longest matching prefix, and for
// equal prefixes the lower metric, the later route winning a tie; it stops
// at the first /32 that matches. So when any host route matches dst, the
// answer is the first host route to dst that was added, whatever its
// metric: the host index maps each destination to that route and the scan
// covers only the shorter prefixes.
type routeTable struct {
	all  []Route          // every route, insertion order (Routes, removal)
	nets []netRoute       // the routes shorter than /32, insertion order
	host map[IPv4Addr]int // /32 destination -> index in all of its first route
}

// netRoute is the part of a network route the scan reads, packed.
type netRoute struct {
	dest   uint32
	mask   uint32
	metric uint32
	prefix int32
	idx    int32 // index in all
}

func (t *routeTable) add(r Route) {
	t.all = append(t.all, r)
	t.reindexOne(len(t.all) - 1)
}

func (t *routeTable) reindexOne(i int) {
	r := &t.all[i]
	if r.Mask == 0xffffffff {
		if t.host == nil {
			t.host = make(map[IPv4Addr]int)
		}
		if _, ok := t.host[r.Dest]; !ok {
			t.host[r.Dest] = i
		}
		return
	}
	t.nets = append(t.nets, netRoute{dest: uint32(r.Dest), mask: uint32(r.Mask),
		metric: r.Metric, prefix: int32(r.Mask.PrefixLength()), idx: int32(i)})
}

func (t *routeTable) reindex() {
	t.nets = t.nets[:0]
	clear(t.host)
	for i := range t.all {
		t.reindexOne(i)
	}
}

// find returns the index of the first route equal to r, or -1 (ns-3's
// Ipv4StaticRouting::LookupRoute(route, metric)).
func (t *routeTable) find(r Route) int {
	for i := range t.all {
		if t.all[i] == r {
			return i
		}
	}
	return -1
}

// lookup is ns-3's Ipv4StaticRouting::LookupStatic; it allocates nothing.
func (t *routeTable) lookup(dst IPv4Addr) (int, bool) {
	if len(t.host) > 0 {
		if i, ok := t.host[dst]; ok {
			return i, true
		}
	}
	best := int32(-1)
	longest := int32(-1)
	var metric uint32
	d := uint32(dst)
	for k := range t.nets {
		r := &t.nets[k]
		if d&r.mask != r.dest {
			continue
		}
		if r.prefix < longest {
			continue
		}
		if r.prefix > longest {
			metric = ^uint32(0)
		}
		longest = r.prefix
		if r.metric > metric {
			continue
		}
		metric = r.metric
		best = r.idx
	}
	return int(best), best >= 0
}

// AddRoute adds a static route. Dest is masked with Mask. When Interface is
// nil it is taken from Gateway: the first interface with an address whose
// subnet contains it. As ns-3's Ipv4StaticRouting, adding a route equal to
// one in the table (same destination, mask, gateway, interface and metric)
// does nothing.
func (n *Node) AddRoute(r Route) error {
	if !r.Mask.IsValid() {
		return fmt.Errorf("inet: route to %v: mask %v is not contiguous", r.Dest, r.Mask)
	}
	if r.Interface == nil {
		if r.Gateway.IsAny() {
			return errors.New("inet: route needs an interface or a gateway")
		}
		r.Interface = n.onLinkInterface(r.Gateway)
		if r.Interface == nil {
			return fmt.Errorf("inet: node %d: gateway %v is on no interface's subnet", n.id, r.Gateway)
		}
	} else if r.Interface.node != n {
		return fmt.Errorf("inet: node %d: route through an interface of another node", n.id)
	}
	n.addRoute(r)
	return nil
}

// addRoute masks the destination and adds r unless the table holds it.
func (n *Node) addRoute(r Route) {
	r.Dest = r.Dest.Mask(r.Mask)
	if n.routes.find(r) >= 0 {
		return
	}
	n.routes.add(r)
}

// onLinkInterface returns the first interface with an address whose subnet
// contains a.
func (n *Node) onLinkInterface(a IPv4Addr) *Interface {
	for _, ifc := range n.ifaces {
		for _, ia := range ifc.addrs {
			if ia.Contains(a) {
				return ifc
			}
		}
	}
	return nil
}

// AddDefaultRoute adds a 0.0.0.0/0 route through gateway (iface may be nil,
// see AddRoute).
func (n *Node) AddDefaultRoute(gateway IPv4Addr, iface *Interface) error {
	return n.AddRoute(Route{Gateway: gateway, Interface: iface})
}

// AddHostRoute adds a /32 route to dest through gateway (iface may be nil,
// see AddRoute). A route straight out of an interface (a point-to-point or
// tunnel device, gateway 0.0.0.0) needs iface.
func (n *Node) AddHostRoute(dest, gateway IPv4Addr, iface *Interface) error {
	return n.AddRoute(Route{Dest: dest, Mask: 0xffffffff, Gateway: gateway, Interface: iface})
}

// AddNetworkRoute adds a route to the network dest/mask through gateway
// (iface may be nil, see AddRoute).
func (n *Node) AddNetworkRoute(dest IPv4Addr, mask IPv4Mask, gateway IPv4Addr, iface *Interface) error {
	return n.AddRoute(Route{Dest: dest, Mask: mask, Gateway: gateway, Interface: iface})
}

// RemoveRoute removes the first route equal to r (its Dest masked with its
// Mask) and reports whether there was one, as ns-3's
// Ipv4StaticRouting::RemoveRoute.
func (n *Node) RemoveRoute(r Route) bool {
	r.Dest = r.Dest.Mask(r.Mask)
	i := n.routes.find(r)
	if i < 0 {
		return false
	}
	t := &n.routes
	t.all = append(t.all[:i], t.all[i+1:]...)
	t.reindex()
	return true
}

// Routes returns a copy of the routing table, in the order routes were
// added (connected routes are added by AddInterface and AddAddress).
func (n *Node) Routes() []Route {
	return append([]Route(nil), n.routes.all...)
}

// LookupRoute returns the route ns-3's Ipv4StaticRouting::LookupStatic
// would pick for dst: the longest matching prefix, then the lowest metric;
// between routes equal in both, the one added last; a /32 match ends the
// search at the first one added, whatever its metric. It allocates
// nothing; host routes are found through an index, so a table with many
// /32 routes costs one map lookup plus a scan of the shorter prefixes.
func (n *Node) LookupRoute(dst IPv4Addr) (Route, bool) {
	i, ok := n.routes.lookup(dst)
	if !ok {
		return Route{}, false
	}
	return n.routes.all[i], true
}

// SourceAddress returns the source address the node puts on a packet it
// originates for dst, and the interface it leaves from: for one of the
// node's own addresses, that address (the packet is looped back); else the
// route's interface and ns-3's source-address selection on it (the first
// primary address on the route's destination network, else the primary
// address). It reports false when there is no route.
func (n *Node) SourceAddress(dst IPv4Addr) (IPv4Addr, *Interface, bool) {
	if ifc := n.interfaceFor(dst); ifc != nil {
		return dst, ifc, true
	}
	r, ok := n.LookupRoute(dst)
	if !ok {
		return IPv4Any, nil, false
	}
	return r.Interface.sourceAddress(r.Dest), r.Interface, true
}
