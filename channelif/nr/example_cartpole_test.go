package nr_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/netgym/netgym/channelif"
	"github.com/netgym/netgym/channelif/nr"
)

// cartPole is Gymnasium's CartPole-v1 (Barto, Sutton and Anderson's cart
// and pole, Euler steps of 20 ms): a 4-value state, actions push left (0)
// or right (1) with 10 N, reward 1 per step, the episode ends when the
// pole leans past 12 degrees or the cart leaves [-2.4, 2.4] m, and is cut
// at 500 steps.
type cartPole struct {
	x, xDot, theta, thetaDot float64
	steps                    int
}

func (c *cartPole) reset(r *rand.Rand) []float64 {
	u := func() float64 { return r.Float64()*0.1 - 0.05 }
	*c = cartPole{x: u(), xDot: u(), theta: u(), thetaDot: u()}
	return c.obs()
}

func (c *cartPole) obs() []float64 { return []float64{c.x, c.xDot, c.theta, c.thetaDot} }

// step applies an action; it returns the new state and whether the
// episode is over.
func (c *cartPole) step(action int) ([]float64, bool) {
	const (
		gravity, massCart, massPole, length, forceMag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
		totalMass, poleMassLength                          = massCart + massPole, massPole * length
	)
	force := -forceMag
	if action == 1 {
		force = forceMag
	}
	cos, sin := math.Cos(c.theta), math.Sin(c.theta)
	temp := (force + poleMassLength*c.thetaDot*c.thetaDot*sin) / totalMass
	thetaAcc := (gravity*sin - cos*temp) / (length * (4.0/3.0 - massPole*cos*cos/totalMass))
	xAcc := temp - poleMassLength*thetaAcc*cos/totalMass
	c.x += tau * c.xDot
	c.xDot += tau * xAcc
	c.theta += tau * c.thetaDot
	c.thetaDot += tau * thetaAcc
	c.steps++
	done := math.Abs(c.x) > 2.4 || math.Abs(c.theta) > 12*2*math.Pi/360 || c.steps >= 500
	return c.obs(), done
}

// NetRL's CartPole example over 5G (its examples/cartpole_5g_lena.py):
// the pole's state is observed at the cart and sent every 20 ms step, 128
// bytes, uplink over NetRL's 5G-LENA scenario (6 GHz, 200 MHz, numerology
// 3, UMa) to the controller, whose CentralNode keeps a window of 10 steps.
// The controller acts on the newest state it has received (a linear
// policy that keeps the pole up for the full 500 steps when it sees every
// state), so a late or lost observation makes it act on a stale one, and
// with nothing received it pushes left. At 50 m every state arrives
// within its step and every episode lasts 500 steps. At 500 m the link is
// at the edge and each episode (RESET: a new run, a new drop of the
// channel) is different: some links carry the states in time and the
// pole stays up for 500 steps, others carry nothing in time and it falls
// after 8 or 9 steps. At 800 m next to nothing gets through (the pole
// falls after 8 to 13 steps).
func ExampleNewChannel_cartPole() {
	for _, dist := range []float64{50, 500, 800} {
		factory := func(seed int64) (channelif.CommChannel, error) {
			cfg := nr.DefaultConfig()
			cfg.Distance, cfg.FreqHz, cfg.BandwidthHz, cfg.Numerology = dist, 6e9, 200e6, 3
			cfg.StepMs, cfg.PacketSize, cfg.Seed = 20, 128, uint64(seed)
			return nr.NewChannel(cfg)
		}
		node, err := channelif.NewCentralNode[[]float64]([]string{"cart"}, channelif.DefaultCentralNodeConfig(), factory)
		if err != nil {
			fmt.Println(err)
			return
		}
		r := rand.New(rand.NewPCG(1, 2))
		var env cartPole
		var returns []int
		step := uint32(0)
		for range 5 {
			obs := env.reset(r)
			if err := node.Reset(); err != nil {
				fmt.Println(err)
				return
			}
			step = 0
			for done := false; !done; step++ {
				if err := node.Step(step, [][]float64{obs}); err != nil {
					fmt.Println(err)
					return
				}
				action := 0
				if seen, ok := node.LastArrival(0); ok && seen[2]+0.5*seen[3]+0.05*seen[0]+0.2*seen[1] > 0 {
					action = 1
				}
				obs, done = env.step(action)
			}
			returns = append(returns, env.steps)
		}
		fmt.Printf("%3.0f m: returns %v\n", dist, returns)
	}
	// Output:
	//  50 m: returns [500 500 500 500 500]
	// 500 m: returns [9 500 500 9 8]
	// 800 m: returns [9 9 13 9 8]
}
