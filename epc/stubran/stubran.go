// Package stubran is a stand-in radio access network for the core in
// package epc: a cell whose radio is a fixed delay without loss, and the
// device it puts on each UE's node. It implements exactly what a real RAN
// (nr5g, mmwave) implements for the core: epc.RAN on the RAN node, an
// inet.NetDevice that hands the UE's uplink packets to its epc.NAS, and
// epc.UEAccess for the classified packets. Tests, examples and benchmarks
// use it to exercise the core on its own.
//
// Timing: every message over the air takes Config.Delay. Attach takes one
// delay for the connection request to reach the RAN node (which then sends
// the core its Initial UE Message) and one for the connection set-up to
// reach the UE after the core's Initial Context Setup Request (the UE's NAS
// then becomes active); a user packet takes one delay between the UE's
// device and the RAN node, in each direction.
package stubran

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/epc"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/inet"
	"github.com/netgym/netgym/sim/packet"
)

// Config configures a stub cell.
type Config struct {
	// Delay is the one-way delay of the radio. Default 0 (an ideal
	// radio).
	Delay sim.Time
	// UEMTU is the MTU of the UE devices: 30000 by default, as ns-3's
	// LteNetDevice and NrNetDevice.
	UEMTU int
}

// DefaultConfig returns an ideal radio (no delay) with UE devices of MTU
// 30000.
func DefaultConfig() Config { return Config{UEMTU: 30000} }

// Validate reports the first unusable field.
func (c Config) Validate() error {
	switch {
	case c.Delay < 0 || c.Delay > sim.MaxTime/4:
		return fmt.Errorf("stubran: Delay %v is outside 0..%v", c.Delay, sim.MaxTime/4)
	case c.UEMTU < inet.IPv4HeaderSize+inet.UDPHeaderSize || c.UEMTU > 65535:
		return fmt.Errorf("stubran: UEMTU %d is outside %d..65535", c.UEMTU, inet.IPv4HeaderSize+inet.UDPHeaderSize)
	}
	return nil
}

// Stats counts a cell's user packets over the air.
type Stats struct {
	Uplink   uint64 // packets the UEs sent
	Downlink uint64 // packets delivered to the UEs
	// UplinkRefused counts uplink packets the core refused at the RAN node.
	UplinkRefused uint64
}

// Cell is one stub RAN node: the radio side of an epc.RANNode.
type Cell struct {
	sim      *sim.Simulator
	net      *inet.Network
	cfg      Config
	ran      *epc.RANNode
	devs     map[uint16]*UEDevice // by RNTI
	nextRNTI uint16
	stats    Stats
}

var _ epc.RAN = (*Cell)(nil)

// New creates a stub cell on node, connected to the core e as cell
// cellID (see epc.EPC.AddRANNode).
func New(e *epc.EPC, node *inet.Node, cellID uint16, cfg Config) (*Cell, error) {
	if e == nil {
		return nil, errors.New("stubran: New needs a core")
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Cell{sim: e.Sim(), net: e.Network(), cfg: cfg, devs: make(map[uint16]*UEDevice)}
	r, err := e.AddRANNode(node, cellID, c)
	if err != nil {
		return nil, err
	}
	c.ran = r
	return c, nil
}

// RANNode returns the core's application on the cell's node.
func (c *Cell) RANNode() *epc.RANNode { return c.ran }

// Stats returns the cell's counters.
func (c *Cell) Stats() Stats { return c.stats }

// NewUEDevice returns a new UE device of this cell, with the next
// link-layer address of the network. Give it to epc.EPC.AddUE with the
// UE's node, then Attach the UE.
func (c *Cell) NewUEDevice() *UEDevice {
	d := &UEDevice{cell: c, addr: c.net.MACs().Allocate()}
	d.ulFn = d.onUplink
	d.dlFn = d.onDownlink
	return d
}

// Attach connects the UE (registered with epc.EPC.AddUE on a device of
// this cell) to the cell: after one radio delay the RAN node reports it to
// the core, which sets up its context and default bearer.
func (c *Cell) Attach(ue *epc.UE) error {
	if ue == nil {
		return errors.New("stubran: Attach needs a UE")
	}
	d, ok := ue.Device().(*UEDevice)
	if !ok || d.cell != c {
		return fmt.Errorf("stubran: IMSI %d is not on a device of cell %d", ue.IMSI(), c.ran.CellID())
	}
	if d.rnti != 0 {
		return fmt.Errorf("stubran: IMSI %d is already attached to cell %d", ue.IMSI(), c.ran.CellID())
	}
	c.nextRNTI++
	if c.nextRNTI == 0 {
		c.nextRNTI++
	}
	d.rnti, d.imsi, d.nas = c.nextRNTI, ue.IMSI(), ue.NAS()
	c.devs[d.rnti] = d
	d.nas.SetAccess(d)
	imsi, rnti := d.imsi, d.rnti
	c.sim.Schedule(c.cfg.Delay, func() {
		// The UE is registered and the RNTI is new: this cannot fail.
		_ = c.ran.InitialUEMessage(imsi, rnti)
	})
	return nil
}

// SetupBearer sets up the radio bearer: the UE may send on it.
func (c *Cell) SetupBearer(rnti uint16, erab epc.ERAB) {
	if d := c.devs[rnti]; d != nil && erab.BearerID <= epc.MaxBearers {
		d.drbs[erab.BearerID] = true
	}
}

// InitialContextSetup completes the connection: after one radio delay the
// UE's NAS becomes active.
func (c *Cell) InitialContextSetup(rnti uint16) {
	d := c.devs[rnti]
	if d == nil {
		return
	}
	c.sim.Schedule(c.cfg.Delay, func() {
		if c.devs[rnti] == d {
			d.nas.NotifyConnectionSuccessful()
		}
	})
}

// ReleaseBearer releases the radio bearer.
func (c *Cell) ReleaseBearer(rnti uint16, bearerID uint8) {
	if d := c.devs[rnti]; d != nil && bearerID <= epc.MaxBearers {
		d.drbs[bearerID] = false
	}
}

// DeliverDownlink sends p over the air to UE rnti: it arrives one radio
// delay later.
func (c *Cell) DeliverDownlink(p *packet.Packet, rnti uint16, _ uint8) {
	d := c.devs[rnti]
	if d == nil {
		p.Release()
		return
	}
	d.dl.Push(inFlight{p: p})
	c.sim.ScheduleWith(c.cfg.Delay, d.dlFn, nil)
}

// UEDevice is the stub RAN's device on a UE's node: IPv4 sends through it
// (its Send hands each packet to the UE's NAS, which classifies it onto a
// bearer and calls SendData), and it passes downlink packets up.
type UEDevice struct {
	cell *Cell
	addr packet.Mac48
	recv inet.ReceiveCallback
	nas  *epc.NAS
	imsi uint64
	rnti uint16
	drbs [epc.MaxBearers + 1]bool
	ul   packet.FIFO[inFlight]
	dl   packet.FIFO[inFlight]
	ulFn func(any)
	dlFn func(any)
}

var (
	_ inet.NetDevice = (*UEDevice)(nil)
	_ epc.UEAccess   = (*UEDevice)(nil)
)

// Address returns the device's link-layer address.
func (d *UEDevice) Address() packet.Mac48 { return d.addr }

// Broadcast returns ff:ff:ff:ff:ff:ff.
func (d *UEDevice) Broadcast() packet.Mac48 { return packet.BroadcastMac48 }

// MTU returns Config.UEMTU.
func (d *UEDevice) MTU() int { return d.cell.cfg.UEMTU }

// NeedsARP returns false.
func (d *UEDevice) NeedsARP() bool { return false }

// RNTI returns the UE's RNTI in the cell (0 before Attach).
func (d *UEDevice) RNTI() uint16 { return d.rnti }

// SetReceiveCallback sets the upper layer's receive function.
func (d *UEDevice) SetReceiveCallback(cb inet.ReceiveCallback) { d.recv = cb }

// Send hands p, an IPv4 packet, to the UE's NAS (ns-3's NrUeNetDevice::Send
// calling EpcUeNas::Send). It returns inet.ErrUnsupportedProtocol for
// another EtherType, inet.ErrLinkDown before Attach, and the NAS's errors
// (not connected, no matching bearer); p then stays with the caller.
func (d *UEDevice) Send(p *packet.Packet, _ packet.Mac48, etherType uint16) error {
	if etherType != inet.EtherTypeIPv4 {
		return fmt.Errorf("%w: EtherType 0x%04x on a stub UE device", inet.ErrUnsupportedProtocol, etherType)
	}
	if d.nas == nil {
		return fmt.Errorf("%w: UE device %v is not attached", inet.ErrLinkDown, d.addr)
	}
	return d.nas.Send(p)
}

// SendData sends p over the air on the radio bearer of EPS bearer
// bearerID: it reaches the RAN node one radio delay later. It is an error
// for a bearer without a radio bearer.
func (d *UEDevice) SendData(p *packet.Packet, bearerID uint8) error {
	if bearerID > epc.MaxBearers || !d.drbs[bearerID] {
		return fmt.Errorf("stubran: IMSI %d has no radio bearer for EPS bearer %d", d.imsi, bearerID)
	}
	d.ul.Push(inFlight{p: p, id: bearerID})
	d.cell.sim.ScheduleWith(d.cell.cfg.Delay, d.ulFn, nil)
	return nil
}

func (d *UEDevice) onUplink(any) {
	e := d.ul.Pop()
	c := d.cell
	c.stats.Uplink++
	if err := c.ran.SendUplink(e.p, d.rnti, e.id); err != nil {
		c.stats.UplinkRefused++
		e.p.Release()
	}
}

func (d *UEDevice) onDownlink(any) {
	p := d.dl.Pop().p
	if d.recv == nil {
		p.Release()
		return
	}
	d.cell.stats.Downlink++
	d.recv(d, p, inet.EtherTypeIPv4, d.addr, d.addr)
}

// inFlight is a packet over the air with its bearer (uplink). With one
// fixed delay, events fire in the order the packets entered, so each
// takes the oldest from its direction's FIFO.
type inFlight struct {
	p  *packet.Packet
	id uint8
}
