package spaces_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/netgym/netgym/spaces"
)

// An observation space as ns3-gym's first example: five uint32 in [0, 10].
// Contains says which element is out of bounds, and why.
func ExampleNewBox() {
	obs, err := spaces.NewBox(0, 10, []int{5}, spaces.Uint)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(obs)
	fmt.Println(obs.Contains(spaces.UintBox(1, 2, 3, 4, 5)))
	fmt.Println(obs.Contains(spaces.UintBox(1, 2, 3, 12, 5)))

	_, err = spaces.NewBox(5, 3, []int{2}, spaces.Float)
	fmt.Println(err)
	// Output:
	// Box(0, 10, [5], uint32)
	// <nil>
	// box element 3 = 12 above high 10
	// spaces: box element 0: low 5 above high 3
}

// Per-element bounds, as DEFIANCE's BoxSpace lows and highs.
func ExampleNewBoxBounds() {
	b, err := spaces.NewBoxBounds([]float64{0, -1}, []float64{1, 1}, nil, spaces.Double)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(b, b.Size())
	fmt.Println(b.Contains(spaces.DoubleBox(0.5, -2)))
	// Output:
	// Box([0 -1], [1 1], [2], float64) 2
	// box element 1 = -2 below low -1
}

// A Dict space with ordered keys; errors inside carry the path to the
// offending element.
func ExampleNewDict() {
	obs, _ := spaces.NewBox(0, 10, []int{3}, spaces.Int)
	act, _ := spaces.NewDiscrete(4)
	d, err := spaces.NewDict([]string{"obs", "act"}, []spaces.Space{obs, act})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d)
	v := spaces.NewDictValue().Set("obs", spaces.IntBox(1, 2, 3)).Set("act", spaces.DiscreteValue(7))
	fmt.Println(d.Contains(v))
	// Output:
	// Dict("obs": Box(0, 10, [3], int32), "act": Discrete(4))
	// dict key "act": discrete value 7 outside 0..3
}

// Sampling draws from a *rand.Rand (math/rand/v2), e.g. a simulation's named
// stream, so samples are reproducible.
func ExampleSpace_sample() {
	d, _ := spaces.NewDiscrete(10)
	r := rand.New(rand.NewPCG(1, 2))
	v := d.Sample(r)
	fmt.Println(d.Contains(v) == nil)
	// Output: true
}

// Encode gives the bytes a message occupies on a simulated network; Decode
// gets the value back (and, given the space, checks it).
func ExampleEncode() {
	msg := spaces.NewDictValue().
		Set("obs", spaces.UintBox(1, 2, 3, 4, 5)).
		Set("reward", spaces.FloatBox(0.5))
	b, err := spaces.Encode(msg)
	if err != nil {
		fmt.Println(err)
		return
	}
	n, _ := spaces.EncodedSize(msg)
	fmt.Println(len(b), n)

	back, err := spaces.Decode(nil, b)
	fmt.Println(back, err)

	_, err = spaces.Decode(nil, b[:5])
	fmt.Println(err)
	// Output:
	// 28 28
	// {obs: [1 2 3 4 5], reward: [0.5]} <nil>
	// spaces: malformed encoding: at byte 1: dict length 2 needs at least 6 bytes, 3 left
}
