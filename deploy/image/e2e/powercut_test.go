//go:build e2e

package e2e

import (
	"math/rand/v2"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestChaosPowerCut cuts the power (SIGKILL to qemu: nothing flushed, no
// shutdown) once during first boot's provisioning and then E2E_CUTS times
// (default 5) at random moments while tickets are issued over the network.
// After every boot: file systems clean or repaired, PRAGMA integrity_check
// ok, every ticket acknowledged before a cut still there, numbers
// contiguous. At the end a clean shutdown and read-only fsck on the host.
func TestChaosPowerCut(t *testing.T) {
	cuts := 5
	if n, err := strconv.Atoi(os.Getenv("E2E_CUTS")); err == nil {
		cuts = n
	}
	disk := freshDisk(t)

	// First boot, cut while antri-firstboot installs antri.toml and writes
	// the generated counter token back to the FAT partition.
	v := boot(t, disk, vmOptions{name: "firstboot-cut"})
	v.waitConsole("antri-firstboot.s", 10*time.Minute) // systemd shortens "Starting antri-firstboot.service - Antri: pasang …"
	time.Sleep(time.Duration(rand.IntN(1500)) * time.Millisecond)
	v.kill()
	t.Logf("power cut during first boot's provisioning, %.1f s after power on", time.Since(v.started).Seconds())

	acked := map[string]bool{}
	for i := 0; ; i++ {
		v = boot(t, disk, vmOptions{name: "after-cut-" + strconv.Itoa(i)})
		up := v.waitUp()
		afterCut(t, v, acked)
		t.Logf("boot %d: up in %.0f s, %d tickets acknowledged so far all present", i, up.Seconds(), len(acked))
		if i == cuts {
			break
		}
		stop := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var got []string
		for w := 0; w < 2; w++ { // two kiosks at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					var tk ticket
					if err := v.post(v.api+"/api/tickets", kioskToken, map[string]any{"service": "A", "priority": false}, &tk); err == nil {
						mu.Lock()
						got = append(got, tk.Number)
						mu.Unlock()
					}
				}
			}()
		}
		time.Sleep(time.Duration(1000+rand.IntN(6000)) * time.Millisecond)
		v.kill()
		close(stop)
		wg.Wait()
		for _, n := range got {
			acked[n] = true
		}
		t.Logf("cut %d: %d tickets acknowledged before the power went", i+1, len(got))
	}
	v.agentPost("/poweroff", nil, nil)
	must(t, v.waitExit(3*time.Minute))
	checkFilesystems(t, disk)
}

// afterCut checks a board that came back after a power cut.
func afterCut(t *testing.T, v *vm, acked map[string]bool) {
	t.Helper()
	s := v.state()
	have := s.issued()
	for n := range acked {
		if _, ok := have[n]; !ok {
			t.Errorf("ticket %s was acknowledged (201) before the cut and is gone", n)
		}
	}
	contiguous(t, have)
	var ic struct {
		Result string `json:"integrity_check"`
	}
	must(t, v.get(v.agent+"/sqlite", "", &ic))
	if ic.Result != "ok" {
		t.Errorf("PRAGMA integrity_check: %s", ic.Result)
	}
	filesystemsAfterBoot(t, v)
}

// contiguous checks that each service's numbers run 1…N without a gap.
func contiguous(t *testing.T, have map[string]ticket) {
	t.Helper()
	by := map[string][]int{}
	for n := range have {
		m := regexp.MustCompile(`^([A-Z])-(\d+)$`).FindStringSubmatch(n)
		if m == nil {
			t.Errorf("ticket number %q", n)
			continue
		}
		i, _ := strconv.Atoi(m[2])
		by[m[1]] = append(by[m[1]], i)
	}
	for svc, ns := range by {
		sort.Ints(ns)
		for i, n := range ns {
			if n != i+1 {
				t.Errorf("service %s numbers are not contiguous: %d where %d was expected (%d tickets)", svc, n, i+1, len(ns))
				break
			}
		}
	}
}

// filesystemsAfterBoot reads this boot's fsck and kernel messages: an ext4
// error or an fsck that could not repair fails; journal recovery and
// repairs are what a power cut leaves and are logged.
func filesystemsAfterBoot(t *testing.T, v *vm) {
	t.Helper()
	var b map[string]string
	must(t, v.get(v.agent+"/boot", "", &b))
	for _, bad := range []string{"EXT4-fs error", "UNEXPECTED INCONSISTENCY", "fsck failed", "Remounting filesystem read-only"} {
		for _, k := range []string{"kernel", "fsck", "journal"} {
			if strings.Contains(b[k], bad) {
				t.Errorf("%q after the power cut (%s):\n%s", bad, k, b[k])
			}
		}
	}
	if strings.Contains(b["failed"], "fsck") {
		t.Errorf("failed units: %s", b["failed"])
	}
	for _, l := range strings.Split(b["fsck"]+"\n"+b["journal"], "\n") {
		if strings.Contains(l, "recover") || strings.Contains(l, "clean") || strings.Contains(l, "FIXED") || strings.Contains(l, "fsck") {
			t.Logf("  %s", l)
		}
	}
}
