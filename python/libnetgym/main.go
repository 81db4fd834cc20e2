// Command libnetgym is netgym's in-process bridge for Python: built with
// -buildmode=c-shared into libnetgym.so, loaded by the Python package
// netgym (netgym/_native.py) through ctypes. It exports, as plain C
// functions on integer handles: NetRL's channels (ng_wifi_new,
// ng_lena_new, ng_mmwave_new and ng_chan_*: the Wi-Fi ad-hoc, 5G-LENA and
// mmWave links; ng_multi_*: the multi-UE Wi-Fi backend and its per-UE
// views), vecenv's vector of channel environments over the Wi-Fi, 5G-LENA
// or mmWave link (ng_vec_new, ng_vec_new_lena, ng_vec_new_mmwave and
// ng_vec_*) and
// its bank of links over the same three (ng_bank_new, ng_bank_new_lena,
// ng_bank_new_mmwave and ng_bank_*), plus ng_free, ng_live_objects (leak
// checks) and ng_selftest_* (panic and GIL checks for the tests). The
// channelif constructors are named in one place (channels.go) so that a
// move of a technology's builders is a one-line change.
//
// Rules of the interface:
//
//   - Only ids, sizes and numbers cross: observation payloads stay in
//     Python, keyed by step id, as NetRL's channels keep them.
//
//   - Every object lives behind a runtime/cgo Handle and has its own
//     mutex; objects share nothing, so any number of simulations run in one
//     process and from several Python threads (ctypes releases the GIL
//     during each call).
//
//   - Every function that can fail takes (err, errcap): on failure it
//     returns a negative status (or handle 0) and writes a NUL-terminated
//     message into err. A Go panic is recovered in every exported function
//     (and in the vector's goroutines) and reported the same way with
//     status -2. A fatal runtime error (out of memory, a concurrent map
//     write) cannot be recovered by Go and ends the process.
//
//   - Pointers passed in are used during the call only.
//
//     go build -buildmode=c-shared -o libnetgym.so ./python/libnetgym
package main

/*
#include <stdint.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/netgym/netgym/rl/vecenv"
)

// ABIVersion is bumped whenever an exported function is added or its
// signature changes; the Python side refuses a library of another version
// (2: ng_lena_new and ng_mmwave_new; 3: ng_vec_new_lena and
// ng_vec_new_mmwave; 4: ng_bank_new_lena and ng_bank_new_mmwave, and the
// scheduler argument of ng_mmwave_new and ng_vec_new_mmwave).
const ABIVersion = 4

const (
	statusError = -1
	statusPanic = -2
)

// object is what a handle refers to.
type object struct {
	mu   *sync.Mutex // shared by a multi-UE backend and its views
	ch   chanOps     // a channel (single link or a UE view)
	mb   *multiBackend
	vec  *vecObject
	bank *vecenv.ChannelBank
	bar  *barrier
	kind string
}

var live atomic.Int64 // objects not freed yet (leak checks)

func newHandle(o *object) C.uint64_t {
	live.Add(1)
	return C.uint64_t(cgo.NewHandle(o))
}

// lookup returns the object of h, or an error for a handle that was never
// issued or was freed.
func lookup(h C.uint64_t) (o *object, err error) {
	if h == 0 {
		return nil, errors.New("invalid handle 0 (the object was closed)")
	}
	defer func() {
		if recover() != nil {
			o, err = nil, fmt.Errorf("invalid handle %d (the object was closed)", uint64(h))
		}
	}()
	v, ok := cgo.Handle(h).Value().(*object)
	if !ok {
		return nil, fmt.Errorf("handle %d is not a netgym object", uint64(h))
	}
	return v, nil
}

// setErr writes msg into err (at most errcap bytes, NUL included).
func setErr(err *C.char, errcap C.int64_t, msg string) {
	if err == nil || errcap <= 0 {
		return
	}
	buf := unsafe.Slice((*byte)(unsafe.Pointer(err)), int(errcap))
	n := copy(buf[:len(buf)-1], msg)
	buf[n] = 0
}

// fail reports e and returns statusError.
func fail(err *C.char, errcap C.int64_t, e error) C.int64_t {
	setErr(err, errcap, e.Error())
	return statusError
}

// recoverTo turns a panic into status -2 and a message; every exported
// function defers it.
func recoverTo(err *C.char, errcap C.int64_t, status *C.int64_t) {
	if r := recover(); r != nil {
		setErr(err, errcap, fmt.Sprintf("netgym: Go panic: %v", r))
		*status = statusPanic
	}
}

// recoverHandle is recoverTo for functions returning a handle (0 on error).
func recoverHandle(err *C.char, errcap C.int64_t, h *C.uint64_t) {
	if r := recover(); r != nil {
		setErr(err, errcap, fmt.Sprintf("netgym: Go panic: %v", r))
		*h = 0
	}
}

//export ng_abi_version
func ng_abi_version() C.int64_t { return ABIVersion }

//export ng_live_objects
func ng_live_objects() C.int64_t { return C.int64_t(live.Load()) }

//export ng_free
func ng_free(h C.uint64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	if _, e := lookup(h); e != nil {
		return fail(err, errcap, e)
	}
	cgo.Handle(h).Delete()
	live.Add(-1)
	return 0
}

// ng_selftest_panic panics inside Go, so that tests can check that a panic
// becomes a Python exception and the library keeps working.
//
//export ng_selftest_panic
func ng_selftest_panic(err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	var m map[string]int
	m["boom"] = 1 // assignment to a nil map
	return 0
}

func main() {}
