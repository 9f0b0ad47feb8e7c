//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// vmOptions say how to boot the board.
type vmOptions struct {
	kiosk bool   // run cage + Chromium on a virtio GPU (slower boot)
	rtc   string // qemu -rtc base= (a wrong real-time clock), "" for the host's
	name  string // for the serial log file
	hq    bool   // forward the test headquarters' port (guest 8090) too
}

// vm is one boot of a test disk under qemu-system-aarch64 -M virt.
type vm struct {
	t       *testing.T
	disk    string
	cmd     *exec.Cmd
	started time.Time
	serial  string // console log file
	monitor string // qemu monitor socket
	api     string // http://127.0.0.1:port of antrid
	agent   string // of antri-e2e-agent
	devtool string // of the kiosk Chromium's DevTools (through the agent)
	hq      string // of the test headquarters inside the board (vmOptions.hq)
	exited  chan error
}

// freePort asks the kernel for a free TCP port on the loopback.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// boot starts qemu on disk. The guest reaches nothing but the forwarded
// ports (restrict=on): no time server, no outside traffic.
func boot(t *testing.T, disk string, o vmOptions) *vm {
	t.Helper()
	pAPI, pAgent, pDev := freePort(t), freePort(t), freePort(t)
	dir := artefacts(t)
	v := &vm{t: t, disk: disk, exited: make(chan error, 1),
		serial:  filepath.Join(dir, fmt.Sprintf("console-%s-%d.log", o.name, time.Now().UnixNano())),
		monitor: filepath.Join(t.TempDir(), "monitor.sock"),
		api:     fmt.Sprintf("http://127.0.0.1:%d", pAPI),
		agent:   fmt.Sprintf("http://127.0.0.1:%d", pAgent),
		devtool: fmt.Sprintf("127.0.0.1:%d", pDev),
	}
	mask := []string{"systemd-timesyncd.service", "antri-mdns-alias.service"}
	if !o.kiosk {
		mask = append(mask, "antri-kiosk.service")
	}
	appendLine := "root=LABEL=antri-root rw console=ttyAMA0 panic=-1 systemd.show_status=1"
	for _, m := range mask {
		appendLine += " systemd.mask=" + m
	}
	netdev := fmt.Sprintf("user,id=net,restrict=on,hostfwd=tcp:127.0.0.1:%d-:8080,hostfwd=tcp:127.0.0.1:%d-:8081,hostfwd=tcp:127.0.0.1:%d-:9223", pAPI, pAgent, pDev)
	if o.hq {
		pHQ := freePort(t)
		v.hq = fmt.Sprintf("http://127.0.0.1:%d", pHQ)
		netdev += fmt.Sprintf(",hostfwd=tcp:127.0.0.1:%d-:%d", pHQ, hqGuestPort)
	}
	args := []string{"-M", "virt", "-cpu", "cortex-a72", "-smp", "2", "-m", "1024",
		"-no-reboot", "-kernel", img.kernel, "-initrd", img.initrd, "-append", appendLine,
		"-drive", "file=" + disk + ",format=raw,if=none,id=sd", "-device", "virtio-blk-pci,drive=sd",
		"-netdev", netdev,
		"-device", "virtio-net-pci,netdev=net,romfile=",
		"-serial", "file:" + v.serial, "-monitor", "unix:" + v.monitor + ",server,nowait",
		"-display", "none"}
	if o.kiosk {
		// A virtio GPU is the HDMI screen; the monitor's screendump shows it.
		args = append(args, "-device", "virtio-gpu-pci,xres=1280,yres=720")
	} else {
		args = append(args, "-vga", "none")
	}
	if o.rtc != "" {
		args = append(args, "-rtc", "base="+o.rtc+",clock=host")
	}
	v.cmd = exec.Command("qemu-system-aarch64", args...)
	v.cmd.Stdout, v.cmd.Stderr = os.Stderr, os.Stderr
	v.started = time.Now()
	if err := v.cmd.Start(); err != nil {
		t.Fatalf("qemu-system-aarch64: %v", err)
	}
	go func() { v.exited <- v.cmd.Wait() }()
	t.Cleanup(v.kill)
	return v
}

// kill is the power cut: SIGKILL, no shutdown, nothing flushed by the guest.
func (v *vm) kill() {
	if v.cmd.Process == nil || v.cmd.ProcessState != nil {
		return
	}
	v.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-v.exited:
	case <-time.After(30 * time.Second):
		v.t.Errorf("qemu did not die after SIGKILL")
	}
}

// waitExit waits for qemu to end by itself (a clean poweroff).
func (v *vm) waitExit(d time.Duration) error {
	select {
	case err := <-v.exited:
		return err
	case <-time.After(d):
		return fmt.Errorf("qemu still running after %v", d)
	}
}

// poweroff shuts the board down cleanly (systemctl poweroff through the
// agent) and waits for qemu to end; a shutdown that hangs fails with the
// console's last lines, which name the unit systemd is waiting for.
func (v *vm) poweroff(d time.Duration) {
	v.t.Helper()
	v.agentPost("/poweroff", nil, nil)
	if err := v.waitExit(d); err != nil {
		v.t.Fatalf("clean shutdown: %v; console:\n%s", err, v.consoleTail(60))
	}
}

// step runs one part of a scenario as a subtest. When it fails, the
// journals of the appliance's units, the kernel's log and any process stuck
// in the kernel are kept beside the console log, named after the step, while
// the board still answers.
func (v *vm) step(t *testing.T, name string, f func(t *testing.T)) bool {
	return t.Run(name, func(t *testing.T) {
		v.t = t
		defer func() {
			if t.Failed() && v.alive() {
				v.saveJournals(name)
			}
		}()
		f(t)
	})
}

func (v *vm) alive() bool {
	select {
	case err := <-v.exited:
		v.exited <- err
		return false
	default:
		return true
	}
}

// waitFor polls cond until it is true, the VM dies or d passes.
func (v *vm) waitFor(what string, d time.Duration, cond func() bool) time.Duration {
	v.t.Helper()
	start := time.Now()
	for !cond() {
		if !v.alive() {
			v.t.Fatalf("qemu exited while waiting for %s; console:\n%s", what, v.consoleTail(60))
		}
		if time.Since(start) > d {
			v.saveJournals("")
			v.t.Fatalf("no %s after %v; console:\n%s", what, d, v.consoleTail(60))
		}
		time.Sleep(500 * time.Millisecond)
	}
	return time.Since(v.started)
}

// saveJournals keeps this boot's journal of the appliance's units and the
// agent's diagnosis (processes, the kernel's log) beside the console log,
// when the agent still answers; tag, when set, goes into the file names.
func (v *vm) saveJournals(tag string) {
	c := &http.Client{Timeout: 20 * time.Second}
	base := strings.TrimSuffix(v.serial, ".log")
	if tag != "" {
		base += "-" + tag
	}
	for _, u := range []string{"antrid.service", "antri-firstboot.service", "antri-kiosk.service", "antri-e2e-agent.service", "diag"} {
		path := "/journal?unit=" + u
		if u == "diag" {
			path = "/diag"
		}
		res, err := c.Get(v.agent + path)
		if err != nil {
			v.t.Logf("diagnosis not kept: %v", err)
			return
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		os.WriteFile(base+"-"+u+".txt", b, 0o644)
	}
	v.t.Logf("journals and diagnosis kept in %s-*.txt", base)
}

func (v *vm) consoleTail(n int) string {
	b, _ := os.ReadFile(v.serial)
	lines := strings.Split(string(b), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// waitConsole waits for text on the serial console.
func (v *vm) waitConsole(text string, d time.Duration) {
	v.t.Helper()
	v.waitFor(fmt.Sprintf("%q on the console", text), d, func() bool {
		b, _ := os.ReadFile(v.serial)
		return bytes.Contains(b, []byte(text))
	})
}

// waitUp waits for antrid's database and the agent; it returns the time
// since qemu started.
func (v *vm) waitUp() time.Duration {
	v.t.Helper()
	return v.waitFor("antrid /healthz database ok and the agent", 10*time.Minute, func() bool {
		if h, err := v.healthz(""); err != nil || !h["database"].OK {
			return false
		}
		return v.get(v.agent+"/printed", "", nil) == nil
	})
}

// monitorCmd sends one command to the qemu monitor.
func (v *vm) monitorCmd(cmd string) (string, error) {
	c, err := net.DialTimeout("unix", v.monitor, 5*time.Second)
	if err != nil {
		return "", err
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(c)
	r.ReadString('\n') // banner
	if _, err := fmt.Fprintf(c, "%s\n", cmd); err != nil {
		return "", err
	}
	var out strings.Builder
	for {
		// The monitor echoes the command, then answers and prompts "(qemu) ".
		b, err := r.ReadString(' ')
		out.WriteString(b)
		if err != nil || strings.Count(out.String(), "(qemu) ") >= 2 {
			return out.String(), nil
		}
	}
}

// client is the host's HTTP client; the emulated board is slow.
var client = &http.Client{Timeout: 30 * time.Second}

// get fetches JSON; token, when set, is a Bearer token.
func (v *vm) get(u, token string, into any) error {
	return v.do("GET", u, token, nil, into)
}

func (v *vm) post(u, token string, body, into any) error {
	return v.do("POST", u, token, body, into)
}

// do is one request; a non-2xx answer is an error carrying the body.
func (v *vm) do(method, u, token string, body, into any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode/100 != 2 {
		return &httpError{Code: res.StatusCode, Body: string(b), URL: u}
	}
	if into != nil {
		return json.Unmarshal(b, into)
	}
	return nil
}

type httpError struct {
	Code int
	Body string
	URL  string
}

func (e *httpError) Error() string { return fmt.Sprintf("%s: %d %s", e.URL, e.Code, e.Body) }

// agentPost calls the agent with form values.
func (v *vm) agentPost(path string, vals url.Values, into any) {
	v.t.Helper()
	if err := v.post(v.agent+path+"?"+vals.Encode(), "", nil, into); err != nil {
		v.t.Fatalf("agent %s: %v", path, err)
	}
}
