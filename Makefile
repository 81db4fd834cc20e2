# netgym: common tasks. CI (.ci/run) runs lint, `make validate` and `make fuzz`.
GO ?= go

.PHONY: all build test validate fuzz bench lint demo

all: lint build test

build:
	$(GO) build ./...

# The whole suite without the long validation runs (well under 2 minutes).
test:
	$(GO) test ./...

# The whole suite with the validation runs (Bianchi, ns-3 saturation and
# edge-of-range curves; internal/validation): what CI runs.
validate:
	NETGYM_VALIDATE=1 $(GO) test -count=1 ./mac80211 ./channelif/wifi

# Bounded fuzzing of the protocol backends behind Serve and of the Gym codec's fast path (about
# 90 s; execution counts rather than durations, see .ci/run).
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzServeWifi$$' -fuzztime 20000x ./channelif/wifi
	$(GO) test -run '^$$' -fuzz '^FuzzServeChannels$$' -fuzztime 100000x ./channelif
	$(GO) test -run '^$$' -fuzz '^FuzzServe$$' -fuzztime 200000x ./channelif
	$(GO) test -run '^$$' -fuzz '^FuzzParseCommand$$' -fuzztime 200000x ./channelif
	$(GO) test -run '^$$' -fuzz '^FuzzServeMmwave$$' -fuzztime 2500x ./channelif/mmwave
	$(GO) test -run '^$$' -fuzz '^FuzzServeLena$$' -fuzztime 1500x ./channelif/nr
	$(GO) test -run '^$$' -fuzz '^FuzzParseReply$$' -fuzztime 100000x ./rl/opengym
	$(GO) test -run '^$$' -fuzz '^FuzzAppendState$$' -fuzztime 100000x ./rl/opengym

bench:
	$(GO) test ./bench -run '^$$' -bench . -benchmem

lint:
	$(GO) vet ./...
	@out=$$(gofmt -l . ); if [ -n "$$out" ]; then echo "gofmt needs to run on:"; echo "$$out"; exit 1; fi

demo:
	$(GO) run ./scenarios/demo
