# netgym: common tasks. `make test` is what CI runs (see .ci/run).
GO ?= go

.PHONY: all build test bench lint demo

all: lint build test

build:
	$(GO) build ./...

test:
	$(GO) test ./...

bench:
	$(GO) test ./bench -run '^$$' -bench . -benchmem

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l . ); if [ -n "$$out" ]; then echo "gofmt needs to run on:"; echo "$$out"; exit 1; fi

demo:
	$(GO) run ./scenarios/demo
