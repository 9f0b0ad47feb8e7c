package queue

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Problem is one thing wrong in a config file, with the line it is on (0 when
// the whole file is concerned).
type Problem struct {
	Line int
	Key  string
	Msg  string
}

func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "baris %d: ", p.Line)
	}
	if p.Key != "" {
		b.WriteString(p.Key + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// ConfigError lists every problem found in a config file.
type ConfigError struct {
	File     string
	Problems []Problem
}

func (e *ConfigError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "konfigurasi %s tidak valid (%d masalah); perbaiki lalu jalankan `antrid check-config %s`:", e.File, len(e.Problems), e.File)
	for _, p := range e.Problems {
		b.WriteString("\n  " + e.File + ": " + p.String())
	}
	return b.String()
}

var lineRE = regexp.MustCompile(`line (\d+)`)

func lineInMessage(s string) int {
	if m := lineRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

// keyPath turns a toml.Key of an array of tables into our "service.2.code"
// form; BurntSushi reports array tables without their index, so the index is
// lost there and the table's first line is used.
func keyPath(k toml.Key) string { return strings.Join(k, ".") }

// undecodedLine finds the first line of an unknown key. BurntSushi names keys
// of an array of tables without their index ("service.codee"), so every
// indexed form ("service.3.codee") is a candidate.
func undecodedLine(lines map[string]int, k toml.Key) int {
	want := keyPath(k)
	best := 0
	for key, n := range lines {
		var kept []string
		for _, p := range strings.Split(key, ".") {
			if _, err := strconv.Atoi(p); err != nil {
				kept = append(kept, p)
			}
		}
		if strings.Join(kept, ".") == want && (best == 0 || n < best) {
			best = n
		}
	}
	return best
}

type validator struct {
	lines    map[string]int
	problems []Problem
}

// add records a problem on key, e.g. "service.1.wait_standard" (0-based index).
func (v *validator) add(key, msg string) {
	v.problems = append(v.problems, Problem{Line: v.line(key), Key: displayKey(key), Msg: msg})
}

// line finds the line of key, or of the nearest enclosing table.
func (v *validator) line(key string) int {
	for k := key; k != ""; {
		if n, ok := v.lines[k]; ok {
			return n
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return 0
}

// displayKey shows "service.1.code" as "service[2].code" (1-based, as people count).
func displayKey(key string) string {
	parts := strings.Split(key, ".")
	var b strings.Builder
	for i, p := range parts {
		if n, err := strconv.Atoi(p); err == nil && i > 0 {
			fmt.Fprintf(&b, "[%d]", n+1)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// indexLines maps keys to the line they are defined on. It understands the
// plain layout config files use: [table], [[array]] and key = value lines.
func indexLines(data []byte) map[string]int {
	lines := map[string]int{}
	counts := map[string]int{}
	table := ""
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || l[0] == '#':
		case strings.HasPrefix(l, "[["):
			name := strings.TrimSpace(strings.Trim(strings.SplitN(l, "]]", 2)[0], "[ "))
			table = name + "." + strconv.Itoa(counts[name])
			counts[name]++
			lines[table] = n
		case l[0] == '[':
			table = strings.TrimSpace(strings.Trim(strings.SplitN(l, "]", 2)[0], "[ "))
			lines[table] = n
		default:
			if i := strings.IndexByte(l, '='); i > 0 {
				k := strings.Trim(strings.TrimSpace(l[:i]), `"`)
				if table != "" {
					k = table + "." + k
				}
				if _, ok := lines[k]; !ok {
					lines[k] = n
				}
			}
		}
	}
	return lines
}
