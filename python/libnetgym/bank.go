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

// ng_bank_new builds n NetRL Wi-Fi links (vecenv.ChannelBank, link i seeded
// seed+i) stepped on up to workers goroutines (0: one per CPU).
//
//export ng_bank_new
func ng_bank_new(n, workers C.int64_t, stepMs, distance, txPower, lossExp C.double, retries, pktSize C.int64_t,
	seed C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := defaultWifi()
	cfg.StepMs, cfg.Distance, cfg.TxPowerDbm, cfg.LossExponent = float64(stepMs), float64(distance), float64(txPower), float64(lossExp)
	cfg.Retries, cfg.PacketSize, cfg.Seed, cfg.Run = int(retries), int(pktSize), uint64(seed), 1
	return newBank(wifiLink(cfg), n, workers, err, errcap)
}

// ng_bank_new_lena builds n NetRL 5G-LENA links (the settings of
// ng_lena_new, link i seeded seed+i, run 1) stepped on up to workers
// goroutines (0: one per CPU).
//
//export ng_bank_new_lena
func ng_bank_new_lena(n, workers C.int64_t, stepMs, distance, freqHz, bandwidthHz, ueTxPower, gnbTxPower C.double,
	scenario *C.char, numerology, shadowing, pktSize C.int64_t, seed C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := lenaConfig(stepMs, distance, freqHz, bandwidthHz, ueTxPower, gnbTxPower, scenario, numerology, shadowing)
	cfg.PacketSize, cfg.Seed, cfg.Run = int(pktSize), uint64(seed), 1
	return newBank(lenaLink(cfg), n, workers, err, errcap)
}

// ng_bank_new_mmwave builds n NetRL ns3-mmwave links (the settings of
// ng_mmwave_new, scheduler included, link i seeded seed+i, run 1) stepped
// on up to workers goroutines (0: one per CPU).
//
//export ng_bank_new_mmwave
func ng_bank_new_mmwave(n, workers C.int64_t, stepMs, distance, freqHz, bandwidthHz, txPower, enbTxPower, noiseFig,
	enbNoiseFig C.double, scenario *C.char, harq, rlcAm C.int64_t, scheduler *C.char, pktSize C.int64_t,
	seed C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := mmwaveConfig(stepMs, distance, freqHz, bandwidthHz, txPower, enbTxPower, noiseFig, enbNoiseFig, scenario,
		harq, rlcAm, scheduler)
	cfg.PacketSize, cfg.Seed, cfg.Run = int(pktSize), uint64(seed), 1
	return newBank(mmwaveLink(cfg), n, workers, err, errcap)
}

// newBank builds the bank of n links over link.
func newBank(link vecenv.Link, n, workers C.int64_t, err *C.char, errcap C.int64_t) C.uint64_t {
	b, e := vecenv.NewLinkBank(link, int(n), int(workers))
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	return newHandle(&object{mu: new(sync.Mutex), bank: b, kind: "channel bank"})
}

func bankOf(h C.uint64_t) (*object, error) {
	o, err := lookup(h)
	if err != nil {
		return nil, err
	}
	if o.bank == nil {
		return nil, fmt.Errorf("handle %d is a %s, not a channel bank", uint64(h), o.kind)
	}
	o.mu.Lock()
	return o, nil
}

// ng_bank_step transmits and flushes every link (steps: N uint32, sizes:
// N int64, -1 for no packet) and writes arrival counts (N int32) and ids
// (N*per uint32, link i's at [i*per, i*per+per)).
//
//export ng_bank_step
func ng_bank_step(h C.uint64_t, steps *C.uint32_t, sizes *C.int64_t, counts *C.int32_t, ids *C.uint32_t, per C.int64_t,
	err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := bankOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	n := o.bank.Len()
	e = o.bank.Step(unsafe.Slice((*uint32)(unsafe.Pointer(steps)), n), unsafe.Slice((*int64)(unsafe.Pointer(sizes)), n),
		unsafe.Slice((*int32)(unsafe.Pointer(counts)), n), unsafe.Slice((*uint32)(unsafe.Pointer(ids)), n*int(per)), int(per))
	if e != nil {
		return fail(err, errcap, e)
	}
	return 0
}

// ng_bank_reset starts a new episode on link i: from (seed, run 1) if
// reseed is nonzero, else its next run.
//
//export ng_bank_reset
func ng_bank_reset(h C.uint64_t, i C.int64_t, seed C.uint64_t, reseed C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := bankOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	if e := o.bank.Reset(int(i), uint64(seed), reseed != 0); e != nil {
		return fail(err, errcap, e)
	}
	return 0
}
