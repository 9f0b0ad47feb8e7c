package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// gadget is a USB printer gadget (usb_f_printer through configfs) on
// dummy_hcd's UDC: binding it plugs the printer into the emulated host
// controller, so the kernel enumerates a USB printer and usblp binds.
type gadget struct {
	dir string // configfs gadget folder
	udc string // dummy_udc.0

	mu   sync.Mutex
	port string // the host's USB port the printer is on (sysfs), once found
}

func setUpGadget() (*gadget, error) {
	for _, m := range []string{"libcomposite", "dummy_hcd", "usb_f_printer"} {
		if out, err := exec.Command("modprobe", m).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("modprobe %s: %v: %s", m, err, out)
		}
	}
	udcs, _ := filepath.Glob("/sys/class/udc/*")
	if len(udcs) == 0 {
		return nil, fmt.Errorf("no UDC after modprobe dummy_hcd")
	}
	g := &gadget{dir: "/sys/kernel/config/usb_gadget/antri-printer", udc: filepath.Base(udcs[0])}
	for _, d := range []string{"strings/0x409", "functions/printer.usb0", "configs/c.1/strings/0x409"} {
		if err := os.MkdirAll(filepath.Join(g.dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	for _, a := range [][2]string{
		// The NetChip ids Linux's printer gadget uses; usblp binds on the
		// interface class (07 printer, protocol 2 bidirectional), not the ids.
		{"idVendor", "0x0525"}, {"idProduct", "0xa4a8"}, {"bcdUSB", "0x0200"},
		{"strings/0x409/manufacturer", "Antri e2e"},
		{"strings/0x409/product", "ESC/POS printer (gadget)"},
		{"strings/0x409/serialnumber", "E2E0001"},
		{"functions/printer.usb0/pnp_string", "MFG:Antri;MDL:E2E;CMD:ESC/POS;CLS:PRINTER;"},
		{"functions/printer.usb0/q_len", "10"},
		{"configs/c.1/strings/0x409/configuration", "printer"},
		{"configs/c.1/MaxPower", "100"},
	} {
		if err := writeFile(filepath.Join(g.dir, a[0]), a[1]); err != nil {
			return nil, err
		}
	}
	link := filepath.Join(g.dir, "configs/c.1/printer.usb0")
	if _, err := os.Lstat(link); err != nil {
		if err := os.Symlink(filepath.Join(g.dir, "functions/printer.usb0"), link); err != nil {
			return nil, err
		}
	}
	return g, writeFile(filepath.Join(g.dir, "UDC"), g.udc)
}

// cable pulls the USB cable out (in false) or plugs it back: the power of
// the host's port the printer is on goes off or on (the port's "disable"
// attribute), so the host sees the printer leave (usblp lets go,
// /dev/usb/lp0 and /dev/antri-printer disappear) and the gadget sees VBUS
// go, exactly as with a cable; plugged back, the host enumerates the printer
// anew. Unbinding the gadget from the UDC instead would go through
// dummy_hcd's unbind path, which can hang in the kernel while a transfer is
// under way (fixed upstream only in 2026) and then blocks the shutdown too.
func (g *gadget) cable(in bool) error {
	port, err := g.hostPort()
	if err != nil {
		return err
	}
	v := "1"
	if in {
		v = "0"
	}
	return writeFile(filepath.Join(port, "disable"), v)
}

// hostPort finds, once, the host-side port of the printer: the usb_port
// behind the USB device with the gadget's vendor and product ids.
func (g *gadget) hostPort() (string, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.port != "" {
		return g.port, nil
	}
	devs, _ := filepath.Glob("/sys/bus/usb/devices/*/idVendor")
	for _, f := range devs {
		dir := filepath.Dir(f)
		v, _ := os.ReadFile(f)
		p, _ := os.ReadFile(filepath.Join(dir, "idProduct"))
		if strings.TrimSpace(string(v)) != "0525" || strings.TrimSpace(string(p)) != "a4a8" {
			continue
		}
		port, err := filepath.EvalSymlinks(filepath.Join(dir, "port"))
		if err != nil {
			return "", fmt.Errorf("the printer %s has no port link: %v", dir, err)
		}
		g.port = port
		return port, nil
	}
	return "", fmt.Errorf("no USB device 0525:a4a8 (the printer gadget) on the host side: not enumerated yet?")
}

// Real-time status bytes (DLE EOT n) and IEEE 1284 port status (the USB
// printer class GET_PORT_STATUS usblp reads) of each printer state. Every
// DLE EOT byte has bits 1 and 4 on, 0 and 7 off.
var states = map[string]struct {
	eot  map[byte]byte
	port byte
}{
	"ok":         {map[byte]byte{1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}, 0x18}, // selected, no error
	"paper-out":  {map[byte]byte{1: 0x1a, 2: 0x32, 3: 0x12, 4: 0x7e}, 0x20}, // offline, paper end stop, roll end
	"cover-open": {map[byte]byte{1: 0x1a, 2: 0x16, 3: 0x12, 4: 0x12}, 0x00}, // offline, cover open
	"offline":    {map[byte]byte{1: 0x1a, 2: 0x12, 3: 0x12, 4: 0x12}, 0x00}, // offline only: not selected
}

// GADGET_SET_PRINTER_STATUS from <linux/usb/g_printer.h>: _IOWR('g', 0x22, unsigned char).
const gadgetSetPrinterStatus = 0xc0016722

// printer is the printer mechanism behind the gadget: it answers status
// queries and keeps what it printed.
type printer struct {
	g *gadget

	mu        sync.Mutex
	state     string
	printed   []byte
	notReady  int // bytes received while not ready: a real printer would not print them now
	queries   int
	answered  map[string]int // per state, status answers given
	press     time.Time      // a press whose first printed byte is awaited
	latencies []float64      // press to first printed byte, milliseconds
	opens     int            // times /dev/g_printer0 was opened (once per plug)
	f         *os.File       // the open gadget side (it can be opened only once)
	partial   []byte         // a DLE (EOT) cut by the end of a read
}

func newPrinter(g *gadget) *printer {
	return &printer{g: g, state: "ok", answered: map[string]int{}}
}

// serve reads the gadget side for ever, reopening it after an unplug.
func (p *printer) serve() {
	buf := make([]byte, 16384)
	for {
		f, err := os.OpenFile("/dev/g_printer0", os.O_RDWR, 0)
		if err != nil {
			time.Sleep(200 * time.Millisecond)
			continue
		}
		p.mu.Lock()
		p.opens++
		p.f = f
		p.mu.Unlock()
		p.setPortStatus(f)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				p.take(f, buf[:n])
			}
			if err != nil {
				log.Printf("g_printer0: %v; reopening", err)
				break
			}
		}
		p.mu.Lock()
		p.f = nil
		p.mu.Unlock()
		f.Close()
		time.Sleep(200 * time.Millisecond)
	}
}

// take handles one read. Like a real ESC/POS printer it acts on DLE EOT n
// wherever it arrives in the stream (usblp's separate transfers reach the
// gadget side merged: a job's last bytes and the status query after it come
// in one read), answers it and does not print it; everything else is print
// data. A DLE or DLE EOT at the end of a read waits for the next one.
func (p *printer) take(f *os.File, b []byte) {
	p.mu.Lock()
	data := append(p.partial, b...)
	p.partial = nil
	var out []byte
	var answers []byte
	for i := 0; i < len(data); i++ {
		if data[i] != 0x10 {
			out = append(out, data[i])
			continue
		}
		if i+1 == len(data) || (data[i+1] == 0x04 && i+2 == len(data)) {
			p.partial = append([]byte(nil), data[i:]...)
			break
		}
		if n := data[i+2]; data[i+1] == 0x04 && n >= 1 && n <= 4 {
			p.queries++
			p.answered[p.state]++
			answers = append(answers, states[p.state].eot[n])
			i += 2
			continue
		}
		out = append(out, data[i])
	}
	if len(out) > 0 {
		if p.state != "ok" {
			p.notReady += len(out)
		} else {
			if !p.press.IsZero() {
				p.latencies = append(p.latencies, float64(time.Since(p.press).Microseconds())/1000)
				p.press = time.Time{}
			}
			p.printed = append(p.printed, out...)
		}
	}
	p.mu.Unlock()
	for _, a := range answers {
		if _, err := f.Write([]byte{a}); err != nil {
			log.Printf("answering DLE EOT: %v", err)
		}
	}
}

func (p *printer) setPortStatus(f *os.File) {
	p.mu.Lock()
	st := states[p.state].port
	p.mu.Unlock()
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	rc.Control(func(fd uintptr) {
		if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, fd, gadgetSetPrinterStatus, uintptr(st)); e != 0 {
			log.Printf("GADGET_SET_PRINTER_STATUS: %v", e)
		}
	})
}

// rearm makes the printer read again after its cable is plugged back, as a real
// printer's firmware does once the host configures it anew: g_printer queues its
// receive requests only when a read begins, and a read that began before the unplug
// can sleep through the new connection (the run of 2026-12-01: status answered over
// the control endpoint, every print and DLE EOT timing out on the bulk endpoint). So
// the open gadget side is closed, serve opens it again once the gadget is configured,
// and rearm returns when it has.
func (p *printer) rearm(d time.Duration) error {
	p.mu.Lock()
	opens, f := p.opens, p.f
	p.mu.Unlock()
	if f != nil {
		f.Close() // serve's Read returns, and it opens the device again
	}
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		p.mu.Lock()
		again := p.opens > opens && p.f != nil
		p.mu.Unlock()
		if again {
			return nil
		}
	}
	return fmt.Errorf("/dev/g_printer0 not open again %v after the cable was plugged back", d)
}

// pressed starts timing a press to its first printed byte (monotonic
// clock); a press that printed nothing is forgotten at the next one.
func (p *printer) pressed(at time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.press = at
}

func (p *printer) routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /printer", func(w http.ResponseWriter, r *http.Request) {
		st := r.FormValue("state")
		if _, ok := states[st]; !ok {
			fail(w, http.StatusBadRequest, "state %q: want ok, paper-out, cover-open or offline", st)
			return
		}
		p.mu.Lock()
		p.state = st
		f := p.f
		p.mu.Unlock()
		if f != nil {
			p.setPortStatus(f)
		}
		reply(w, map[string]string{"state": st})
	})
	mux.HandleFunc("POST /cable", func(w http.ResponseWriter, r *http.Request) {
		in := r.FormValue("plugged") == "true"
		if err := p.g.cable(in); err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
		if in {
			if err := p.rearm(30 * time.Second); err != nil {
				fail(w, http.StatusInternalServerError, "%v", err)
				return
			}
		}
		reply(w, map[string]bool{"plugged": in})
	})
	mux.HandleFunc("GET /printed", func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		reply(w, map[string]any{
			"bytes": p.printed, "not_ready": p.notReady, "queries": p.queries,
			"answered": p.answered, "latencies_ms": p.latencies, "opens": p.opens,
		})
	})
}
