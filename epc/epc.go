package epc

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
)

// EPC is the evolved packet core of one simulation: the PGW, SGW and MME
// nodes (one SGW/PGW node in VariantMmWave) on a shared inet.Network, the
// links between them, the GTP-U tunnels of every bearer and the control
// procedures that set them up. RAN nodes join with AddRANNode, UEs with
// AddUE, remote hosts with SetupRemoteHost. Like the simulation it belongs
// to, an EPC is used from one goroutine.
//
// The trace hooks are nil by default.
type EPC struct {
	// OnControl, when set, is called for every stage of every control
	// procedure (see Stage).
	OnControl func(ev ControlEvent)
	// OnDrop, when set, is called for every user packet the core drops.
	OnDrop DropHook

	net *inet.Network
	sim *sim.Simulator
	cfg Config

	pgwNode, sgwNode, mmeNode *inet.Node
	tun                       *inet.TunDevice
	tunAddr                   inet.IPv4Addr
	s5Link, s11Link           *inet.PointToPointLink

	// Address helpers on the network's plan.
	ueAddrs                      *inet.AddressHelper
	s1uAddrs, s1apAddrs, x2Addrs *linkPool
	remotePools                  []Pool

	// The network functions.
	mme mme
	sgw sgw
	pgw pgw

	ues           map[uint64]*UE
	ueList        []*UE
	cells         map[uint16]*RANNode
	cellList      []*RANNode
	ranNodeByS1AP map[inet.IPv4Addr]*RANNode // VariantMmWave: S1-AP address -> RAN node

	stats Stats
}

// linkPool hands out the /30 blocks of one pool, skipping the first as
// ns-3's helpers do (NewNetwork before each Assign).
type linkPool struct {
	name  string
	pool  Pool
	addrs *inet.AddressHelper
}

func newLinkPool(net *inet.Network, name string, p Pool) (*linkPool, error) {
	h, err := net.NewAddressHelper(p.Network, linkBlockMask, 1)
	if err != nil {
		return nil, fmt.Errorf("epc: %s: %w", name, err)
	}
	return &linkPool{name: name, pool: p, addrs: h}, nil
}

// next moves to the next /30 block and returns the helper, or an error
// when the block leaves the pool.
func (l *linkPool) next() (*inet.AddressHelper, error) {
	n, err := l.addrs.NewNetwork()
	if err != nil || !l.pool.Contains(n) {
		return nil, fmt.Errorf("epc: %s %v has no /30 block left", l.name, l.pool)
	}
	return l.addrs, nil
}

// New builds the core of cfg's variant on net, in the order of ns-3's
// helper constructors so that nodes, link-layer and IPv4 addresses come
// out as in ns-3:
//
//   - VariantNR (NrNoBackhaulEpcHelper and NrPointToPointEpcHelperBase):
//     PGW, SGW and MME nodes; the PGW's tunnel device 7.0.0.1/8; the S5
//     link (PGW 14.0.0.5, SGW 14.0.0.6) with GTP-U and GTP-C sockets on
//     both ends; the S11 link (MME 13.0.0.5, SGW 13.0.0.6) with GTP-C
//     sockets; the SGW's S1-U socket on every address, port 2152.
//   - VariantMmWave (MmWavePointToPointEpcHelper): the SGW/PGW node and
//     the MME node; the S1-U socket on the SGW/PGW and the S1-AP socket on
//     the MME, both on every address; the tunnel device 7.0.0.1/8.
func New(net *inet.Network, cfg Config) (*EPC, error) {
	if net == nil {
		return nil, errors.New("epc: New needs an inet.Network")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	e := &EPC{
		net:           net,
		sim:           net.Sim(),
		cfg:           cfg,
		ues:           make(map[uint64]*UE),
		cells:         make(map[uint16]*RANNode),
		ranNodeByS1AP: make(map[inet.IPv4Addr]*RANNode),
	}
	e.mme.init(e)
	e.sgw.init(e)
	e.pgw.init(e)
	var err error
	if e.s1uAddrs, err = newLinkPool(net, "S1UPool", cfg.S1UPool); err != nil {
		return nil, err
	}
	if e.x2Addrs, err = newLinkPool(net, "X2Pool", cfg.X2Pool); err != nil {
		return nil, err
	}
	if cfg.Variant == VariantNR {
		err = e.buildNR()
	} else {
		err = e.buildMmWave()
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// newNodes creates n core nodes with inet's defaults (forwarding on).
func (e *EPC) newNodes(n int) ([]*inet.Node, error) {
	return e.net.NewNodes(n, inet.DefaultNodeConfig())
}

// buildTun makes the PGW's tunnel device and gives it the UE pool's first
// address (ns-3: AssignUeIpv4Address on the TUN device).
func (e *EPC) buildTun(pgwNode *inet.Node) error {
	tun, err := inet.NewTunDevice(e.sim, e.net.MACs().Allocate(), inet.TunDeviceConfig{MTU: e.cfg.TunMTU}, e.pgw.tunSend)
	if err != nil {
		return err
	}
	e.ueAddrs, err = e.net.NewAddressHelper(e.cfg.UEPool.Network, e.cfg.UEPool.Mask, 1)
	if err != nil {
		return fmt.Errorf("epc: UEPool: %w", err)
	}
	ifc, err := e.ueAddrs.Assign(pgwNode, tun)
	if err != nil {
		return fmt.Errorf("epc: PGW tunnel device: %w", err)
	}
	e.tun, e.tunAddr = tun, ifc.Address()
	e.pgw.tun = tun
	return nil
}

func bindUDP(n *inet.Node, addr inet.IPv4Addr, port uint16) (*inet.UDPSocket, error) {
	s := n.NewUDPSocket()
	if err := s.BindAddr(addr, port); err != nil {
		return nil, fmt.Errorf("epc: node %d: %w", n.ID(), err)
	}
	return s, nil
}

func (e *EPC) buildNR() error {
	nodes, err := e.newNodes(3)
	if err != nil {
		return err
	}
	e.pgwNode, e.sgwNode, e.mmeNode = nodes[0], nodes[1], nodes[2]
	if err := e.buildTun(e.pgwNode); err != nil {
		return err
	}
	s5Pool, err := newLinkPool(e.net, "S5Pool", e.cfg.S5Pool)
	if err != nil {
		return err
	}
	addrs, err := s5Pool.next()
	if err != nil {
		return err
	}
	e.s5Link, err = e.net.ConnectPointToPointFrom(e.pgwNode, e.sgwNode, e.cfg.S5.device(), e.cfg.S5.Delay, addrs)
	if err != nil {
		return fmt.Errorf("epc: S5 link: %w", err)
	}
	pgwS5, sgwS5 := e.s5Link.Interfaces[0].Address(), e.s5Link.Interfaces[1].Address()
	if err := e.pgw.bindS5(pgwS5, sgwS5); err != nil {
		return err
	}
	if err := e.sgw.bindS5(sgwS5, pgwS5); err != nil {
		return err
	}
	// The SGW's S1-U socket listens on every address (ns-3 binds it to
	// Ipv4Address::GetAny()); the S5-U socket, bound to the S5 address,
	// takes precedence for packets sent to that address.
	if e.sgw.s1u, err = bindUDP(e.sgwNode, inet.IPv4Any, GTPUPort); err != nil {
		return err
	}
	e.sgw.s1u.SetRecvCallback(e.sgw.recvS1U)

	s11Pool, err := newLinkPool(e.net, "S11Pool", e.cfg.S11Pool)
	if err != nil {
		return err
	}
	if addrs, err = s11Pool.next(); err != nil {
		return err
	}
	e.s11Link, err = e.net.ConnectPointToPointFrom(e.mmeNode, e.sgwNode, e.cfg.S11.device(), e.cfg.S11.Delay, addrs)
	if err != nil {
		return fmt.Errorf("epc: S11 link: %w", err)
	}
	mmeS11, sgwS11 := e.s11Link.Interfaces[0].Address(), e.s11Link.Interfaces[1].Address()
	if err := e.mme.bindS11(mmeS11, sgwS11); err != nil {
		return err
	}
	return e.sgw.bindS11(sgwS11, mmeS11)
}

func (e *EPC) buildMmWave() error {
	nodes, err := e.newNodes(2)
	if err != nil {
		return err
	}
	e.pgwNode, e.mmeNode = nodes[0], nodes[1]
	e.sgwNode = e.pgwNode
	if e.sgw.s1u, err = bindUDP(e.sgwNode, inet.IPv4Any, GTPUPort); err != nil {
		return err
	}
	e.sgw.s1u.SetRecvCallback(e.sgw.recvS1U)
	if e.mme.s1ap, err = bindUDP(e.mmeNode, inet.IPv4Any, S1APPort); err != nil {
		return err
	}
	e.mme.s1ap.SetRecvCallback(e.mme.recvS1AP)
	if e.s1apAddrs, err = newLinkPool(e.net, "S1APPool", e.cfg.S1APPool); err != nil {
		return err
	}
	return e.buildTun(e.pgwNode)
}

// Config returns the core's configuration.
func (e *EPC) Config() Config { return e.cfg }

// Variant returns the core's variant.
func (e *EPC) Variant() Variant { return e.cfg.Variant }

// Network returns the network the core is built on.
func (e *EPC) Network() *inet.Network { return e.net }

// Sim returns the simulator.
func (e *EPC) Sim() *sim.Simulator { return e.sim }

// PGW returns the PGW node (the SGW/PGW node in VariantMmWave): the UEs'
// gateway to remote hosts.
func (e *EPC) PGW() *inet.Node { return e.pgwNode }

// SGW returns the SGW node (the SGW/PGW node in VariantMmWave).
func (e *EPC) SGW() *inet.Node { return e.sgwNode }

// MME returns the MME node.
func (e *EPC) MME() *inet.Node { return e.mmeNode }

// TunDevice returns the PGW's tunnel device.
func (e *EPC) TunDevice() *inet.TunDevice { return e.tun }

// UEGateway returns the address of the PGW's tunnel device (7.0.0.1), the
// UEs' default gateway (ns-3's GetUeDefaultGatewayAddress).
func (e *EPC) UEGateway() inet.IPv4Addr { return e.tunAddr }

// S5Link returns the SGW-PGW link (nil in VariantMmWave); its first device
// and interface are the PGW's.
func (e *EPC) S5Link() *inet.PointToPointLink { return e.s5Link }

// S11Link returns the MME-SGW link (nil in VariantMmWave); its first device
// and interface are the MME's.
func (e *EPC) S11Link() *inet.PointToPointLink { return e.s11Link }

// Stats returns the core's counters.
func (e *EPC) Stats() Stats { return e.stats }

// RANNode returns the RAN node of cell cellID, or nil.
func (e *EPC) RANNode(cellID uint16) *RANNode { return e.cells[cellID] }

// RANNodes returns the RAN nodes in the order they were added (a new
// slice).
func (e *EPC) RANNodes() []*RANNode { return append([]*RANNode(nil), e.cellList...) }

// UE returns the UE with the given IMSI, or nil.
func (e *EPC) UE(imsi uint64) *UE { return e.ues[imsi] }

// UEs returns the UEs in the order they were added (a new slice).
func (e *EPC) UEs() []*UE { return append([]*UE(nil), e.ueList...) }

// AddRANNode connects node, a RAN node (eNB or gNB) serving cell cellID
// through ran, to the core, as ns-3's AddGnb/AddEnb: a point-to-point
// S1-U link to the SGW from the next /30 of S1UPool (RAN node .1 of the
// block's hosts, e.g. 10.0.0.5, SGW 10.0.0.6) with the RAN node's GTP-U
// socket on its S1-U address; in VariantMmWave also an S1-AP link to the
// MME from S1APPool (RAN node 11.0.0.5, MME 11.0.0.6) with its S1-AP
// socket. Cell ids start at 1 (0 means "no cell"), one RAN node per cell.
func (e *EPC) AddRANNode(node *inet.Node, cellID uint16, ran RAN) (*RANNode, error) {
	switch {
	case node == nil:
		return nil, errors.New("epc: AddRANNode needs a node")
	case ran == nil:
		return nil, fmt.Errorf("epc: AddRANNode: cell %d needs a RAN", cellID)
	case cellID == 0:
		return nil, errors.New("epc: AddRANNode: cell id 0 is reserved (cell ids start at 1)")
	case e.cells[cellID] != nil:
		return nil, fmt.Errorf("epc: AddRANNode: cell %d already has a RAN node", cellID)
	case node.Sim() != e.sim:
		return nil, errors.New("epc: AddRANNode: node from another simulation")
	case node == e.pgwNode || node == e.sgwNode || node == e.mmeNode:
		return nil, errors.New("epc: AddRANNode: a core node cannot be a RAN node")
	}
	r := &RANNode{e: e, cellID: cellID, node: node, ran: ran,
		ctx: make(map[uint16]*ranUE), dl: make(map[uint32]ranBearer)}
	addrs, err := e.s1uAddrs.next()
	if err != nil {
		return nil, err
	}
	r.s1uLink, err = e.net.ConnectPointToPointFrom(node, e.sgwNode, e.cfg.S1U.device(), e.cfg.S1U.Delay, addrs)
	if err != nil {
		return nil, fmt.Errorf("epc: S1-U link of cell %d: %w", cellID, err)
	}
	r.s1uAddr, r.sgwS1UAddr = r.s1uLink.Interfaces[0].Address(), r.s1uLink.Interfaces[1].Address()
	if r.s1u, err = bindUDP(node, r.s1uAddr, GTPUPort); err != nil {
		return nil, err
	}
	r.s1u.SetRecvCallback(r.recvS1U)
	if e.cfg.Variant == VariantMmWave {
		if addrs, err = e.s1apAddrs.next(); err != nil {
			return nil, err
		}
		r.s1apLink, err = e.net.ConnectPointToPointFrom(node, e.mmeNode, e.cfg.S1AP.device(), e.cfg.S1AP.Delay, addrs)
		if err != nil {
			return nil, fmt.Errorf("epc: S1-AP link of cell %d: %w", cellID, err)
		}
		r.s1apAddr, r.mmeS1APAddr = r.s1apLink.Interfaces[0].Address(), r.s1apLink.Interfaces[1].Address()
		if r.s1ap, err = bindUDP(node, r.s1apAddr, S1APPort); err != nil {
			return nil, err
		}
		r.s1ap.SetRecvCallback(r.recvS1AP)
		e.ranNodeByS1AP[r.s1apAddr] = r
	}
	e.cells[cellID] = r
	e.cellList = append(e.cellList, r)
	return r, nil
}

// AddX2 links two RAN nodes with a point-to-point X2 link from the next
// /30 of X2Pool (ns-3's AddX2Interface: a gets 12.0.0.5, b 12.0.0.6).
// netgym's core carries no X2-AP: handover belongs to the RANs, which may
// use the link.
func (e *EPC) AddX2(a, b *RANNode) (*inet.PointToPointLink, error) {
	if a == nil || b == nil || a == b || a.e != e || b.e != e {
		return nil, errors.New("epc: AddX2 needs two distinct RAN nodes of this core")
	}
	addrs, err := e.x2Addrs.next()
	if err != nil {
		return nil, err
	}
	link, err := e.net.ConnectPointToPointFrom(a.node, b.node, e.cfg.X2.device(), e.cfg.X2.Delay, addrs)
	if err != nil {
		return nil, fmt.Errorf("epc: X2 link of cells %d and %d: %w", a.cellID, b.cellID, err)
	}
	return link, nil
}

// AddUE registers a UE with the core, as ns-3's AssignUeIpv4Address,
// default route and AddUe, plus the default bearer its helpers activate at
// attach: dev (the RAN's device on the UE's node) gets the next address of
// the UE pool (7.0.0.2, 7.0.0.3, ...) and the node a default route to the
// PGW's tunnel address through it; the MME and the PGW learn the UE; the
// default bearer (Config.DefaultBearer, default TFT) is registered with
// the MME and the UE's NAS, to be set up when a RAN node reports the UE
// connected (RANNode.InitialUEMessage). The IMSI must be non-zero and new.
func (e *EPC) AddUE(node *inet.Node, dev inet.NetDevice, imsi uint64) (*UE, error) {
	switch {
	case node == nil || dev == nil:
		return nil, errors.New("epc: AddUE needs a node and the RAN's device on it")
	case imsi == 0:
		return nil, errors.New("epc: AddUE: IMSI 0 is not valid")
	case e.ues[imsi] != nil:
		return nil, fmt.Errorf("epc: AddUE: IMSI %d is already registered", imsi)
	case node.Sim() != e.sim:
		return nil, errors.New("epc: AddUE: node from another simulation")
	case node.InterfaceForDevice(dev) != nil:
		return nil, fmt.Errorf("epc: AddUE: the device of IMSI %d already has an address", imsi)
	}
	ifc, err := e.ueAddrs.Assign(node, dev)
	if err != nil {
		return nil, fmt.Errorf("epc: AddUE: IMSI %d: %w", imsi, err)
	}
	if err := node.AddDefaultRoute(e.tunAddr, ifc); err != nil {
		return nil, fmt.Errorf("epc: AddUE: IMSI %d: %w", imsi, err)
	}
	u := &UE{e: e, imsi: imsi, node: node, dev: dev, iface: ifc, addr: ifc.Address()}
	u.nas.imsi = imsi
	e.ues[imsi] = u
	e.ueList = append(e.ueList, u)
	e.mme.addUE(u)
	e.pgw.addUE(u)
	if _, err := e.registerBearer(u, e.cfg.DefaultBearer, DefaultTFT()); err != nil {
		return nil, err
	}
	return u, nil
}

// ActivateDedicatedBearer adds a dedicated bearer with QoS b and TFT tft
// to UE imsi and returns its EPS bearer id (2, 3, ...; the default bearer
// is 1; at most MaxBearers per UE). Before the UE is attached the bearer
// is set up with the default one at attach, as in ns-3; once the UE is
// attached, the core runs the network-initiated dedicated bearer
// activation (TS 23.401 5.4.1: Create Bearer Request PGW -> SGW -> MME,
// E-RAB Setup to the RAN node, responses back), which ns-3 lacks. The TFT
// is copied: changing it afterwards has no effect.
func (e *EPC) ActivateDedicatedBearer(imsi uint64, b Bearer, tft *TFT) (uint8, error) {
	u := e.ues[imsi]
	if u == nil {
		return 0, fmt.Errorf("epc: ActivateDedicatedBearer: no UE with IMSI %d (AddUE first)", imsi)
	}
	if err := b.Validate(e.cfg.Release); err != nil {
		return 0, fmt.Errorf("epc: ActivateDedicatedBearer: IMSI %d: %w", imsi, err)
	}
	if tft == nil || tft.Len() == 0 {
		return 0, fmt.Errorf("epc: ActivateDedicatedBearer: IMSI %d: the TFT needs at least one packet filter", imsi)
	}
	return e.registerBearer(u, b, tft)
}

// registerBearer records a bearer with the MME and the NAS and, for an
// attached UE, starts its activation.
func (e *EPC) registerBearer(u *UE, b Bearer, tft *TFT) (uint8, error) {
	ctx := e.mme.ues[u.imsi]
	id := ctx.freeBearerID()
	if id == 0 {
		return 0, fmt.Errorf("epc: IMSI %d already has %d bearers (the most ns-3 allows)", u.imsi, MaxBearers)
	}
	tft = tft.clone()
	ctx.addBearer(&mmeBearer{id: id, bearer: b, tft: tft})
	u.nas.register(id, tft)
	if ctx.session {
		e.pgw.createBearer(u.imsi, id)
	}
	return id, nil
}

// ReleaseBearer releases dedicated bearer id of UE imsi. A bearer not set
// up yet is simply removed; an active one is released as ns-3 does it
// (the RAN-initiated release of TS 23.401 5.4.4.2): the RAN node tells
// the RAN to release the radio bearer and the MME with an E-RAB Release
// Indication; the MME's Delete Bearer Command travels to the PGW, whose
// Delete Bearer Request comes back to the MME, whose Delete Bearer
// Response removes the tunnel at the SGW and the TFT at the PGW. The
// default bearer cannot be released (that is a detach), nor a bearer
// whose set-up or release is under way.
func (e *EPC) ReleaseBearer(imsi uint64, id uint8) error {
	u := e.ues[imsi]
	if u == nil {
		return fmt.Errorf("epc: ReleaseBearer: no UE with IMSI %d", imsi)
	}
	ctx := e.mme.ues[imsi]
	b := ctx.bearer(id)
	switch {
	case b == nil:
		return fmt.Errorf("epc: ReleaseBearer: IMSI %d has no bearer %d", imsi, id)
	case id == ctx.defaultID():
		return fmt.Errorf("epc: ReleaseBearer: bearer %d of IMSI %d is the default bearer (releasing it is a detach)", id, imsi)
	case b.state == bearerPending:
		ctx.removeBearer(id)
		u.nas.unregister(id)
		return nil
	case b.state != bearerActive:
		return fmt.Errorf("epc: ReleaseBearer: bearer %d of IMSI %d is not active (%s)", id, imsi, b.state)
	case !ctx.attached:
		return fmt.Errorf("epc: ReleaseBearer: IMSI %d is not attached (no RAN node holds bearer %d)", imsi, id)
	}
	cell := ctx.cell
	rnti := ctx.rnti
	cell.ran.ReleaseBearer(rnti, id)
	return cell.ReleaseIndication(imsi, rnti, id)
}

// emit reports a control stage.
func (e *EPC) emit(ev ControlEvent) {
	if e.OnControl != nil {
		ev.Time = e.sim.Now()
		e.OnControl(ev)
	}
}
