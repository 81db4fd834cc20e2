package mac80211

import (
	"github.com/netgym/netgym/internal/ns3time"
	"github.com/netgym/netgym/sim"
	"github.com/netgym/netgym/sim/spectrum"
)

// This file is the interference tracker of one PHY: ns-3 3.37's
// InterferenceHelper (src/wifi/model/interference-helper.cc) for a single
// 20 MHz band, reproduced operation by operation so that SINR chunks, PERs
// and CCA durations come out as ns-3 computes them, quirks included.
//
// ns-3 keeps a time-ordered multimap of "NI changes": at every start and end
// of a signal, the total received power from that instant on. Appending a
// signal adds its power to every change point inside it. When the PHY is not
// receiving (m_rxing false), appending first erases every change point up to
// the new signal's start and remembers the power there in m_firstPowerPerBand:
// that is how old signals are forgotten. netgym keeps the same list in a
// slice that is reused, so tracking allocates nothing in steady state.

// niChange is one NI change point: from time t on (until the next point),
// the total power of all tracked signals is power watts. sig identifies the
// signal whose start or end created the point (0 for the permanent point at
// time 0), as ns-3's NiChange::GetEvent.
type niChange struct {
	t     sim.Time
	power float64
	sig   uint64
}

// interference is one PHY's InterferenceHelper.
type interference struct {
	// ch is the NI change list, ordered by time; points at equal times keep
	// their insertion order (ns-3 inserts at upper_bound). ch[0] is always
	// the zero-power point at time 0.
	ch []niChange
	// firstPower is ns-3's m_firstPowerPerBand: the power present when the
	// signal being received started.
	firstPower float64
	// rxing is ns-3's m_rxing: while true, appended signals do not erase
	// old change points.
	rxing bool
	// noiseFloorW is thermal noise times the noise figure over 20 MHz.
	noiseFloorW float64
	errModel    ErrorRateModel
	// buf is ch's first array, inside the PHY: a short list (the usual
	// case) is read without another cache miss.
	buf [8]niChange
}

func (in *interference) init(noiseFigureDb float64, em ErrorRateModel) {
	if in.ch == nil {
		in.ch = in.buf[:0]
	}
	in.ch = append(in.ch[:0], niChange{})
	in.firstPower = 0
	in.rxing = false
	in.noiseFloorW = ns3NoiseFloorW(noiseFigureDb)
	in.errModel = em
}

// ns3NoiseFloorW computes the receiver noise floor with the same floating
// point operations as ns-3's InterferenceHelper::CalculateSnr for a 20 MHz
// channel: BOLTZMANN * 290 * channelWidth * 1e6, times the linear noise
// figure (WifiPhy::SetRxNoiseFigure stores spectrum.DbToRatio(noiseFigureDb)).
func ns3NoiseFloorW(noiseFigureDb float64) float64 {
	nt := Boltzmann * NoiseTemperature * 20 * 1e6
	return spectrum.DbToRatio(noiseFigureDb) * nt
}

// upperBound returns the index of the first change point later than t.
func (in *interference) upperBound(t sim.Time) int {
	n := len(in.ch)
	if n == 0 || in.ch[n-1].t <= t {
		return n // most often: a signal starting after every change point
	}
	lo, hi := 0, n-1
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if in.ch[mid].t <= t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// lowerBound returns the index of the first change point at or after t.
func (in *interference) lowerBound(t sim.Time) int {
	lo, hi := 0, len(in.ch)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if in.ch[mid].t < t {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// previous returns the index of the last change point at or before t
// (ns-3's GetPreviousPosition). It is never negative: ch[0] is at time 0.
func (in *interference) previous(t sim.Time) int { return in.upperBound(t) - 1 }

// insert puts c at index i, shifting later points.
func (in *interference) insert(i int, c niChange) {
	if i == len(in.ch) {
		in.ch = append(in.ch, c)
		return
	}
	in.ch = append(in.ch, niChange{})
	copy(in.ch[i+1:], in.ch[i:])
	in.ch[i] = c
}

// add tracks a signal of powerW watts from start to end under id (ns-3
// InterferenceHelper::Add and AppendEvent).
func (in *interference) add(id uint64, start, end sim.Time, powerW float64) {
	ps := in.previous(start)
	powerStart := in.ch[ps].power
	powerEnd := in.ch[in.previous(end)].power
	if !in.rxing {
		in.firstPower = powerStart
		// Always leave the first zero power point in the list.
		if ps >= 1 {
			n := copy(in.ch[1:], in.ch[ps+1:])
			in.ch = in.ch[:1+n]
			// After a burst of overlapping signals the list is short
			// again: back into the PHY's own array, or give back most
			// of its capacity.
			if c := cap(in.ch); c > len(in.buf) && len(in.ch) <= len(in.buf)/2 {
				in.ch = append(in.buf[:0], in.ch...)
			} else if c > 128 && len(in.ch) < c/16 {
				in.ch = append(make([]niChange, 0, c/4), in.ch...)
			}
		}
	}
	first := in.upperBound(start)
	in.insert(first, niChange{t: start, power: powerStart, sig: id})
	last := in.upperBound(end)
	in.insert(last, niChange{t: end, power: powerEnd, sig: id})
	for i := first; i < last; i++ {
		in.ch[i].power += powerW
	}
}

// maxPowerFrom returns the highest total power tracked from t on.
func (in *interference) maxPowerFrom(t sim.Time) float64 {
	mx := 0.0
	for i := in.previous(t); i < len(in.ch); i++ {
		mx = max(mx, in.ch[i].power)
	}
	return mx
}

// notifyRxStart is ns-3's InterferenceHelper::NotifyRxStart.
func (in *interference) notifyRxStart() { in.rxing = true }

// notifyRxEnd is ns-3's InterferenceHelper::NotifyRxEnd(endTime): stop
// keeping old change points and set firstPower to the power just before the
// last change at or before endTime.
func (in *interference) notifyRxEnd(endTime sim.Time) {
	in.rxing = false
	if i := in.previous(endTime); i >= 1 {
		in.firstPower = in.ch[i-1].power
	}
}

// energyDuration returns how long from now the total power stays at or
// above thresholdW (ns-3 InterferenceHelper::GetEnergyDuration): zero if it
// is below now.
func (in *interference) energyDuration(now sim.Time, thresholdW float64) sim.Time {
	i := in.previous(now)
	end := in.ch[i].t
	for ; i < len(in.ch); i++ {
		end = in.ch[i].t
		if in.ch[i].power < thresholdW {
			break
		}
	}
	if end > now {
		return end - now
	}
	return 0
}

// noiseInterference returns the interference power (all other signals)
// that signal sig sees at now, as ns-3's
// InterferenceHelper::CalculateNoiseInterferenceW: the power of the last
// change point strictly before now, from the signal's start on, minus the
// signal's own power; firstPower if there is none.
func (in *interference) noiseInterference(sig *rxSignal, now sim.Time) float64 {
	from := in.lowerBound(sig.start)
	last := in.lowerBound(now) - 1
	if last < from {
		return in.firstPower
	}
	return in.ch[last].power - sig.powerW
}

// snr returns the SINR of sig at now (ns-3 InterferenceHelper::CalculateSnr
// for one antenna and one spatial stream).
func (in *interference) snr(sig *rxSignal, now sim.Time) float64 {
	return sig.powerW / (in.noiseFloorW + in.noiseInterference(sig, now))
}

// span returns the indices of sig's own start and end change points: the
// change points strictly between them are the ones ns-3's
// CalculateNoiseInterferenceW copies into the per-event NiChanges list.
func (in *interference) span(sig *rxSignal) (s, e int) {
	s = in.lowerBound(sig.start)
	for s < len(in.ch) && in.ch[s].sig != sig.id {
		s++
	}
	e = s + 1
	for e < len(in.ch) && in.ch[e].sig != sig.id {
		e++
	}
	return s, e
}

// chunkSuccess is ns-3's InterferenceHelper::CalculateChunkSuccessRate
// (and CalculatePayloadChunkSuccessRate, identical for one stream).
func (in *interference) chunkSuccess(m Mode, snr float64, d sim.Time) float64 {
	if d == 0 {
		return 1
	}
	return in.errModel.ChunkSuccessRate(m, snr, ns3ChunkBits(m.DataRate(), d))
}

// headerPer returns the error probability of the SIGNAL (L-SIG) field of
// sig, as ns-3's InterferenceHelper::CalculatePhyHeaderPer for
// WIFI_PPDU_FIELD_NON_HT_HEADER: the product of chunk success rates at
// SignalMode over the chunks of constant SINR between start+16 µs and
// start+20 µs. The 16 µs preamble is not error-modelled (its fate is the
// preamble detection model's threshold decision).
func (in *interference) headerPer(sig *rxSignal) float64 {
	secStart := sig.start + PreambleDuration
	secStop := secStart + SignalDuration
	s, e := in.span(sig)
	psr := 1.0
	previous := sig.start
	noise := in.firstPower
	for j := s + 1; j <= e; j++ {
		current, power := sig.end, 0.0
		if j < e {
			current, power = in.ch[j].t, in.ch[j].power
		}
		snr := sig.powerW / (in.noiseFloorW + noise)
		if d := min(secStop, current) - max(secStart, previous); d > 0 {
			psr *= in.chunkSuccess(SignalMode, snr, d)
		}
		noise = power - sig.powerW
		previous = current
		if previous > secStop {
			break
		}
	}
	return 1 - psr
}

// payloadPer returns the error probability of the DATA field of sig sent
// in mode m, as ns-3's InterferenceHelper::CalculatePayloadPer for a single
// MPDU: the window runs from start+20 µs (preamble and SIGNAL) to the end of
// the PPDU, and every chunk of constant SINR in it contributes its success
// rate at m.
func (in *interference) payloadPer(sig *rxSignal, m Mode) float64 {
	winStart := sig.start + PreambleAndSignalDuration
	winEnd := sig.end
	s, e := in.span(sig)
	psr := 1.0
	previous := sig.start
	noise := in.firstPower
	for j := s + 1; j <= e; j++ {
		current, power := sig.end, 0.0
		if j < e {
			current, power = in.ch[j].t, in.ch[j].power
		}
		snr := sig.powerW / (in.noiseFloorW + noise)
		switch {
		case previous >= winStart:
			psr *= in.chunkSuccess(m, snr, min(winEnd, current)-previous)
		case current >= winStart:
			psr *= in.chunkSuccess(m, snr, min(winEnd, current)-winStart)
		}
		noise = power - sig.powerW
		previous = current
		if previous > winEnd {
			break
		}
	}
	return 1 - psr
}

// ns3ChunkBits is the number of bits ns-3 3.37 assigns to a chunk of
// duration d at rate bit/s: static_cast<uint64_t>(rate * d.GetSeconds())
// (InterferenceHelper::CalculateChunkSuccessRate), with GetSeconds as
// ns3time.Seconds computes it. Because GetSeconds is slightly low, this is
// often one bit less than the exact ChunkBits: the 4 µs SIGNAL field counts
// 23 bits at 6 Mb/s, not 24. netgym's PHY uses this count so that its PERs
// are ns-3's.
func ns3ChunkBits(rate uint64, d sim.Time) uint64 {
	x := float64(rate) * ns3time.Seconds(d)
	if !(x > 0) {
		return 0
	}
	return uint64(x)
}
