package nr5g

import "github.com/netgym/netgym/sim/packet"

// sduSink is the RLC entity a reassembly hands SDUs to.
type sduSink interface {
	// deliver hands a complete SDU upwards.
	deliver(p *packet.Packet)
	// discard releases an SDU segment that cannot be completed.
	discard(p *packet.Packet)
}

// sduReasm is the SDU reassembly of an RLC receiver (UM or AM): the
// expected sequence number, the WAITING_S0_FULL / WAITING_SI_SF state and
// the first segment kept.
type sduReasm struct {
	expectedSn  uint16
	waitingSiSf bool // reassembly state: false = WAITING_S0_FULL
	keepS0      *packet.Packet
	sdus        []*packet.Packet // scratch: the SDUs of the PDU being reassembled
}

// release drops the kept segment.
func (r *sduReasm) release() {
	if r.keepS0 != nil {
		r.keepS0.Release()
		r.keepS0 = nil
	}
}

// run is NrRlcUm::ReassembleAndDeliver (NrRlcAm's is the same machine):
// the data field elements of one PDU go through the WAITING_S0_FULL /
// WAITING_SI_SF state machine with its framing info; a missing SN discards a kept first
// segment. Segments stand for their SDU, so an SDU completed from its
// segments is delivered as its first segment's packet.
func (r *sduReasm) run(pdu *rlcPdu, modulus uint16, pdus *rlcPdus, sink sduSink) {
	lost := pdu.sn != r.expectedSn
	r.expectedSn = (pdu.sn + 1) % modulus
	fi := pdu.fi
	sdus := r.sdus[:0]
	for i := range pdu.segs {
		sdus = append(sdus, pdu.segs[i].p)
		pdu.segs[i].p = nil
	}
	pdu.segs = pdu.segs[:0]
	pdus.put(pdu)

	first := fi&fiNoFirstByte == 0
	last := fi&fiNoLastByte == 0
	i := 0
	// deliverUpTo delivers sdus[i:n].
	deliverUpTo := func(n int) {
		for ; i < n; i++ {
			sink.deliver(sdus[i])
			sdus[i] = nil
		}
	}
	dropOne := func() {
		sink.discard(sdus[i])
		sdus[i] = nil
		i++
	}
	keepLast := func() {
		deliverUpTo(len(sdus) - 1)
		r.keepS0 = sdus[i]
		sdus[i] = nil
		i++
	}
	joinS0 := func() { // (kept) S0 + SI/SN: the continuation stands for the same SDU
		discard2(sdus[i])
		sdus[i] = nil
		i++
	}
	if !r.waitingSiSf || lost {
		if r.waitingSiSf && lost {
			// Losses while a first segment is kept: discard it.
			sink.discard(r.keepS0)
			r.keepS0 = nil
		}
		switch {
		case first && last:
			r.waitingSiSf = false
			deliverUpTo(len(sdus))
		case first && !last:
			r.waitingSiSf = true
			keepLast()
		case !first && last:
			r.waitingSiSf = false
			dropOne()
			deliverUpTo(len(sdus))
		default: // !first && !last
			r.waitingSiSf = len(sdus) != 1
			dropOne()
			if i < len(sdus) {
				keepLast()
			}
		}
	} else { // WAITING_SI_SF without losses
		switch {
		case !first && last:
			r.waitingSiSf = false
			joinS0()
			sink.deliver(r.keepS0)
			r.keepS0 = nil
			deliverUpTo(len(sdus))
		case !first && !last:
			r.waitingSiSf = true
			if len(sdus) == 1 {
				joinS0()
			} else {
				joinS0()
				sink.deliver(r.keepS0)
				r.keepS0 = nil
				keepLast()
			}
		default:
			// 5G-LENA logs "transition not possible" and drops the data.
			for ; i < len(sdus); i++ {
				sink.discard(sdus[i])
				sdus[i] = nil
			}
		}
	}
	r.sdus = sdus[:0]
}

// discard2 releases a continuation segment joined to the kept first one.
func discard2(p *packet.Packet) {
	if p != nil {
		p.Release()
	}
}
