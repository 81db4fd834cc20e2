package inet

import (
	"errors"
	"fmt"

	"github.com/netgym/netgym/sim/pcap"
)

var (
	_ pcap.Device = (*PointToPointDevice)(nil)
	_ pcap.Device = (*TunDevice)(nil)
)

// PcapLinkType returns pcap.LinkTypePPP: frames are written with their
// 2-byte PPP protocol field, as ns-3's PointToPointHelper::EnablePcap.
func (d *PointToPointDevice) PcapLinkType() pcap.LinkType { return pcap.LinkTypePPP }

// SetPcap makes the device write every frame to w as it starts sending it
// and as it receives it (ns-3's PromiscSniffer trace points); nil stops
// it.
func (d *PointToPointDevice) SetPcap(w *pcap.Writer) error {
	if err := checkLinkType(w, pcap.LinkTypePPP); err != nil {
		return err
	}
	d.pcap = w
	return nil
}

// PcapLinkType returns pcap.LinkTypeRaw: a tunnel carries bare IP
// packets.
func (d *TunDevice) PcapLinkType() pcap.LinkType { return pcap.LinkTypeRaw }

// SetPcap makes the device write every IP packet IPv4 sends into it
// (before the send function takes it) and every packet it passes up, as
// tcpdump sees a TUN interface; nil stops it.
func (d *TunDevice) SetPcap(w *pcap.Writer) error {
	if err := checkLinkType(w, pcap.LinkTypeRaw); err != nil {
		return err
	}
	d.pcap = w
	return nil
}

func checkLinkType(w *pcap.Writer, want pcap.LinkType) error {
	if w != nil && w.LinkType() != want {
		return fmt.Errorf("inet: pcap writer has link type %v, the device writes %v", w.LinkType(), want)
	}
	return nil
}

// EnablePcap creates path with the device's link type and attaches it
// (ns-3's EnablePcap for one device, with an explicit file name). The
// caller closes the writer (Close) at the end of the run.
func EnablePcap(path string, dev pcap.Device) (*pcap.Writer, error) {
	if dev == nil {
		return nil, errors.New("inet: EnablePcap needs a device")
	}
	w, err := pcap.Create(path, pcap.DefaultConfig(dev.PcapLinkType()))
	if err != nil {
		return nil, err
	}
	if err := dev.SetPcap(w); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// EnablePcapInterface traces the device of ifc into ns-3's file name for
// it, pcap.FileName(prefix, node id, interface index), e.g.
// "first-2-0.pcap". It is an error when the device cannot write pcap
// traces.
func EnablePcapInterface(prefix string, ifc *Interface) (*pcap.Writer, error) {
	if ifc == nil {
		return nil, errors.New("inet: EnablePcapInterface needs an interface")
	}
	dev, ok := ifc.Device().(pcap.Device)
	if !ok {
		return nil, fmt.Errorf("inet: the device of %v (%T) cannot write pcap traces", ifc, ifc.Device())
	}
	return EnablePcap(pcap.FileName(prefix, ifc.Node().ID(), ifc.Index()), dev)
}

// EnablePcapAll traces every interface of every node of the network whose
// device can write pcap traces (point-to-point, tunnel, 802.11, and the
// devices of later technologies), one file each named as
// EnablePcapInterface names it: ns-3's EnablePcapAll, across
// technologies. Devices that cannot write traces are skipped. On error the
// files already opened are closed. The caller closes the writers (Close)
// at the end of the run.
func (w *Network) EnablePcapAll(prefix string) (pcap.Writers, error) {
	var out pcap.Writers
	var devs []pcap.Device
	for _, n := range w.nodes {
		for _, ifc := range n.ifaces {
			dev, ok := ifc.dev.(pcap.Device)
			if !ok {
				continue
			}
			pw, err := EnablePcapInterface(prefix, ifc)
			if err != nil {
				for _, d := range devs {
					_ = d.SetPcap(nil)
				}
				out.Close()
				return nil, err
			}
			out = append(out, pw)
			devs = append(devs, dev)
		}
	}
	return out, nil
}
