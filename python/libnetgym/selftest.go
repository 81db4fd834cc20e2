package main

/*
#include <stdint.h>
*/
import "C"

import (
	"errors"
	"sync"
	"time"
)

// barrier lets tests check that a thread blocked in Go does not hold
// Python's GIL: one thread waits in Go, another releases it from Python.
type barrier struct {
	once, entry sync.Once
	ch, entered chan struct{}
}

// ng_selftest_barrier returns the handle of a new barrier (for tests).
//
//export ng_selftest_barrier
func ng_selftest_barrier() C.uint64_t {
	return newHandle(&object{mu: new(sync.Mutex), bar: &barrier{ch: make(chan struct{}), entered: make(chan struct{})}, kind: "barrier"})
}

func barrierOf(h C.uint64_t) (*barrier, error) {
	o, err := lookup(h)
	if err != nil {
		return nil, err
	}
	if o.bar == nil {
		return nil, errors.New("not a barrier")
	}
	return o.bar, nil
}

// ng_selftest_wait marks the barrier entered, then blocks until it is
// released (0) or timeoutMs passes (-1).
//
//export ng_selftest_wait
func ng_selftest_wait(h C.uint64_t, timeoutMs C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	b, e := barrierOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	b.entry.Do(func() { close(b.entered) })
	select {
	case <-b.ch:
		return 0
	case <-time.After(time.Duration(timeoutMs) * time.Millisecond):
		return fail(err, errcap, errors.New("barrier not released in time"))
	}
}

// ng_selftest_entered blocks until a thread is waiting in
// ng_selftest_wait (0) or timeoutMs passes (-1).
//
//export ng_selftest_entered
func ng_selftest_entered(h C.uint64_t, timeoutMs C.int64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	b, e := barrierOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	select {
	case <-b.entered:
		return 0
	case <-time.After(time.Duration(timeoutMs) * time.Millisecond):
		return fail(err, errcap, errors.New("nobody entered the barrier in time"))
	}
}

// ng_selftest_release releases the barrier.
//
//export ng_selftest_release
func ng_selftest_release(h C.uint64_t, err *C.char, errcap C.int64_t) (status C.int64_t) {
	defer recoverTo(err, errcap, &status)
	b, e := barrierOf(h)
	if e != nil {
		return fail(err, errcap, e)
	}
	b.once.Do(func() { close(b.ch) })
	return 0
}
