#!/bin/sh
# Regenerates rl/opengym/pb/messages.pb.go from rl/opengym/proto/messages.proto.
#
# Needs protoc (Debian: apt-get install -y protobuf-compiler; 3.21.12 was
# used) and protoc-gen-go of the same version as google.golang.org/protobuf
# in go.mod:
#
#   go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
#
# Run from anywhere: sh rl/opengym/proto/generate.sh
# The .proto is registered under its path from the module root
# (rl/opengym/proto/messages.proto), so that it cannot clash with another
# "messages.proto" linked into the same binary.
# CI does not run this; it compiles the committed code.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
PATH="$PATH:$(go env GOPATH)/bin"
cd "$root"
protoc -I . --go_out=. --go_opt=module=github.com/netgym/netgym rl/opengym/proto/messages.proto
