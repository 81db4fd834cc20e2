package sweep

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// Kind is the type of a scenario parameter.
type Kind uint8

// Parameter kinds.
const (
	// Float is a float64 with an inclusive range [Min, Max].
	Float Kind = iota + 1
	// Int is an int64 with an inclusive range [Min, Max].
	Int
	// Bool is true or false.
	Bool
	// String is one of Choices.
	String
)

// String returns the kind's name as specs and errors spell it.
func (k Kind) String() string {
	switch k {
	case Float:
		return "float"
	case Int:
		return "int"
	case Bool:
		return "bool"
	case String:
		return "string"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Param declares one parameter of a scenario: its name (as specs, flags
// and result columns spell it), type, default and accepted range.
type Param struct {
	Name string
	Kind Kind
	// Default is the value used when a spec does not set the parameter: a
	// float64 (Float), int64 or int (Int), bool (Bool) or string (String).
	Default any
	// Min and Max bound Float and Int values, inclusive.
	Min, Max float64
	// Choices lists the accepted String values.
	Choices []string
	// Help says what the parameter is, with its unit.
	Help string
}

// Metric declares one number a scenario's run reports.
type Metric struct {
	Name string
	// Unit of the value ("" for a ratio or a count).
	Unit string
	// Help says what the metric is.
	Help string
}

// RunFunc runs one simulation of a scenario at point p with the given seed
// and run number and returns every declared metric. It must be safe to call
// from many goroutines at once (each call builds its own simulation), and
// should return ctx.Err() soon after ctx is cancelled when it runs long.
type RunFunc func(ctx context.Context, p Values, seed, run uint64) (map[string]float64, error)

// Scenario is one registration: everything the runner needs to sweep a
// simulation.
type Scenario struct {
	// Name identifies the scenario in specs (e.g. "wifi-sim").
	Name string
	// Summary is one line on what a run does and measures.
	Summary string
	// Params are the parameters, in the order of result columns.
	Params []Param
	// Metrics are what Run reports, in the order of result columns.
	Metrics []Metric
	// Check, if set, validates a point (all parameters set) before any run
	// starts, e.g. by building the scenario's configuration and calling its
	// Validate: bad points are refused up front.
	Check func(p Values) error
	// Run runs one simulation.
	Run RunFunc
}

// param returns the declaration of parameter name.
func (s *Scenario) param(name string) (*Param, bool) {
	for i := range s.Params {
		if s.Params[i].Name == name {
			return &s.Params[i], true
		}
	}
	return nil, false
}

// ParamNames returns the parameter names in declaration order.
func (s *Scenario) ParamNames() []string {
	out := make([]string, len(s.Params))
	for i, p := range s.Params {
		out[i] = p.Name
	}
	return out
}

// MetricNames returns the metric names in declaration order.
func (s *Scenario) MetricNames() []string {
	out := make([]string, len(s.Metrics))
	for i, m := range s.Metrics {
		out[i] = m.Name
	}
	return out
}

// validate checks a registration.
func (s *Scenario) validate() error {
	switch {
	case s.Name == "" || strings.ContainsAny(s.Name, " \t\n=|,"):
		return fmt.Errorf("sweep: scenario name %q must be non-empty without spaces, '=', '|' or ','", s.Name)
	case s.Run == nil:
		return fmt.Errorf("sweep: scenario %s has no Run function", s.Name)
	case len(s.Metrics) == 0:
		return fmt.Errorf("sweep: scenario %s declares no metric", s.Name)
	}
	seen := map[string]bool{}
	for i := range s.Params {
		p := &s.Params[i]
		if err := validName(p.Name); err != nil {
			return fmt.Errorf("sweep: scenario %s: parameter %w", s.Name, err)
		}
		if seen[p.Name] {
			return fmt.Errorf("sweep: scenario %s: parameter %s declared twice", s.Name, p.Name)
		}
		seen[p.Name] = true
		if reserved[p.Name] {
			return fmt.Errorf("sweep: scenario %s: parameter name %s is reserved for a result column", s.Name, p.Name)
		}
		def, err := p.normalize(p.Default)
		if err != nil {
			return fmt.Errorf("sweep: scenario %s: default of %w", s.Name, err)
		}
		p.Default = def
		if (p.Kind == Float || p.Kind == Int) && !(p.Min <= p.Max) {
			return fmt.Errorf("sweep: scenario %s: parameter %s has range [%v, %v]", s.Name, p.Name, p.Min, p.Max)
		}
	}
	for _, m := range s.Metrics {
		if err := validName(m.Name); err != nil {
			return fmt.Errorf("sweep: scenario %s: metric %w", s.Name, err)
		}
		if seen[m.Name] || reserved[m.Name] {
			return fmt.Errorf("sweep: scenario %s: metric name %s is already a column", s.Name, m.Name)
		}
		seen[m.Name] = true
	}
	return nil
}

// reserved names are the fixed result columns.
var reserved = map[string]bool{"job": true, "point": true, "seed": true, "run": true, "wall_s": true,
	"version": true, "scenario": true, "key": true}

func validName(n string) error {
	if n == "" {
		return errors.New("name is empty")
	}
	for _, r := range n {
		if !(r == '_' || r == '-' || r == '.' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return fmt.Errorf("name %q: use letters, digits, '_', '-' and '.'", n)
		}
	}
	return nil
}

// normalize converts v to the parameter's Go type (float64, int64, bool,
// string) and checks its range, with an error naming the parameter and
// what it accepts.
func (p *Param) normalize(v any) (any, error) {
	bad := func() error {
		return fmt.Errorf("parameter %s: %v (%T) is not a %s; %s", p.Name, v, v, p.Kind, p.accepts())
	}
	switch p.Kind {
	case Float:
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case float32:
			f = float64(x)
		case int:
			f = float64(x)
		case int64:
			f = float64(x)
		case uint64:
			f = float64(x)
		case string:
			var err error
			if f, err = strconv.ParseFloat(strings.TrimSpace(x), 64); err != nil {
				return nil, bad()
			}
		default:
			return nil, bad()
		}
		if math.IsNaN(f) || f < p.Min || f > p.Max {
			return nil, fmt.Errorf("parameter %s: %v is out of range; %s", p.Name, f, p.accepts())
		}
		return f, nil
	case Int:
		var i int64
		switch x := v.(type) {
		case int:
			i = int64(x)
		case int64:
			i = x
		case uint64:
			if x > math.MaxInt64 {
				return nil, bad()
			}
			i = int64(x)
		case float64:
			if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
				return nil, bad()
			}
			i = int64(x)
		case string:
			var err error
			if i, err = strconv.ParseInt(strings.TrimSpace(x), 10, 64); err != nil {
				return nil, bad()
			}
		default:
			return nil, bad()
		}
		if float64(i) < p.Min || float64(i) > p.Max {
			return nil, fmt.Errorf("parameter %s: %d is out of range; %s", p.Name, i, p.accepts())
		}
		return i, nil
	case Bool:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			b, err := strconv.ParseBool(strings.TrimSpace(x))
			if err != nil {
				return nil, bad()
			}
			return b, nil
		}
		return nil, bad()
	case String:
		s, ok := v.(string)
		if !ok {
			return nil, bad()
		}
		if len(p.Choices) > 0 && !slices.Contains(p.Choices, s) {
			return nil, fmt.Errorf("parameter %s: %q is not accepted; %s", p.Name, s, p.accepts())
		}
		return s, nil
	}
	return nil, fmt.Errorf("parameter %s: unknown kind %v", p.Name, p.Kind)
}

// accepts says what values the parameter takes.
func (p *Param) accepts() string {
	switch p.Kind {
	case Float:
		return fmt.Sprintf("accepted: a number in [%v, %v]", p.Min, p.Max)
	case Int:
		return fmt.Sprintf("accepted: an integer in [%v, %v]", p.Min, p.Max)
	case Bool:
		return "accepted: true or false"
	case String:
		if len(p.Choices) == 0 {
			return "accepted: any string"
		}
		return "accepted: " + strings.Join(p.Choices, ", ")
	}
	return ""
}

// format writes a normalized value the way keys and CSV cells spell it.
func format(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case int64:
		return strconv.FormatInt(x, 10)
	case bool:
		return strconv.FormatBool(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// Values holds the value of every parameter of one point. Its getters
// take a declared name of the matching kind; asking for an undeclared name
// or the wrong kind is a bug in the scenario's code and panics.
type Values struct {
	sc   *Scenario
	vals []any // by declaration order
}

func (v Values) get(name string, k Kind) any {
	for i := range v.sc.Params {
		if v.sc.Params[i].Name == name {
			if v.sc.Params[i].Kind != k {
				panic(fmt.Sprintf("sweep: scenario %s reads %s parameter %s as %s", v.sc.Name, v.sc.Params[i].Kind, name, k))
			}
			return v.vals[i]
		}
	}
	panic(fmt.Sprintf("sweep: scenario %s reads undeclared parameter %s", v.sc.Name, name))
}

// Float returns Float parameter name.
func (v Values) Float(name string) float64 { return v.get(name, Float).(float64) }

// Int returns Int parameter name.
func (v Values) Int(name string) int64 { return v.get(name, Int).(int64) }

// Bool returns Bool parameter name.
func (v Values) Bool(name string) bool { return v.get(name, Bool).(bool) }

// String returns String parameter name.
func (v Values) String(name string) string { return v.get(name, String).(string) }

// Map returns the values by name (float64, int64, bool or string).
func (v Values) Map() map[string]any {
	m := make(map[string]any, len(v.vals))
	for i, p := range v.sc.Params {
		m[p.Name] = v.vals[i]
	}
	return m
}

// Scenario returns the scenario the values belong to.
func (v Values) Scenario() *Scenario { return v.sc }

// key is the canonical text of the values: name=value pairs in
// declaration order.
func (v Values) key() string {
	var b strings.Builder
	for i, p := range v.sc.Params {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.Name)
		b.WriteByte('=')
		b.WriteString(format(v.vals[i]))
	}
	return b.String()
}

// NewValues returns the values of scenario sc with the defaults overridden
// by set (any name not declared, or a value of the wrong type or out of
// range, is an error naming it).
func NewValues(sc *Scenario, set map[string]any) (Values, error) {
	v := Values{sc: sc, vals: make([]any, len(sc.Params))}
	for i, p := range sc.Params {
		v.vals[i] = p.Default
	}
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		i := slices.IndexFunc(sc.Params, func(p Param) bool { return p.Name == n })
		if i < 0 {
			return Values{}, unknownParam(sc, n)
		}
		x, err := sc.Params[i].normalize(set[n])
		if err != nil {
			return Values{}, fmt.Errorf("sweep: %s: %w", sc.Name, err)
		}
		v.vals[i] = x
	}
	return v, nil
}

func unknownParam(sc *Scenario, n string) error {
	return fmt.Errorf("sweep: scenario %s has no parameter %q (parameters: %s)", sc.Name, n, strings.Join(sc.ParamNames(), ", "))
}

// Registry holds the scenarios a sweep can run. It is not safe for
// concurrent registration; lookups after registration are.
type Registry struct {
	byName map[string]*Scenario
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{byName: map[string]*Scenario{}} }

// Register adds a scenario. It refuses a duplicate name, an invalid
// parameter or metric declaration, or a default outside its range.
func (r *Registry) Register(s Scenario) error {
	s.Params = slices.Clone(s.Params)
	s.Metrics = slices.Clone(s.Metrics)
	if err := s.validate(); err != nil {
		return err
	}
	if _, dup := r.byName[s.Name]; dup {
		return fmt.Errorf("sweep: scenario %s is already registered", s.Name)
	}
	r.byName[s.Name] = &s
	return nil
}

// Lookup returns the scenario called name, or an error listing the known
// ones.
func (r *Registry) Lookup(name string) (*Scenario, error) {
	if s, ok := r.byName[name]; ok {
		return s, nil
	}
	return nil, fmt.Errorf("sweep: unknown scenario %q (known: %s)", name, strings.Join(r.Names(), ", "))
}

// Names returns the registered scenario names, sorted.
func (r *Registry) Names() []string {
	out := make([]string, 0, len(r.byName))
	for n := range r.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
