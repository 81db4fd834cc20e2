#!/bin/sh
# Regenerates python/netgym/messages_pb2.py from rl/opengym/proto/messages.proto
# (the same ns3-gym messages the Go bridge speaks). Needs protoc (Debian:
# apt-get install -y protobuf-compiler; 3.21.12 was used, matching Debian's
# python3-protobuf). CI does not run this; it imports the committed module.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
protoc -I "$root/rl/opengym/proto" --python_out="$root/python/netgym" "$root/rl/opengym/proto/messages.proto"
