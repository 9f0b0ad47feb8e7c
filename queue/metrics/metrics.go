// Package metrics writes the Prometheus text exposition format (version 0.0.4) by hand:
// antrid's and antri-hq's GET /metrics, for offices and headquarters that run their own
// monitoring. A few gauges and counters do not need a client library; what they need is
// the format exactly right, which package metricstest checks strictly.
//
// Each family is written whole, with its HELP and TYPE lines, by one call: the format
// wants a family's samples together, and a name at most once.
package metrics

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ContentType is the Content-Type of the text format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Sample is one value of a family, with its labels as name, value pairs.
type Sample struct {
	Labels []string
	Value  float64
}

// S is a sample: the value and its labels, name then value, e.g. S(3, "service", "A").
func S(value float64, labels ...string) Sample { return Sample{Labels: labels, Value: value} }

// Bool is 1 for true, 0 for false: the usual gauge of a yes-or-no state.
func Bool(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Writer writes families to an io.Writer. The first error (a bad name, a write that
// failed) stops it and is kept for Err.
type Writer struct {
	w    io.Writer
	seen map[string]bool
	err  error
}

// New returns a Writer writing to w.
func New(w io.Writer) *Writer { return &Writer{w: w, seen: map[string]bool{}} }

// Err is the first error met, or nil.
func (w *Writer) Err() error { return w.err }

// Gauge writes a family of values that go up and down.
func (w *Writer) Gauge(name, help string, samples ...Sample) { w.family(name, help, "gauge", samples) }

// Counter writes a family of values that only grow (restarting from zero when the
// program does); by convention its name ends in _total.
func (w *Writer) Counter(name, help string, samples ...Sample) {
	w.family(name, help, "counter", samples)
}

func (w *Writer) family(name, help, typ string, samples []Sample) {
	if w.err != nil {
		return
	}
	switch {
	case !validName(name, true):
		w.err = fmt.Errorf("metrics: %q is not a metric name", name)
	case w.seen[name]:
		w.err = fmt.Errorf("metrics: family %q written twice", name)
	}
	if w.err != nil {
		return
	}
	w.seen[name] = true
	var b strings.Builder
	b.WriteString("# HELP " + name + " " + helpEscaper.Replace(help) + "\n")
	b.WriteString("# TYPE " + name + " " + typ + "\n")
	for _, s := range samples {
		b.WriteString(name)
		if len(s.Labels)%2 != 0 {
			w.err = fmt.Errorf("metrics: %s: labels come in name, value pairs: %q", name, s.Labels)
			return
		}
		if len(s.Labels) > 0 {
			b.WriteByte('{')
			for i := 0; i < len(s.Labels); i += 2 {
				ln := s.Labels[i]
				if !validName(ln, false) || strings.HasPrefix(ln, "__") {
					w.err = fmt.Errorf("metrics: %s: %q is not a label name", name, ln)
					return
				}
				if i > 0 {
					b.WriteByte(',')
				}
				b.WriteString(ln + `="` + labelEscaper.Replace(s.Labels[i+1]) + `"`)
			}
			b.WriteByte('}')
		}
		b.WriteString(" " + formatValue(s.Value) + "\n")
	}
	_, w.err = io.WriteString(w.w, b.String())
}

var (
	helpEscaper  = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
	labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)
)

// validName: [a-zA-Z_:][a-zA-Z0-9_:]* for metrics, the same without ':' for labels.
func validName(s string, colon bool) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		ok := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (colon && c == ':') || (i > 0 && c >= '0' && c <= '9')
		if !ok {
			return false
		}
	}
	return true
}

func formatValue(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	case math.IsNaN(v):
		return "NaN"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}
