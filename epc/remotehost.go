package epc

import (
	"fmt"

	"github.com/netgym/netgym/sim/inet"
)

// RemoteHost is a host of the packet data network behind the PGW, made by
// SetupRemoteHost.
type RemoteHost struct {
	// Node is the remote host.
	Node *inet.Node
	// Address is the remote host's address (1.0.0.2).
	Address inet.IPv4Addr
	// PGWAddress is the PGW's address on the link (1.0.0.1).
	PGWAddress inet.IPv4Addr
	// Link is the PGW-remote host link; its first device and interface
	// are the PGW's.
	Link *inet.PointToPointLink
}

// SetupRemoteHost creates a remote host on a point-to-point link to the
// PGW, as 5G-LENA nr-4.x's NrEpcHelper::SetupRemoteHost(dataRate, mtu,
// delay): the link is numbered from cfg.Pool (PGW first host, remote host
// second: 1.0.0.1 and 1.0.0.2 by default) and the remote host gets a route
// to the UE pool through it. Unlike nr-4.1, which returns the PGW's
// address (GetAddress(0, 0) of the link) although it documents the remote
// host's, it returns both, named. Each remote host needs its own pool,
// which must not overlap the core's.
func (e *EPC) SetupRemoteHost(cfg RemoteHostConfig) (*RemoteHost, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	for _, p := range e.cfg.pools() {
		if p.p.Overlaps(cfg.Pool) {
			return nil, fmt.Errorf("epc: address pools overlap: RemoteHost.Pool %v and %s %v", cfg.Pool, p.name, p.p)
		}
	}
	for _, p := range e.remotePools {
		if p.Overlaps(cfg.Pool) {
			return nil, fmt.Errorf("epc: address pools overlap: RemoteHost.Pool %v and the pool %v of an earlier remote host", cfg.Pool, p)
		}
	}
	addrs, err := e.net.NewAddressHelper(cfg.Pool.Network, cfg.Pool.Mask, 1)
	if err != nil {
		return nil, fmt.Errorf("epc: RemoteHost.Pool: %w", err)
	}
	node, err := e.net.NewNode()
	if err != nil {
		return nil, err
	}
	link, err := e.net.ConnectPointToPointFrom(e.pgwNode, node, cfg.Link.device(), cfg.Link.Delay, addrs)
	if err != nil {
		return nil, fmt.Errorf("epc: remote host link: %w", err)
	}
	// ns-3: AddNetworkRouteTo(7.0.0.0, 255.0.0.0, interface 1).
	if err := node.AddNetworkRoute(e.cfg.UEPool.Network, e.cfg.UEPool.Mask, inet.IPv4Any, link.Interfaces[1]); err != nil {
		return nil, err
	}
	e.remotePools = append(e.remotePools, cfg.Pool)
	return &RemoteHost{Node: node, Address: link.Interfaces[1].Address(),
		PGWAddress: link.Interfaces[0].Address(), Link: link}, nil
}
