package propagation

// LinkChain applies link-aware loss models in order, each to the power the
// previous one returned, as Chain does for positional models. It is the way
// to combine a link-only model (ThreeGPP) with positional ones: wrap those
// with ForLink. An empty LinkChain returns the transmit power unchanged.
type LinkChain []LinkLossModel

// LinkRxPower returns the power after every model of the chain.
func (c LinkChain) LinkRxPower(txPowerDbm float64, l *Link) float64 {
	p := txPowerDbm
	for _, m := range c {
		p = m.LinkRxPower(p, l)
	}
	return p
}
