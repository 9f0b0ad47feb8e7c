package metrics_test

import (
	"bytes"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue/metrics"
	"github.com/antri-id/antri/queue/metrics/metricstest"
)

func TestWriterWritesTheTextFormat(t *testing.T) {
	var b bytes.Buffer
	w := metrics.New(&b)
	w.Gauge("antri_waiting", "Tickets waiting now, per service.\nSecond line \\ with a backslash.",
		metrics.S(3, "service", "A"), metrics.S(0, "service", `B "quoted" \ back`+"\nslash"))
	w.Counter("antri_tickets_issued_total", "Tickets issued.", metrics.S(1234567890123))
	w.Gauge("antri_ratio", "Odd values.", metrics.S(0.25, "k", "a"), metrics.S(math.Inf(1), "k", "b"), metrics.S(math.NaN(), "k", "c"))
	w.Gauge("antri_empty", "A family without samples.")
	if err := w.Err(); err != nil {
		t.Fatal(err)
	}
	got := metricstest.Check(t, b.Bytes())
	if got[`antri_waiting{service="A"}`] != 3 || got["antri_tickets_issued_total"] != 1234567890123 || got[`antri_ratio{k="a"}`] != 0.25 {
		t.Errorf("samples %v\n%s", got, b.String())
	}
	if _, ok := got[`antri_waiting{service="B \"quoted\" \\ back\nslash"}`]; !ok {
		t.Errorf("escaped label not read back: %v", got)
	}
}

func TestWriterRefusesWhatTheFormatForbids(t *testing.T) {
	for _, c := range []func(w *metrics.Writer){
		func(w *metrics.Writer) { w.Gauge("antri-bad", "x") },
		func(w *metrics.Writer) { w.Gauge("antri_x", "x"); w.Gauge("antri_x", "again") },
		func(w *metrics.Writer) { w.Gauge("antri_x", "x", metrics.S(1, "__name", "v")) },
		func(w *metrics.Writer) { w.Gauge("antri_x", "x", metrics.S(1, "odd")) },
	} {
		w := metrics.New(&bytes.Buffer{})
		c(w)
		if w.Err() == nil {
			t.Error("a forbidden family was written")
		}
	}
}

// failTB records a failure instead of failing the test: the checker must refuse these.
type failTB struct {
	testing.TB
	msg string
}

func (f *failTB) Helper() {}
func (f *failTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestCheckRefusesBrokenExpositions(t *testing.T) {
	for name, body := range map[string]string{
		"no final newline":  "# TYPE a gauge\na 1",
		"bad value":         "# TYPE a gauge\na one\n",
		"bad escape":        "# TYPE a gauge\na{l=\"\\x\"} 1\n",
		"unquoted label":    "# TYPE a gauge\na{l=1} 1\n",
		"type after sample": "a 1\n# TYPE a gauge\n",
		"type twice":        "# TYPE a gauge\n# TYPE a gauge\na 1\n",
		"family apart":      "# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 2\n",
		"series twice":      "# TYPE a gauge\na 1\na 2\n",
		"empty line":        "# TYPE a gauge\n\na 1\n",
		"bad type":          "# TYPE a thing\na 1\n",
	} {
		f := &failTB{TB: t}
		done := make(chan struct{})
		go func() { defer close(done); metricstest.Check(f, []byte(body)) }()
		<-done
		if f.msg == "" || !strings.Contains(f.msg, "metrics") {
			t.Errorf("%s: accepted %q", name, body)
		}
	}
}
