// Command antri-e2e-agent runs inside the emulated board of `make image-e2e`
// and stands in for the hardware around the Pi: it loads the out-of-tree
// gpio-sim module and creates GPIO lines named like the Pi's (GPIO0 …
// GPIO27), sets up a USB printer gadget on dummy_hcd so the kernel's usblp
// driver sees a real USB printer, answers DLE EOT status queries on the
// gadget side and keeps every byte the "printer" received. The test on the
// host drives it over HTTP (port 8081, forwarded by qemu).
//
// It is test-only: deploy/image/e2e writes it into the test's own copy of the
// image, never into the shipped one.
//
// Endpoints (all JSON):
//
//	POST /press?pin=GPIO17&hold=100ms&bounce=0  press a button (line pulled low)
//	GET  /line?pin=GPIO17                        the line's value as the kernel sees it
//	POST /printer?state=ok|paper-out|cover-open|offline
//	POST /cable?plugged=true|false               bind or unbind the gadget (USB cable)
//	GET  /printed                                bytes printed, status queries answered
//	GET  /sqlite                                 PRAGMA integrity_check of antri.db
//	GET  /boot                                   fsck and ext4 messages of this boot
//	GET  /memory                                 free memory and per-process RSS
//	GET  /journal?unit=antrid.service            that unit's journal of this boot (text)
//	GET  /diag                                   processes, login sessions, devices (text)
//	POST /clock?set=RFC3339 | ?step=DURATION     step the wall clock
//	POST /poweroff                               clean shutdown
//
// Port 9223 forwards to Chromium's DevTools on 127.0.0.1:9222 in the VM.
package main

import (
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/coreos/go-systemd/v22/daemon"
)

// modules is where the overlay puts gpio-sim.ko and irq_sim.ko.
const modules = "/usr/local/lib/antri-e2e"

func main() {
	log.SetFlags(log.Lmicroseconds)
	lines, err := setUpGPIO(modules, 28)
	if err != nil {
		log.Fatalf("gpio-sim: %v", err)
	}
	g, err := setUpGadget()
	if err != nil {
		log.Fatalf("printer gadget: %v", err)
	}
	p := newPrinter(g)
	go p.serve()

	mux := http.NewServeMux()
	lines.routes(mux, p)
	p.routes(mux)
	systemRoutes(mux)

	l, err := net.Listen("tcp", ":8081")
	if err != nil {
		log.Fatal(err)
	}
	go forward(":9223", "127.0.0.1:9222")
	if _, err := daemon.SdNotify(false, daemon.SdNotifyReady); err != nil {
		log.Printf("sd_notify: %v", err)
	}
	log.Printf("ready: gpio-sim %s, gadget %s", lines.chip, g.udc)
	log.Fatal(http.Serve(l, mux))
}

func reply(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func fail(w http.ResponseWriter, code int, format string, args ...any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(map[string]string{"error": fmt.Sprintf(format, args...)})
}

// writeFile writes one sysfs or configfs attribute.
func writeFile(path, value string) error {
	if err := os.WriteFile(path, []byte(value), 0o644); err != nil {
		return fmt.Errorf("write %q to %s: %w", value, path, err)
	}
	return nil
}
