package main

/*
#include <stdint.h>
*/
import "C"

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/mmwave"
	"github.com/netgym/netgym/channelif/nr"
	"github.com/netgym/netgym/channelif/wifi"
	"github.com/netgym/netgym/rl/vecenv"
)

// chanOps is what the exported channel functions need: NetRL's
// CommChannel on ids plus counters for get_channel_info.
type chanOps interface {
	Transmit(step uint32, size int) error
	Flush(step uint32) ([]uint32, error)
	Reset() error
	// stats: simulated seconds, run number, packets in flight.
	stats() (now float64, run uint64, inFlight int)
	last() []uint32
}

// The wrappers below are the only places that name channelif's
// constructors, so that a move of a technology's builders is a one-line
// change here.

func newWifi(cfg wifi.Config) (*channelif.SimChannel, error) { return wifi.NewChannel(cfg) }

func defaultWifi() wifi.Config { return wifi.DefaultConfig() }

func newMulti(cfg wifi.MultiUEConfig) (*wifi.MultiUEBackend, error) {
	return wifi.NewMultiUEBackend(cfg)
}

func defaultMulti() wifi.MultiUEConfig { return wifi.DefaultMultiUEConfig() }

func newLena(cfg nr.Config) (*channelif.SimChannel, error) { return nr.NewChannel(cfg) }

func defaultLena() nr.Config { return nr.DefaultConfig() }

func newMmwave(cfg mmwave.Config) (*channelif.SimChannel, error) { return mmwave.NewChannel(cfg) }

func defaultMmwave() mmwave.Config { return mmwave.DefaultConfig() }

// The links of the vector envs (vecenv's adapters of the same configs).

func wifiLink(cfg wifi.Config) vecenv.Link { return vecenv.WifiLink(cfg) }

func lenaLink(cfg nr.Config) vecenv.Link { return vecenv.NRLink(cfg) }

func mmwaveLink(cfg mmwave.Config) vecenv.Link { return vecenv.MmWaveLink(cfg) }

// lenaConfig is ns3_lena_sim's configuration from its flags in its units
// (Hz, dBm); scenario is a NUL-terminated name (NULL: UMa), shadowing 0
// or 1. Seed, run and packet size keep their defaults.
func lenaConfig(stepMs, distance, freqHz, bandwidthHz, ueTxPower, gnbTxPower C.double, scenario *C.char,
	numerology, shadowing C.int64_t) nr.Config {
	cfg := defaultLena()
	cfg.StepMs, cfg.Distance, cfg.FreqHz, cfg.BandwidthHz = float64(stepMs), float64(distance), float64(freqHz), float64(bandwidthHz)
	cfg.UeTxPowerDbm, cfg.GnbTxPowerDb = float64(ueTxPower), float64(gnbTxPower)
	if scenario != nil {
		cfg.Scenario = C.GoString(scenario)
	}
	cfg.Numerology, cfg.Shadowing = int(numerology), shadowing != 0
	return cfg
}

// mmwaveConfig is ns3_mmwave_sim's configuration from its flags in its
// units (Hz, dBm, dB); scenario is a NUL-terminated name (NULL: UMa),
// harq and rlcAm 0 or 1, scheduler mmwave-sim's --scheduler (rr, pf or
// maxrate; NULL: rr). Seed, run and packet size keep their defaults.
func mmwaveConfig(stepMs, distance, freqHz, bandwidthHz, txPower, enbTxPower, noiseFig, enbNoiseFig C.double,
	scenario *C.char, harq, rlcAm C.int64_t, scheduler *C.char) mmwave.Config {
	cfg := defaultMmwave()
	cfg.StepMs, cfg.Distance, cfg.FreqHz, cfg.BandwidthHz = float64(stepMs), float64(distance), float64(freqHz), float64(bandwidthHz)
	cfg.TxPowerDbm, cfg.EnbTxPowerDbm = float64(txPower), float64(enbTxPower)
	cfg.NoiseFigDb, cfg.EnbNoiseFigDb = float64(noiseFig), float64(enbNoiseFig)
	if scenario != nil {
		cfg.Scenario = C.GoString(scenario)
	}
	cfg.Harq, cfg.RlcAm = harq != 0, rlcAm != 0
	if scheduler != nil {
		cfg.Scheduler = C.GoString(scheduler)
	}
	return cfg
}

// simChan is a single-link channel on channelif's generic backend (Wi-Fi
// ad-hoc, 5G-LENA, mmWave).
type simChan struct {
	c   *channelif.SimChannel
	out []uint32
}

func (w *simChan) Transmit(step uint32, size int) error { return w.c.Transmit(step, size) }
func (w *simChan) Flush(step uint32) ([]uint32, error) {
	ids, err := w.c.Flush(step)
	w.out = ids
	return ids, err
}
func (w *simChan) Reset() error { w.out = nil; return w.c.Reset() }
func (w *simChan) stats() (float64, uint64, int) {
	return w.c.Now().Seconds(), w.c.Run(), w.c.Backend().InFlight()
}
func (w *simChan) last() []uint32 { return w.out }

// multiBackend is the multi-UE backend and its views.
type multiBackend struct {
	b     *wifi.MultiUEBackend
	ues   []int32
	steps []uint32
}

// ueChan is one UE's view.
type ueChan struct {
	v   *channelif.UEChannel
	out []uint32
}

func (u *ueChan) Transmit(step uint32, size int) error { return u.v.Transmit(step, size) }
func (u *ueChan) Flush(step uint32) ([]uint32, error) {
	ids, err := u.v.Flush(step)
	u.out = ids
	return ids, err
}
func (u *ueChan) Reset() error { u.out = nil; return u.v.Reset() }
func (u *ueChan) stats() (float64, uint64, int) {
	b := u.v.Backend()
	return b.Now().Seconds(), b.Run(), b.InFlight()
}
func (u *ueChan) last() []uint32 { return u.out }

// ng_wifi_new builds NetRL's Wi-Fi ad-hoc channel (channelif.WifiChannel)
// and returns its handle, 0 on error.
//
//export ng_wifi_new
func ng_wifi_new(stepMs, distance, txPower, lossExp C.double, retries, pktSize C.int64_t,
	seed, run C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := defaultWifi()
	cfg.StepMs, cfg.Distance, cfg.TxPowerDbm, cfg.LossExponent = float64(stepMs), float64(distance), float64(txPower), float64(lossExp)
	cfg.Retries, cfg.PacketSize, cfg.Seed, cfg.Run = int(retries), int(pktSize), uint64(seed), uint64(run)
	c, e := newWifi(cfg)
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	return newHandle(&object{mu: new(sync.Mutex), ch: &simChan{c: c}, kind: "wifi"})
}

// ng_lena_new builds NetRL's 5G-LENA channel (channelif/nr: one gNB, one
// UE, uplink through the EPC) and returns its handle, 0 on error. The
// arguments are ns3_lena_sim's flags in its units (Hz, dBm); scenario is a
// NUL-terminated name; shadowing is 0 or 1.
//
//export ng_lena_new
func ng_lena_new(stepMs, distance, freqHz, bandwidthHz, ueTxPower, gnbTxPower C.double, scenario *C.char,
	numerology, shadowing, pktSize C.int64_t, seed, run C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := lenaConfig(stepMs, distance, freqHz, bandwidthHz, ueTxPower, gnbTxPower, scenario, numerology, shadowing)
	cfg.PacketSize, cfg.Seed, cfg.Run = int(pktSize), uint64(seed), uint64(run)
	c, e := newLena(cfg)
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	return newHandle(&object{mu: new(sync.Mutex), ch: &simChan{c: c}, kind: "lena"})
}

// ng_mmwave_new builds NetRL's ns3-mmwave channel (channelif/mmwave: one
// eNB, one UE, uplink through the EPC) and returns its handle, 0 on
// error. The arguments are ns3_mmwave_sim's flags in its units (Hz, dBm,
// dB); scenario is a NUL-terminated name; harq and rlcAm are 0 or 1;
// scheduler is mmwave-sim's --scheduler (rr, pf or maxrate; NULL: rr).
//
//export ng_mmwave_new
func ng_mmwave_new(stepMs, distance, freqHz, bandwidthHz, txPower, enbTxPower, noiseFig, enbNoiseFig C.double,
	scenario *C.char, harq, rlcAm C.int64_t, scheduler *C.char, pktSize C.int64_t, seed, run C.uint64_t,
	err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := mmwaveConfig(stepMs, distance, freqHz, bandwidthHz, txPower, enbTxPower, noiseFig, enbNoiseFig, scenario,
		harq, rlcAm, scheduler)
	cfg.PacketSize, cfg.Seed, cfg.Run = int(pktSize), uint64(seed), uint64(run)
	c, e := newMmwave(cfg)
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	return newHandle(&object{mu: new(sync.Mutex), ch: &simChan{c: c}, kind: "mmwave"})
}

// chanOf locks and returns the channel of h; the caller unlocks o.mu.
func chanOf(h C.uint64_t) (*object, error) {
	o, err := lookup(h)
	if err != nil {
		return nil, err
	}
	if o.ch == nil {
		return nil, fmt.Errorf("handle %d is a %s, not a channel", uint64(h), o.kind)
	}
	o.mu.Lock()
	return o, nil
}

// ng_chan_transmit sends the packet of step with size bytes.
//
//export ng_chan_transmit
func ng_chan_transmit(h C.uint64_t, step C.uint32_t, size C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := chanOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	if e := o.ch.Transmit(uint32(step), int(size)); e != nil {
		return fail(err, errcap, e)
	}
	return 0
}

// ng_chan_flush advances to the end of step's window and copies up to cap
// arrived step ids into out; it returns how many arrived (more than cap:
// fetch them all with ng_chan_last).
//
//export ng_chan_flush
func ng_chan_flush(h C.uint64_t, step C.uint32_t, out *C.uint32_t, capacity C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := chanOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	ids, e := o.ch.Flush(uint32(step))
	if e != nil {
		return fail(err, errcap, e)
	}
	copyIDs(out, capacity, ids)
	return C.int64_t(len(ids))
}

// ng_chan_last copies the ids of the last flush again (after a flush that
// returned more than its buffer held).
//
//export ng_chan_last
func ng_chan_last(h C.uint64_t, out *C.uint32_t, capacity C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := chanOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	ids := o.ch.last()
	copyIDs(out, capacity, ids)
	return C.int64_t(len(ids))
}

func copyIDs(out *C.uint32_t, capacity C.int64_t, ids []uint32) {
	if n := min(int(capacity), len(ids)); n > 0 && out != nil {
		copy(unsafe.Slice((*uint32)(unsafe.Pointer(out)), n), ids)
	}
}

// ng_chan_reset starts a new episode (the next run number; no reseed).
//
//export ng_chan_reset
func ng_chan_reset(h C.uint64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := chanOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	if e := o.ch.Reset(); e != nil {
		return fail(err, errcap, e)
	}
	return 0
}

// ng_chan_stats writes simulated seconds, run number and packets in
// flight (-1: not counted) into out[0:3].
//
//export ng_chan_stats
func ng_chan_stats(h C.uint64_t, out *C.double, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := chanOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	now, run, n := o.ch.stats()
	s := unsafe.Slice((*float64)(unsafe.Pointer(out)), 3)
	s[0], s[1], s[2] = now, float64(run), float64(n)
	return 0
}

// ng_multi_new builds NetRL's multi-UE Wi-Fi backend
// (channelif.WifiMultiUEBackend) with nd distances.
//
//export ng_multi_new
func ng_multi_new(stepMs C.double, nUEs C.int64_t, distances *C.double, nd C.int64_t, txPower, lossExp C.double,
	retries, pktSize C.int64_t, seed, run C.uint64_t, err *C.char, errcap C.int64_t) (h C.uint64_t) {
	defer recoverHandle(err, errcap, &h)
	cfg := defaultMulti()
	cfg.StepMs, cfg.NUEs, cfg.TxPowerDbm, cfg.LossExponent = float64(stepMs), int(nUEs), float64(txPower), float64(lossExp)
	cfg.Retries, cfg.PacketSize, cfg.Seed, cfg.Run = int(retries), int(pktSize), uint64(seed), uint64(run)
	cfg.Distances = nil
	if nd > 0 && distances != nil {
		cfg.Distances = append([]float64(nil), unsafe.Slice((*float64)(unsafe.Pointer(distances)), int(nd))...)
	}
	b, e := newMulti(cfg)
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	return newHandle(&object{mu: new(sync.Mutex), mb: &multiBackend{b: b}, kind: "multi-UE backend"})
}

func multiOf(h C.uint64_t) (*object, error) {
	o, err := lookup(h)
	if err != nil {
		return nil, err
	}
	if o.mb == nil {
		return nil, fmt.Errorf("handle %d is a %s, not a multi-UE backend", uint64(h), o.kind)
	}
	o.mu.Lock()
	return o, nil
}

// ng_multi_view returns a channel handle for UE ue's view (NetRL's
// NS3WifiUEChannel: shared flush cache, reset once every view reset).
//
//export ng_multi_view
func ng_multi_view(h C.uint64_t, ue C.int64_t, err *C.char, errcap C.int64_t) (v C.uint64_t) {
	defer recoverHandle(err, errcap, &v)
	o, e := multiOf(h)
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	defer o.mu.Unlock()
	view, e := o.mb.b.UE(int(ue))
	if e != nil {
		setErr(err, errcap, e.Error())
		return 0
	}
	return newHandle(&object{mu: o.mu, ch: &ueChan{v: view}, kind: "multi-UE view"})
}

// ng_multi_transmit sends UE ue's packet of step with size bytes.
//
//export ng_multi_transmit
func ng_multi_transmit(h C.uint64_t, ue C.int64_t, step C.uint32_t, size C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := multiOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	if e := o.mb.b.Transmit(int(ue), uint32(step), int(size)); e != nil {
		return fail(err, errcap, e)
	}
	return 0
}

// ng_multi_flush advances to the end of step's window and copies up to cap
// arrivals into outUE/outStep; it returns how many arrived (more than cap:
// fetch them with ng_multi_last).
//
//export ng_multi_flush
func ng_multi_flush(h C.uint64_t, step C.uint32_t, outUE *C.int32_t, outStep *C.uint32_t, capacity C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := multiOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	arr, e := o.mb.b.Flush(uint32(step))
	if e != nil {
		return fail(err, errcap, e)
	}
	m := o.mb
	m.ues, m.steps = m.ues[:0], m.steps[:0]
	for _, a := range arr {
		m.ues = append(m.ues, int32(a.UE))
		m.steps = append(m.steps, a.Step)
	}
	copyArrivals(m, outUE, outStep, capacity)
	return C.int64_t(len(arr))
}

// ng_multi_last copies the arrivals of the last ng_multi_flush again.
//
//export ng_multi_last
func ng_multi_last(h C.uint64_t, outUE *C.int32_t, outStep *C.uint32_t, capacity C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := multiOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	copyArrivals(o.mb, outUE, outStep, capacity)
	return C.int64_t(len(o.mb.ues))
}

func copyArrivals(m *multiBackend, outUE *C.int32_t, outStep *C.uint32_t, capacity C.int64_t) {
	if n := min(int(capacity), len(m.ues)); n > 0 && outUE != nil && outStep != nil {
		copy(unsafe.Slice((*int32)(unsafe.Pointer(outUE)), n), m.ues)
		copy(unsafe.Slice((*uint32)(unsafe.Pointer(outStep)), n), m.steps)
	}
}

// ng_multi_reset rebuilds the scenario with the next run number.
//
//export ng_multi_reset
func ng_multi_reset(h C.uint64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := multiOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	if e := o.mb.b.Reset(); e != nil {
		return fail(err, errcap, e)
	}
	o.mb.ues, o.mb.steps = o.mb.ues[:0], o.mb.steps[:0]
	return 0
}

// ng_multi_stats writes simulated seconds, run number, packets in flight
// and the number of associated UEs into out[0:4].
//
//export ng_multi_stats
func ng_multi_stats(h C.uint64_t, out *C.double, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	o, e := multiOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	defer o.mu.Unlock()
	b := o.mb.b
	assoc := 0
	for ue := 0; ue < b.NumUEs(); ue++ {
		if b.IsAssociated(ue) {
			assoc++
		}
	}
	s := unsafe.Slice((*float64)(unsafe.Pointer(out)), 4)
	s[0], s[1], s[2], s[3] = b.Now().Seconds(), float64(b.Run()), float64(b.InFlight()), float64(assoc)
	return 0
}
