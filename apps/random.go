package apps

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"
)

// Sampler draws values: a gonum distuv distribution bound to a random
// stream satisfies it.
type Sampler interface {
	Rand() float64
}

// RandomVariable is a distribution of durations in seconds, ns-3's
// RandomVariableStream as OnOffApplication's OnTime and OffTime
// attributes take it. It is a description: an application binds it to
// one of its own named random streams with NewSampler, so that two
// applications configured alike draw independently and adding one never
// changes what another draws.
//
// The types of this package are ns-3's variables with ns-3's parameters
// and bounds, drawn with gonum's distuv. A user type may implement the
// interface too (NewSampler returning, e.g., a distuv distribution with
// Src set); a negative draw is taken as 0 and NaN as +Inf (never).
type RandomVariable interface {
	// NewSampler returns a sampler that draws from src.
	NewSampler(src rand.Source) Sampler
	// Validate reports parameters that are not a distribution of
	// durations: NaN, a negative value, a bound that cannot be met.
	Validate() error
}

// ConstantVariable always gives Value seconds: ns-3's
// ConstantRandomVariable (default Constant=1, OnOffApplication's default
// OnTime and OffTime). +Inf means forever: an OnTime of +Inf never ends an
// "on" period.
type ConstantVariable struct{ Value float64 }

// NewSampler implements RandomVariable; it draws nothing from src.
func (c ConstantVariable) NewSampler(rand.Source) Sampler { return constSampler(c.Value) }

// Validate implements RandomVariable: Value must be >= 0 (+Inf allowed).
func (c ConstantVariable) Validate() error {
	if !(c.Value >= 0) {
		return fmt.Errorf("apps: ConstantVariable %g must be a non-negative number of seconds", c.Value)
	}
	return nil
}

type constSampler float64

// Rand returns the constant.
func (c constSampler) Rand() float64 { return float64(c) }

// UniformVariable is uniform on [Min, Max): ns-3's UniformRandomVariable
// (Min + U(0,1) x (Max - Min); defaults 0 and 1).
type UniformVariable struct{ Min, Max float64 }

// NewSampler implements RandomVariable.
func (u UniformVariable) NewSampler(src rand.Source) Sampler {
	return distuv.Uniform{Min: u.Min, Max: u.Max, Src: src}
}

// Validate implements RandomVariable: 0 <= Min <= Max < +Inf.
func (u UniformVariable) Validate() error {
	if !(u.Min >= 0) || !(u.Max >= u.Min) || math.IsInf(u.Max, 1) {
		return fmt.Errorf("apps: UniformVariable [%g, %g) must satisfy 0 <= Min <= Max < +Inf", u.Min, u.Max)
	}
	return nil
}

// ExponentialVariable has mean Mean; draws above Bound are redrawn
// (Bound 0: no bound): ns-3's ExponentialRandomVariable (defaults Mean=1,
// Bound=0).
type ExponentialVariable struct{ Mean, Bound float64 }

// NewSampler implements RandomVariable.
func (e ExponentialVariable) NewSampler(src rand.Source) Sampler {
	return bounded{s: distuv.Exponential{Rate: 1 / e.Mean, Src: src}, bound: e.Bound}
}

// Validate implements RandomVariable: Mean > 0, Bound >= 0.
func (e ExponentialVariable) Validate() error {
	if !(e.Mean > 0) || math.IsInf(e.Mean, 1) || !(e.Bound >= 0) {
		return fmt.Errorf("apps: ExponentialVariable Mean %g must be positive and finite, Bound %g non-negative", e.Mean, e.Bound)
	}
	return nil
}

// ParetoVariable is Pareto with scale (minimum) Scale and shape Shape;
// draws above Bound are redrawn (Bound 0: no bound): ns-3's
// ParetoRandomVariable (defaults Scale=1, Shape=2, Bound=0).
type ParetoVariable struct{ Scale, Shape, Bound float64 }

// NewSampler implements RandomVariable.
func (p ParetoVariable) NewSampler(src rand.Source) Sampler {
	return bounded{s: distuv.Pareto{Xm: p.Scale, Alpha: p.Shape, Src: src}, bound: p.Bound}
}

// Validate implements RandomVariable: Scale > 0, Shape > 0, Bound 0 or at
// least Scale.
func (p ParetoVariable) Validate() error {
	if !(p.Scale > 0) || math.IsInf(p.Scale, 1) || !(p.Shape > 0) || !(p.Bound >= 0) || (p.Bound > 0 && p.Bound < p.Scale) {
		return fmt.Errorf("apps: ParetoVariable Scale %g and Shape %g must be positive, Bound %g 0 or at least Scale", p.Scale, p.Shape, p.Bound)
	}
	return nil
}

// WeibullVariable is Weibull with scale Scale and shape Shape; draws above
// Bound are redrawn (Bound 0: no bound): ns-3's WeibullRandomVariable
// (defaults Scale=1, Shape=1, Bound=0).
type WeibullVariable struct{ Scale, Shape, Bound float64 }

// NewSampler implements RandomVariable.
func (w WeibullVariable) NewSampler(src rand.Source) Sampler {
	return bounded{s: distuv.Weibull{K: w.Shape, Lambda: w.Scale, Src: src}, bound: w.Bound}
}

// Validate implements RandomVariable: Scale > 0, Shape > 0, Bound >= 0.
func (w WeibullVariable) Validate() error {
	if !(w.Scale > 0) || math.IsInf(w.Scale, 1) || !(w.Shape > 0) || !(w.Bound >= 0) {
		return fmt.Errorf("apps: WeibullVariable Scale %g and Shape %g must be positive, Bound %g non-negative", w.Scale, w.Shape, w.Bound)
	}
	return nil
}

// NormalVariable is normal with mean Mean and variance Variance; draws
// farther than Bound from the mean are redrawn: ns-3's
// NormalRandomVariable (defaults Mean=0, Variance=1, Bound=1e30). As a
// duration it must not go negative: Bound must be at most Mean.
type NormalVariable struct{ Mean, Variance, Bound float64 }

// NewSampler implements RandomVariable.
func (n NormalVariable) NewSampler(src rand.Source) Sampler {
	return normalSampler{d: distuv.Normal{Mu: n.Mean, Sigma: math.Sqrt(n.Variance), Src: src}, bound: n.Bound}
}

// Validate implements RandomVariable: Variance >= 0 and 0 <= Bound <= Mean,
// so that no draw is negative.
func (n NormalVariable) Validate() error {
	if !(n.Variance >= 0) || math.IsInf(n.Variance, 1) || !(n.Bound >= 0) || !(n.Bound <= n.Mean) || math.IsInf(n.Mean, 1) {
		return fmt.Errorf("apps: NormalVariable mean %g, variance %g, bound %g: durations need 0 <= Bound <= Mean (ns-3 redraws values farther than Bound from the mean)", n.Mean, n.Variance, n.Bound)
	}
	return nil
}

type normalSampler struct {
	d     distuv.Normal
	bound float64
}

// Rand draws until a value lies within the bound of the mean.
func (n normalSampler) Rand() float64 {
	for {
		if x := n.d.Rand(); math.Abs(x-n.d.Mu) <= n.bound {
			return x
		}
	}
}

// LogNormalVariable is log-normal with parameters Mu and Sigma of the
// underlying normal: ns-3's LogNormalRandomVariable (defaults Mu=0,
// Sigma=1).
type LogNormalVariable struct{ Mu, Sigma float64 }

// NewSampler implements RandomVariable.
func (l LogNormalVariable) NewSampler(src rand.Source) Sampler {
	return distuv.LogNormal{Mu: l.Mu, Sigma: l.Sigma, Src: src}
}

// Validate implements RandomVariable: finite Mu, Sigma >= 0.
func (l LogNormalVariable) Validate() error {
	if math.IsNaN(l.Mu) || math.IsInf(l.Mu, 0) || !(l.Sigma >= 0) || math.IsInf(l.Sigma, 1) {
		return fmt.Errorf("apps: LogNormalVariable Mu %g must be finite, Sigma %g non-negative", l.Mu, l.Sigma)
	}
	return nil
}

// GammaVariable is gamma with shape Alpha and scale Beta (mean
// Alpha x Beta): ns-3's GammaRandomVariable (defaults Alpha=1, Beta=1).
type GammaVariable struct{ Alpha, Beta float64 }

// NewSampler implements RandomVariable.
func (g GammaVariable) NewSampler(src rand.Source) Sampler {
	return distuv.Gamma{Alpha: g.Alpha, Beta: 1 / g.Beta, Src: src}
}

// Validate implements RandomVariable: Alpha > 0, Beta > 0.
func (g GammaVariable) Validate() error {
	if !(g.Alpha > 0) || !(g.Beta > 0) || math.IsInf(g.Alpha, 1) || math.IsInf(g.Beta, 1) {
		return fmt.Errorf("apps: GammaVariable Alpha %g and Beta %g must be positive and finite", g.Alpha, g.Beta)
	}
	return nil
}

// ErlangVariable is the sum of K exponentials of mean Lambda: ns-3's
// ErlangRandomVariable (defaults K=1, Lambda=1).
type ErlangVariable struct {
	K      int
	Lambda float64
}

// NewSampler implements RandomVariable.
func (e ErlangVariable) NewSampler(src rand.Source) Sampler {
	return distuv.Gamma{Alpha: float64(e.K), Beta: 1 / e.Lambda, Src: src}
}

// Validate implements RandomVariable: K >= 1, Lambda > 0.
func (e ErlangVariable) Validate() error {
	if e.K < 1 || !(e.Lambda > 0) || math.IsInf(e.Lambda, 1) {
		return fmt.Errorf("apps: ErlangVariable K %d must be at least 1, Lambda %g positive and finite", e.K, e.Lambda)
	}
	return nil
}

// bounded redraws values above bound (bound 0: none), as ns-3's bounded
// variables do.
type bounded struct {
	s     Sampler
	bound float64
}

// Rand draws until a value lies within the bound.
func (b bounded) Rand() float64 {
	for {
		if x := b.s.Rand(); b.bound == 0 || x <= b.bound {
			return x
		}
	}
}

// validateVariable checks a configuration's variable field.
func validateVariable(name string, v RandomVariable) error {
	if v == nil {
		return errors.New("apps: " + name + " is nil (ns-3's default is ConstantVariable{1})")
	}
	if err := v.Validate(); err != nil {
		return fmt.Errorf("apps: %s: %w", name, err)
	}
	return nil
}
