// Package metricstest checks a /metrics answer strictly against the Prometheus text
// exposition format (version 0.0.4), and once more with the Prometheus Python client's
// own parser (Debian's python3-prometheus-client) where it is installed. For tests only.
package metricstest

import (
	"bytes"
	"fmt"
	"math"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue/queuetest"
)

var (
	nameRe   = `[a-zA-Z_:][a-zA-Z0-9_:]*`
	helpLine = regexp.MustCompile(`^# HELP (` + nameRe + `) (.*)$`)
	typeLine = regexp.MustCompile(`^# TYPE (` + nameRe + `) (counter|gauge|histogram|summary|untyped)$`)
	sample   = regexp.MustCompile(`^(` + nameRe + `)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*,?)?\})? (\S+)(?: (-?[0-9]+))?$`)
	label    = regexp.MustCompile(`([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"`)
	helpEsc  = regexp.MustCompile(`\\[^\\n]`)
)

// Check parses body strictly and returns its samples by series, written as
// `name{label="value",...}` with the labels sorted (`name` alone without labels). Every
// deviation from the format fails the test: a line that is neither a comment nor a
// sample, a bad name or escape, a TYPE after its samples or twice, a family's samples
// apart, a series twice, a value that is not a number, a missing final newline.
func Check(t testing.TB, body []byte) map[string]float64 {
	t.Helper()
	text := string(body)
	if text == "" || !strings.HasSuffix(text, "\n") {
		t.Fatalf("metrics: the exposition must end with a newline:\n%s", text)
	}
	out := map[string]float64{}
	typed, helped, done := map[string]bool{}, map[string]bool{}, map[string]bool{}
	current := ""
	family := func(name string) string { // a histogram's or summary's sample names its family
		for _, suf := range []string{"_bucket", "_sum", "_count"} {
			if base := strings.TrimSuffix(name, suf); base != name && typed[base] {
				return base
			}
		}
		return name
	}
	enter := func(line int, fam string) {
		if fam == current {
			return
		}
		if done[fam] {
			t.Fatalf("metrics line %d: family %s continues after another one began", line, fam)
		}
		if current != "" {
			done[current] = true
		}
		current = fam
	}
	for i, l := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		n := i + 1
		switch {
		case l == "":
			t.Fatalf("metrics line %d: empty line", n)
		case strings.HasPrefix(l, "# HELP "):
			m := helpLine.FindStringSubmatch(l)
			if m == nil || helped[m[1]] || helpEsc.MatchString(strings.ReplaceAll(m[2], `\\`, "")) {
				t.Fatalf("metrics line %d: bad or repeated HELP: %q", n, l)
			}
			helped[m[1]] = true
			enter(n, m[1])
		case strings.HasPrefix(l, "# TYPE "):
			m := typeLine.FindStringSubmatch(l)
			if m == nil || typed[m[1]] {
				t.Fatalf("metrics line %d: bad or repeated TYPE: %q", n, l)
			}
			if m[1] == current && samplesOf(out, m[1]) {
				t.Fatalf("metrics line %d: TYPE of %s after its samples", n, m[1])
			}
			typed[m[1]] = true
			enter(n, m[1])
		case strings.HasPrefix(l, "#"):
			// another comment
		default:
			m := sample.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("metrics line %d: not a sample: %q", n, l)
			}
			enter(n, family(m[1]))
			v, err := value(m[3])
			if err != nil {
				t.Fatalf("metrics line %d: value %q: %v", n, m[3], err)
			}
			var labels []string
			seen := map[string]bool{}
			for _, lm := range label.FindAllStringSubmatch(m[2], -1) {
				if seen[lm[1]] || strings.HasPrefix(lm[1], "__") {
					t.Fatalf("metrics line %d: label %s repeated or reserved", n, lm[1])
				}
				seen[lm[1]] = true
				labels = append(labels, lm[1]+`="`+lm[2]+`"`)
			}
			sortStrings(labels)
			key := m[1]
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			if _, dup := out[key]; dup {
				t.Fatalf("metrics line %d: series %s twice", n, key)
			}
			out[key] = v
		}
	}
	crossCheck(t, body, len(out))
	return out
}

func samplesOf(out map[string]float64, name string) bool {
	for k := range out {
		if k == name || strings.HasPrefix(k, name+"{") {
			return true
		}
	}
	return false
}

func value(s string) (float64, error) {
	switch s {
	case "+Inf", "Inf":
		return math.Inf(1), nil
	case "-Inf":
		return math.Inf(-1), nil
	case "NaN":
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// crossCheck parses body with prometheus_client's parser, which must find the same number
// of samples. Debian's python3 is used (the package installs there); without it the
// subtest is skipped, and fails in CI (.ci/run installs python3-prometheus-client).
func crossCheck(t testing.TB, body []byte, samples int) {
	tt, ok := t.(*testing.T)
	if !ok {
		return
	}
	tt.Run("prometheus_client", func(t *testing.T) {
		py := "/usr/bin/python3"
		if _, err := exec.LookPath(py); err != nil {
			queuetest.SkipUnlessCI(t, "python3 not installed: apt-get install -y python3-prometheus-client to run this check")
		}
		if exec.Command(py, "-c", "import prometheus_client.parser").Run() != nil {
			queuetest.SkipUnlessCI(t, "prometheus_client not installed: apt-get install -y python3-prometheus-client to run this check")
		}
		cmd := exec.Command(py, "-c", `import sys
from prometheus_client.parser import text_string_to_metric_families as parse
print(sum(len(f.samples) for f in parse(sys.stdin.read())))`)
		cmd.Stdin = bytes.NewReader(body)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("prometheus_client refuses the exposition: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != fmt.Sprint(samples) {
			t.Fatalf("prometheus_client reads %s samples, the strict check %d", got, samples)
		}
	})
}
