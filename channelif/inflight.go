package channelif

import "github.com/netgym/netgym/sim"

// inFlightHorizon is how long after its send a packet may still arrive,
// whatever the technology (802.11's MAC drops frames queued longer than
// 500 ms and ARP gives up on an address after 1+3 requests a second apart),
// so ids older than this are forgotten.
const inFlightHorizon = 10 * sim.Second

// minPruneAt is the in-flight count at which forgotten ids are first
// looked for.
const minPruneAt = 4096

// inFlight remembers, per packet uid, the id a simulated channel's packet
// carries (a step, or a UE and a step) while it is on its way, so that only
// sizes and uids travel through the simulation.
type inFlight[T any] struct {
	m       map[uint64]inFlightEntry[T]
	pruneAt int
}

type inFlightEntry[T any] struct {
	id   T
	sent sim.Time
}

func (f *inFlight[T]) reset() {
	if f.m == nil {
		f.m = make(map[uint64]inFlightEntry[T])
	}
	clear(f.m)
	f.pruneAt = minPruneAt
}

func (f *inFlight[T]) len() int { return len(f.m) }

func (f *inFlight[T]) add(uid uint64, id T, now sim.Time) {
	f.m[uid] = inFlightEntry[T]{id: id, sent: now}
}

// take returns and forgets the id of an arriving packet.
func (f *inFlight[T]) take(uid uint64) (T, bool) {
	e, ok := f.m[uid]
	if ok {
		delete(f.m, uid)
	}
	return e.id, ok
}

// prune forgets, once the table has grown past its threshold, the ids of
// packets that can no longer arrive (lost to the retry limit, the queue
// lifetime or ARP), and moves the threshold so that a large population of
// live packets is not scanned every step.
func (f *inFlight[T]) prune(now sim.Time) {
	if len(f.m) < f.pruneAt {
		return
	}
	for uid, e := range f.m {
		if now-e.sent > inFlightHorizon {
			delete(f.m, uid)
		}
	}
	f.pruneAt = max(minPruneAt, 2*len(f.m))
}
