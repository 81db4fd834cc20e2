// Package spaces holds OpenGym spaces (Discrete, Box, Tuple, Dict), the
// values that live in them (the data containers of ns3-gym and DEFIANCE),
// validation of a value against its space, sampling, and a compact binary
// encoding whose length is what a message occupies on a simulated network.
//
// It is a leaf package: it imports only the standard library, so that both
// channelif and rl can use it. The ns3-gym protobuf mapping (SpaceDescription
// and DataContainer messages) belongs in another package, built on the
// accessors here (Box.Bounds, Box.ScalarBounds, Dict.At, ...).
//
// # Spaces
//
// Spaces are made by constructors that validate their arguments (NewDiscrete,
// NewBox, NewBoxBounds, NewTuple, NewDict) and are immutable afterwards, so
// one space may be shared by many agents and goroutines. Contains reports
// why a value does not fit, with the path to the offending element, e.g.
//
//	dict key "obs": box element 3 = 12 above high 10
//
// and every such error matches ErrNotInSpace with errors.Is.
//
// # Values
//
// A Value is a DiscreteValue, a *BoxValue (typed data slices, as ns3-gym's
// BoxDataContainer: Ints for int32, Uints for uint32, Floats for float32,
// Doubles for float64), a *TupleValue or a *DictValue (ordered keys). Values
// are plain data: build them with literals or the helpers (IntBox,
// FloatBox, NewDictValue, ...).
//
// # Encoding
//
// The encoding is self-describing (Decode needs no space; given one, Decode
// also checks the value is in it), little-endian and compact. In the grammar
// below, uvarint is an unsigned LEB128 varint as encoding/binary writes it
// and svarint is a zig-zag varint (binary.AppendVarint):
//
//	value    = discrete | box | tuple | dict
//	discrete = 0x01 svarint(v)
//	box      = byte(0x02 | dtype<<4) uvarint(rank) rank*uvarint(dim) elements
//	tuple    = 0x03 uvarint(n) n*value
//	dict     = 0x04 uvarint(n) n*(uvarint(len(key)) key value)
//
// A box's elements number the product of its dimensions (1 for rank 0) and
// are encoded by dtype: Int (1) as svarint, Uint (2) as uvarint, Float (3)
// as 4 bytes of IEEE 754 binary32, Double (4) as 8 bytes of binary64. Dict
// keys are UTF-8 and unique; their order is kept. Discrete(10)'s value 7
// encodes in 2 bytes; a Box of five uint32 in [0, 10] in 8.
//
// The encoding is canonical: Decode accepts only minimal varints and no
// trailing bytes, so whenever Decode(nil, b) succeeds, Encode of the result
// gives b again and EncodedSize gives len(b). Decode never panics on any
// input; nesting is limited to MaxDepth levels and a box to MaxBoxElements
// elements and MaxRank dimensions.
//
// The encoded size is smaller than ns3-gym's protobuf DataContainer (which
// wraps every container in a google.protobuf.Any with a type URL), so a
// message crosses a slow simulated link faster than it would in DEFIANCE.
// Channel interfaces accept another sizing function where the protobuf size
// matters.
package spaces
