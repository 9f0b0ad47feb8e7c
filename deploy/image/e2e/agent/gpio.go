package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// gpioSim is one gpio-sim chip whose lines carry the Pi's BCM names.
type gpioSim struct {
	chip  string // gpiochipN
	sysfs string // /sys/devices/platform/gpio-sim.N/gpiochipN
	mu    sync.Mutex
	names map[string]int
}

// setUpGPIO loads irq_sim and gpio-sim from dir and creates one chip of n
// lines named GPIO0 … GPIO<n-1> through configfs. The lines start with
// gpio-sim's default pull-down: only antrid's own bias request (pull-up)
// makes an idle button read high, so the test sees that request work.
func setUpGPIO(dir string, n int) (*gpioSim, error) {
	if err := configfs(); err != nil {
		return nil, err
	}
	for _, m := range []string{"irq_sim.ko", "gpio-sim.ko"} {
		if out, err := exec.Command("insmod", filepath.Join(dir, m)).CombinedOutput(); err != nil &&
			!strings.Contains(string(out), "File exists") {
			return nil, fmt.Errorf("insmod %s: %v: %s", m, err, out)
		}
	}
	cfg := "/sys/kernel/config/gpio-sim/antri"
	bank := cfg + "/bank0"
	if err := os.MkdirAll(bank, 0o755); err != nil {
		return nil, err
	}
	if err := writeFile(bank+"/num_lines", strconv.Itoa(n)); err != nil {
		return nil, err
	}
	if err := writeFile(bank+"/label", "antri-e2e"); err != nil {
		return nil, err
	}
	g := &gpioSim{names: map[string]int{}}
	for i := 0; i < n; i++ {
		line := fmt.Sprintf("%s/line%d", bank, i)
		if err := os.Mkdir(line, 0o755); err != nil && !os.IsExist(err) {
			return nil, err
		}
		name := fmt.Sprintf("GPIO%d", i)
		if err := writeFile(line+"/name", name); err != nil {
			return nil, err
		}
		g.names[name] = i
	}
	if err := writeFile(cfg+"/live", "1"); err != nil {
		return nil, err
	}
	dev, err := os.ReadFile(cfg + "/dev_name")
	if err != nil {
		return nil, err
	}
	chip, err := os.ReadFile(bank + "/chip_name")
	if err != nil {
		return nil, err
	}
	g.chip = strings.TrimSpace(string(chip))
	g.sysfs = filepath.Join("/sys/devices/platform", strings.TrimSpace(string(dev)), g.chip)
	return g, nil
}

// configfs makes sure configfs is loaded and mounted.
func configfs() error {
	exec.Command("modprobe", "configfs").Run()
	if _, err := os.Stat("/sys/kernel/config/gpio-sim"); err == nil {
		return nil
	}
	if b, _ := os.ReadFile("/proc/mounts"); !strings.Contains(string(b), " /sys/kernel/config ") {
		if out, err := exec.Command("mount", "-t", "configfs", "none", "/sys/kernel/config").CombinedOutput(); err != nil {
			return fmt.Errorf("mount configfs: %v: %s", err, out)
		}
	}
	return nil
}

func (g *gpioSim) attr(pin, name string) (string, error) {
	i, ok := g.names[pin]
	if !ok {
		return "", fmt.Errorf("no line %q", pin)
	}
	return fmt.Sprintf("%s/sim_gpio%d/%s", g.sysfs, i, name), nil
}

// pull sets what the outside world does to the line: pull-down is a button
// pressed against ground, pull-up one released.
func (g *gpioSim) pull(pin string, down bool) error {
	path, err := g.attr(pin, "pull")
	if err != nil {
		return err
	}
	v := "pull-up"
	if down {
		v = "pull-down"
	}
	return writeFile(path, v)
}

// press bounces the contact bounce times within a few milliseconds, then
// holds the button down for hold and releases it. It reports when the
// steady press began, to down as well just before the line goes low (the
// first printed byte may come while the button is still held).
func (g *gpioSim) press(pin string, hold time.Duration, bounce int, down func(time.Time)) (time.Time, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for i := 0; i < bounce; i++ {
		if err := g.pull(pin, true); err != nil {
			return time.Time{}, err
		}
		time.Sleep(300 * time.Microsecond)
		if err := g.pull(pin, false); err != nil {
			return time.Time{}, err
		}
		time.Sleep(300 * time.Microsecond)
	}
	at := time.Now()
	down(at)
	if err := g.pull(pin, true); err != nil {
		return time.Time{}, err
	}
	time.Sleep(hold)
	return at, g.pull(pin, false)
}

func (g *gpioSim) routes(mux *http.ServeMux, p *printer) {
	mux.HandleFunc("POST /press", func(w http.ResponseWriter, r *http.Request) {
		hold, err := time.ParseDuration(r.FormValue("hold"))
		if err != nil {
			hold = 100 * time.Millisecond
		}
		bounce, _ := strconv.Atoi(r.FormValue("bounce"))
		pin := r.FormValue("pin")
		at, err := g.press(pin, hold, bounce, p.pressed)
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		reply(w, map[string]any{"pin": pin, "at": at})
	})
	mux.HandleFunc("GET /line", func(w http.ResponseWriter, r *http.Request) {
		path, err := g.attr(r.FormValue("pin"), "value")
		if err != nil {
			fail(w, http.StatusBadRequest, "%v", err)
			return
		}
		b, err := os.ReadFile(path)
		if err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
		reply(w, map[string]any{"pin": r.FormValue("pin"), "value": strings.TrimSpace(string(b)), "chip": g.chip})
	})
}
