// Command loadgen measures antrid's live pages under load, from outside the daemon: it
// starts the real antrid binary on a fresh database, drives it over HTTP and websockets
// as kiosks, counters, TVs and citizens' phones would, and reads the daemon's CPU time
// and resident memory from /proc. `make bench-live` runs it; docs/PERFORMANCE.md has the
// figures. Every request goes to 127.0.0.1, and every phase ends by itself. antrid runs
// with the environment its systemd unit gives it on the Pi (-unit: the unit's
// Environment= lines, e.g. GOGC), so the figures are those of the daemon as shipped.
//
// Phases, in order:
//
//	idle       antrid started, nothing connected: resident memory after -idle
//	issuers    -issuers clients take -tickets tickets at once: latency p50/p99
//	snapshot   with those tickets waiting: one display's snapshot size, then
//	           -displays-burst displays connecting at once, time until all have it
//	steady     -phones /t/ pages and -displays TVs connected while one ticket is issued
//	           and one call made every second for -duration: antrid's CPU and memory
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gorilla/websocket"

	"github.com/antri-id/antri/queue"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat: 100 on every
// Linux architecture antrid runs on.
const clockTicks = 100

type options struct {
	antrid, config, printer    string
	unit                       string
	idle, duration             time.Duration
	issuers, tickets           int
	displaysBurst, phones, tvs int
	bursts                     int
}

func main() {
	var o options
	flag.StringVar(&o.antrid, "antrid", "bin/antrid", "the antrid binary to measure")
	flag.StringVar(&o.config, "config", "queue/queuetest/testdata/mpp.toml", "office config")
	flag.StringVar(&o.printer, "printer", "file:///dev/null", `[printer] device added to the config ("" for none)`)
	flag.StringVar(&o.unit, "unit", "deploy/antrid.service", `systemd unit whose Environment= lines antrid runs with ("" for none)`)
	flag.DurationVar(&o.idle, "idle", 10*time.Second, "how long antrid idles before its memory is read")
	flag.IntVar(&o.issuers, "issuers", 200, "concurrent ticket issuers")
	flag.IntVar(&o.tickets, "tickets", 2000, "tickets the issuers take in all (they stay waiting)")
	flag.IntVar(&o.displaysBurst, "displays-burst", 100, "displays connecting at once in the snapshot phase")
	flag.IntVar(&o.bursts, "bursts", 3, "how often the burst of displays is repeated")
	flag.IntVar(&o.phones, "phones", 500, "/t/ pages connected in the steady phase")
	flag.IntVar(&o.tvs, "displays", 20, "displays connected in the steady phase")
	flag.DurationVar(&o.duration, "duration", 5*time.Minute, "length of the steady phase")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

// daemon is the antrid process under measurement.
type daemon struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:PORT
	cfg  *queue.Config
	log  *bytes.Buffer
	env  []string // from the systemd unit
}

// unitEnvironment is the VAR=value pairs of a systemd unit's Environment= lines
// (unquoted values, as antrid.service has them); none when unit is "".
func unitEnvironment(unit string) ([]string, error) {
	if unit == "" {
		return nil, nil
	}
	text, err := os.ReadFile(unit)
	if err != nil {
		return nil, fmt.Errorf("reading antrid's unit for its environment: %w (run from the repository, or -unit \"\")", err)
	}
	var env []string
	for _, line := range strings.Split(string(text), "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "Environment="); ok {
			env = append(env, strings.Fields(v)...)
		}
	}
	return env, nil
}

func run(o options) error {
	cfg, err := queue.LoadConfig(o.config)
	if err != nil {
		return err
	}
	d, err := startDaemon(o, cfg)
	if err != nil {
		return err
	}
	defer d.stop()
	fmt.Printf("machine: %s, %d CPUs (%s), %s/%s, loadgen built with %s\n", cpuModel(), runtime.NumCPU(), memTotal(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	fmt.Printf("office: %s, %d services, %d counters; printer %q\n", o.config, len(cfg.Services), len(cfg.Counters), o.printer)
	fmt.Printf("antrid's environment from %s: %s\n\n", o.unit, strings.Join(d.env, " "))

	time.Sleep(o.idle)
	idle := d.mem()
	fmt.Printf("idle       after %v: VmRSS %.1f MB (peak %.1f MB)\n", o.idle, idle.rss, idle.hwm)

	lat, numbers, err := d.issue(o.issuers, o.tickets)
	if err != nil {
		return err
	}
	fmt.Printf("issuers    %d at once, %d rounds (%d tickets): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n", o.issuers, o.tickets/o.issuers, o.tickets,
		ms(pct(lat, 0.50)), ms(pct(lat, 0.99)), ms(lat[len(lat)-1]))
	if err := d.settle(3 * time.Second); err != nil {
		return err
	}

	size, err := d.snapshotSize("view=display")
	if err != nil {
		return err
	}
	tsize, _ := d.snapshotSize("view=ticket&number=" + numbers[len(numbers)/2])
	fmt.Printf("snapshot   with %d waiting: display %d bytes, /t/ page %d bytes\n", o.tickets, size, tsize)
	for i := range o.bursts {
		took, err := d.burst(o.displaysBurst)
		if err != nil {
			return err
		}
		fmt.Printf("snapshot   burst %d: %d displays connected, each with its snapshot, in %v\n", i+1, o.displaysBurst, took.Round(time.Millisecond))
	}

	return d.steady(o, numbers)
}

func startDaemon(o options, cfg *queue.Config) (*daemon, error) {
	dir, err := os.MkdirTemp("", "antri-loadgen")
	if err != nil {
		return nil, err
	}
	text, err := os.ReadFile(o.config)
	if err != nil {
		return nil, err
	}
	if o.printer != "" {
		text = fmt.Appendf(text, "\n[printer]\ndevice = %q\n", o.printer)
	}
	// Every client here comes from 127.0.0.1, the kiosk's own address, whose pool holds
	// 64 connections (docs/SECURITY.md, "Connections"): what stands for hundreds of
	// phones and kiosks gets a pool of that size, so that the figures are the daemon's,
	// not its flood defence's. The issuers' connections stay open (keep-alive) through
	// the later phases.
	text = fmt.Appendf(text, "\n[connections]\nkiosk_reserve = %d\n", o.issuers+o.displaysBurst+o.phones+o.tvs+64)
	cfgPath := filepath.Join(dir, "antri.toml")
	if err := os.WriteFile(cfgPath, text, 0o600); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	d := &daemon{base: "http://" + addr, cfg: cfg, log: &bytes.Buffer{}}
	env, err := unitEnvironment(o.unit)
	if err != nil {
		return nil, err
	}
	d.cmd = exec.Command(o.antrid, "-config", cfgPath, "-data", filepath.Join(dir, "data"), "-listen", addr)
	d.cmd.Env = append(os.Environ(), env...)
	d.env = env
	d.cmd.Stderr = d.log
	if err := d.cmd.Start(); err != nil {
		return nil, err
	}
	for start := time.Now(); time.Since(start) < 30*time.Second; time.Sleep(50 * time.Millisecond) {
		if res, err := http.Get(d.base + "/healthz"); err == nil {
			res.Body.Close()
			return d, nil
		}
	}
	d.stop()
	return nil, fmt.Errorf("antrid did not answer within 30 s:\n%s", d.log)
}

func (d *daemon) stop() {
	d.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { d.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(15 * time.Second):
		d.cmd.Process.Kill()
	}
}

type memReading struct{ rss, hwm float64 } // MB

// mem reads antrid's resident set (now and peak) from /proc/PID/status.
func (d *daemon) mem() memReading {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", d.cmd.Process.Pid))
	var m memReading
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseFloat(f[1], 64)
		switch f[0] {
		case "VmRSS:":
			m.rss = kb / 1000
		case "VmHWM:":
			m.hwm = kb / 1000
		}
	}
	return m
}

// cpu is antrid's CPU time so far (user + system), from /proc/PID/stat.
func (d *daemon) cpu() time.Duration {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", d.cmd.Process.Pid))
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // fields from 3 on
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * time.Second / clockTicks
}

func (d *daemon) post(path, token string, body any) (int, []byte, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", d.base+path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	return res.StatusCode, out, err
}

// issue has issuers clients each take one ticket at the same instant, round after round
// until tickets are issued (a crowd of phones pressing at once), spread over the services,
// and returns the sorted latencies and the numbers issued.
func (d *daemon) issue(issuers, tickets int) ([]time.Duration, []string, error) {
	var mu sync.Mutex
	var lat []time.Duration
	var numbers []string
	var failed error
	http.DefaultTransport.(*http.Transport).MaxIdleConnsPerHost = issuers
	for round := 0; round*issuers < tickets; round++ {
		start := make(chan struct{})
		var wg sync.WaitGroup
		for j := range min(issuers, tickets-round*issuers) {
			i := round*issuers + j
			wg.Add(1)
			go func() {
				defer wg.Done()
				svc := d.cfg.Services[i%len(d.cfg.Services)].Code
				<-start
				t0 := time.Now()
				code, body, err := d.post("/api/tickets", "", map[string]any{"service": svc})
				took := time.Since(t0)
				mu.Lock()
				defer mu.Unlock()
				if err != nil || code != http.StatusCreated {
					failed = fmt.Errorf("issuing %s: %d %s %v", svc, code, body, err)
					return
				}
				var tk struct{ Number string }
				json.Unmarshal(body, &tk)
				lat = append(lat, took)
				numbers = append(numbers, tk.Number)
			}()
		}
		time.Sleep(100 * time.Millisecond) // every issuer waiting at the line
		close(start)
		wg.Wait()
		if failed != nil {
			return nil, nil, failed
		}
	}
	slices.Sort(lat)
	return lat, numbers, nil
}

// settle waits until antrid has been quiet for quiet (no event reaching a display): the
// printer has worked off the tickets of the issuers phase, say.
func (d *daemon) settle(quiet time.Duration) error {
	c, _, err := d.dial("view=display")
	if err != nil {
		return err
	}
	defer c.Close()
	for start := time.Now(); time.Since(start) < 5*time.Minute; {
		c.SetReadDeadline(time.Now().Add(quiet))
		if _, _, err := c.ReadMessage(); err != nil {
			return nil // quiet long enough (or gone, which the next phase will say)
		}
	}
	return fmt.Errorf("antrid still busy after 5 minutes")
}

// dial opens /ws?query as a page of the appliance would and reads its snapshot.
func (d *daemon) dial(query string) (*websocket.Conn, []byte, error) {
	h := http.Header{"Origin": {d.base}}
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(d.base, "http")+"/ws?"+query, h)
	if err != nil {
		return nil, nil, err
	}
	c.SetReadDeadline(time.Now().Add(30 * time.Second))
	_, snap, err := c.ReadMessage()
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	c.SetReadDeadline(time.Time{})
	return c, snap, nil
}

func (d *daemon) snapshotSize(query string) (int, error) {
	c, snap, err := d.dial(query)
	if err != nil {
		return 0, err
	}
	c.Close()
	return len(snap), nil
}

// burst connects n displays at once, as TVs do when antrid restarts, and returns the time
// until the last has its snapshot.
func (d *daemon) burst(n int) (time.Duration, error) {
	conns := make([]*websocket.Conn, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range n {
		wg.Add(1)
		go func() { defer wg.Done(); conns[i], _, errs[i] = d.dial("view=display") }()
	}
	wg.Wait()
	took := time.Since(start)
	for i, c := range conns {
		if errs[i] != nil {
			return 0, errs[i]
		}
		c.Close()
	}
	return took, nil
}

// steady holds phones and TVs connected while the office works at one ticket and one
// call a second, and reads antrid's CPU time and memory over that time.
func (d *daemon) steady(o options, numbers []string) error {
	var toPhones, toDisplays, dropped atomic.Int64
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var conns []*websocket.Conn
	follow := func(query string, received *atomic.Int64) error {
		c, _, err := d.dial(query)
		if err != nil {
			return err
		}
		conns = append(conns, c)
		go func() {
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					if ctx.Err() == nil {
						dropped.Add(1)
					}
					return
				}
				received.Add(1)
			}
		}()
		return nil
	}
	for i := range o.phones {
		if err := follow("view=ticket&number="+numbers[i*len(numbers)/o.phones], &toPhones); err != nil {
			return err
		}
	}
	for range o.tvs {
		if err := follow("view=display", &toDisplays); err != nil {
			return err
		}
	}
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	fmt.Printf("steady     %d /t/ pages and %d displays connected; one ticket and one call a second for %v\n", o.phones, o.tvs, o.duration)
	time.Sleep(2 * time.Second) // let the connecting settle before measuring
	cpu0, t0 := d.cpu(), time.Now()
	var peak float64
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	calls, issued := 0, 0
	for i := 0; time.Since(t0) < o.duration; i++ {
		<-tick.C
		svc := d.cfg.Services[i%len(d.cfg.Services)].Code
		if code, _, err := d.post("/api/tickets", "", map[string]any{"service": svc}); err == nil && code == http.StatusCreated {
			issued++
		}
		k := d.cfg.Counters[i%len(d.cfg.Counters)]
		d.post("/api/counters/"+k.ID+"/finish", k.Token, nil) // 409 when the counter is free
		if code, _, err := d.post("/api/counters/"+k.ID+"/call", k.Token, nil); err == nil && code == http.StatusOK {
			calls++
		}
		peak = max(peak, d.mem().rss)
	}
	used, wall := d.cpu()-cpu0, time.Since(t0)
	m := d.mem()
	fmt.Printf("steady     %d tickets issued, %d calls; the /t/ pages received %d messages, the displays %d; %d connections dropped\n",
		issued, calls, toPhones.Load(), toDisplays.Load(), dropped.Load())
	fmt.Printf("steady     antrid CPU %.2f s in %v = %.1f %% of one core; VmRSS %.1f MB at the end, %.1f MB at most (VmHWM %.1f MB)\n",
		used.Seconds(), wall.Round(time.Second), 100*used.Seconds()/wall.Seconds(), m.rss, peak, m.hwm)
	return nil
}

func pct(sorted []time.Duration, p float64) time.Duration {
	return sorted[int(p*float64(len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	f := strings.Fields(string(b))
	if len(f) > 1 {
		kb, _ := strconv.ParseFloat(f[1], 64)
		return fmt.Sprintf("%.0f GB RAM", kb/1e6)
	}
	return "?"
}
