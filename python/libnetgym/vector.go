package main

/*
#include <stdint.h>
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/netgym/netgym/rl/vecenv"
)

// vecObject is a vector of channel environments and its flag buffers.
type vecObject struct {
	v        *vecenv.Vector
	nActions int
	history  int
	seeds    []uint64
	reseed   []bool
}

// ng_vec_new builds n vecenv.ChannelEnvs (NetRL's Wi-Fi link with the given
// settings, environment i seeded seed+i) stepped on up to workers
// goroutines (0: one per CPU).
//
//export ng_vec_new
func ng_vec_new(n, workers C.int64_t, stepMs, distance, txPower, lossExp C.double, retries C.int64_t,
	sizes *C.int64_t, nSizes, history, maxSteps C.int64_t, seed C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := defaultWifi()
	cfg.StepMs, cfg.Distance, cfg.TxPowerDbm, cfg.LossExponent =
		float64(stepMs), float64(distance), float64(txPower), float64(lossExp)
	cfg.Retries, cfg.Seed, cfg.Run = int(retries), uint64(seed), 1
	return newVec(wifiLink(cfg), n, workers, sizes, nSizes, history, maxSteps, err, errcap)
}

// ng_vec_new_lena builds n vecenv.ChannelEnvs over NetRL's 5G-LENA link
// (the settings of ng_lena_new, environment i seeded seed+i).
//
//export ng_vec_new_lena
func ng_vec_new_lena(n, workers C.int64_t, stepMs, distance, freqHz, bandwidthHz, ueTxPower, gnbTxPower C.double,
	scenario *C.char, numerology, shadowing C.int64_t, sizes *C.int64_t, nSizes, history, maxSteps C.int64_t,
	seed C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := lenaConfig(stepMs, distance, freqHz, bandwidthHz, ueTxPower, gnbTxPower, scenario, numerology, shadowing)
	cfg.Seed, cfg.Run = uint64(seed), 1
	return newVec(lenaLink(cfg), n, workers, sizes, nSizes, history, maxSteps, err, errcap)
}

// ng_vec_new_mmwave builds n vecenv.ChannelEnvs over NetRL's ns3-mmwave
// link (the settings of ng_mmwave_new, scheduler included, environment
// i seeded seed+i).
//
//export ng_vec_new_mmwave
func ng_vec_new_mmwave(n, workers C.int64_t, stepMs, distance, freqHz, bandwidthHz, txPower, enbTxPower, noiseFig,
	enbNoiseFig C.double, scenario *C.char, harq, rlcAm C.int64_t, scheduler *C.char, sizes *C.int64_t,
	nSizes, history, maxSteps C.int64_t, seed C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := mmwaveConfig(stepMs, distance, freqHz, bandwidthHz, txPower, enbTxPower, noiseFig, enbNoiseFig, scenario,
		harq, rlcAm, scheduler)
	cfg.Seed, cfg.Run = uint64(seed), 1
	return newVec(mmwaveLink(cfg), n, workers, sizes, nSizes, history, maxSteps, err, errcap)
}

// newVec builds the vector of n channel environments over link.
func newVec(link vecenv.Link, n, workers C.int64_t, sizes *C.int64_t, nSizes, history, maxSteps C.int64_t,
	err *C.char, errcap C.int64_t) C.uint64_t {
	cfg := vecenv.LinkEnvConfig(link)
	cfg.PacketSizes = nil
	if nSizes > 0 && sizes != nil {
		for _, s := range unsafe.Slice((*int64)(unsafe.Pointer(sizes)), int(nSizes)) {
			cfg.PacketSizes = append(cfg.PacketSizes, int(s))
		}
	}
	cfg.History, cfg.MaxSteps = int(history), int(maxSteps)
	if e := cfg.Validate(); e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	v, e := vecenv.NewChannelVector(cfg, int(n), int(workers))
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	vo := &vecObject{v: v, nActions: len(cfg.PacketSizes), history: cfg.History,
		seeds: make([]uint64, n), reseed: make([]bool, n)}
	return newHandle(&object{mu: new(sync.Mutex), vec: vo, kind: "vector env"})
}

func vecOf(h C.uint64_t) (*object, error) {
	o, err := lookup(h)
	if err != nil {
		return nil, err
	}
	if o.vec == nil {
		return nil, fmt.Errorf("handle %d is a %s, not a vector env", uint64(h), o.kind)
	}
	o.mu.Lock()
	return o, nil
}

// ng_vec_dims writes N, the observation length, the number of actions and
// the history length into out[0:4].
//
//export ng_vec_dims
func ng_vec_dims(h C.uint64_t, out *C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := vecOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	s := unsafe.Slice((*int64)(unsafe.Pointer(out)), 4)
	s[0], s[1], s[2], s[3] = int64(o.vec.v.Len()), int64(o.vec.v.ObsLen()), int64(o.vec.nActions), int64(o.vec.history)
	return 0
}

// ng_vec_reset resets every environment into obs (N*obs_len float32).
// seeds is NULL (next runs) or N seeds, used where mask[i] is nonzero (mask
// NULL: all).
//
//export ng_vec_reset
func ng_vec_reset(h C.uint64_t, seeds *C.uint64_t, mask *C.uint8_t, obs *C.float, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := vecOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	vo := o.vec
	n := vo.v.Len()
	var sd []uint64
	var rs []bool
	if seeds != nil {
		copy(vo.seeds, unsafe.Slice((*uint64)(unsafe.Pointer(seeds)), n))
		sd = vo.seeds
		if mask != nil {
			for i, m := range unsafe.Slice((*uint8)(unsafe.Pointer(mask)), n) {
				vo.reseed[i] = m != 0
			}
			rs = vo.reseed
		}
	}
	ob := unsafe.Slice((*float32)(unsafe.Pointer(obs)), n*vo.v.ObsLen())
	if e := vo.v.Reset(sd, rs, ob); e != nil {
		return fail(err, errcap, e)
	}
	return 0
}

// ng_vec_step steps every environment: actions (N int64) in; obs
// (N*obs_len float32), rewards (N float64), terminated and truncated (N
// bytes, 0 or 1) out.
//
//export ng_vec_step
func ng_vec_step(h C.uint64_t, actions *C.int64_t, obs *C.float, rewards *C.double, term, trunc *C.uint8_t,
	err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := vecOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	vo := o.vec
	n := vo.v.Len()
	acts := unsafe.Slice((*int64)(unsafe.Pointer(actions)), n)
	ob := unsafe.Slice((*float32)(unsafe.Pointer(obs)), n*vo.v.ObsLen())
	rw := unsafe.Slice((*float64)(unsafe.Pointer(rewards)), n)
	// Go's bool is one byte holding 0 or 1, as numpy's bool_.
	te := unsafe.Slice((*bool)(unsafe.Pointer(term)), n)
	tr := unsafe.Slice((*bool)(unsafe.Pointer(trunc)), n)
	if e := vo.v.Step(acts, ob, rw, te, tr); e != nil {
		return fail(err, errcap, e)
	}
	return 0
}
