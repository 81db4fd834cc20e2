package antenna_test

import (
	"fmt"
	"math"
	"math/cmplx"

	"github.com/netgym/netgym/sim/antenna"
	"github.com/netgym/netgym/sim/mobility"
)

// A 4 x 8 gNB array of 3GPP elements steers a direct-path beam to a UE, as
// 5G-LENA's DirectPathBeamforming does, and installs it.
func ExampleArray_DirectPathWeights() {
	cfg := antenna.DefaultUPAConfig()
	cfg.Rows, cfg.Columns = 4, 8
	cfg.Element = antenna.DefaultThreeGPPElement()
	gnb, err := antenna.NewUPA(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	gnbPos, uePos := mobility.Vector{Z: 25}, mobility.Vector{X: 100, Y: 20, Z: 1.5}
	beam := antenna.NewBeam(gnb.DirectPathWeights(nil, gnbPos, uePos))
	if err := gnb.SetBeam(beam); err != nil {
		fmt.Println(err)
		return
	}
	dir := antenna.DirectionTo(gnbPos, uePos)
	af := cmplx.Abs(gnb.ArrayFactor(gnb.Beam().Weights(), dir))
	fmt.Printf("direction: azimuth %.1f°, inclination %.1f°\n", dir.Azimuth*antenna.RadToDeg, dir.Inclination*antenna.RadToDeg)
	fmt.Printf("element gain %.2f dBi, array gain %.2f dB\n", gnb.GainDb(dir), 20*math.Log10(af))
	// Output:
	// direction: azimuth 11.3°, inclination 103.0°
	// element gain 7.16 dBi, array gain 15.05 dB
}
