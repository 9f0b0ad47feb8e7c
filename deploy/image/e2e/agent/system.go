package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite"
)

// systemRoutes are the checks after a power cut and the clock steps.
func systemRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /sqlite", func(w http.ResponseWriter, r *http.Request) {
		res, err := integrityCheck("/var/lib/antri/antri.db")
		if err != nil {
			fail(w, http.StatusInternalServerError, "%v", err)
			return
		}
		reply(w, map[string]string{"integrity_check": res})
	})
	mux.HandleFunc("GET /boot", func(w http.ResponseWriter, r *http.Request) {
		fsck, _ := exec.Command("journalctl", "-b", "-o", "cat", "--no-pager",
			"-u", "systemd-fsck-root.service", "-u", "systemd-fsck@*").CombinedOutput()
		kernel, _ := exec.Command("journalctl", "-b", "-k", "-o", "cat", "--no-pager", "--grep", "EXT4-fs|FAT-fs|fsck").CombinedOutput()
		failed, _ := exec.Command("systemctl", "--failed", "--no-legend", "--plain").CombinedOutput()
		initrd, _ := exec.Command("journalctl", "-b", "-o", "cat", "--no-pager", "--grep", "fsck|recovering journal|clean,").CombinedOutput()
		up, _ := os.ReadFile("/proc/uptime")
		reply(w, map[string]string{"fsck": string(fsck), "kernel": string(kernel), "failed": string(failed),
			"journal": string(initrd), "uptime": strings.Fields(string(up) + " ")[0]})
	})
	mux.HandleFunc("GET /journal", func(w http.ResponseWriter, r *http.Request) {
		out, _ := exec.Command("journalctl", "-b", "--no-pager", "-o", "short-monotonic", "-n", "300",
			"-u", r.FormValue("unit")).CombinedOutput()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(out)
	})
	mux.HandleFunc("GET /diag", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		for _, c := range [][]string{
			{"ps", "-eo", "pid,stat,wchan:32,etime,args"},
			{"loginctl", "list-sessions", "--no-pager"},
			{"sh", "-c", "for s in $(loginctl list-sessions --no-legend | cut -c1-8); do loginctl show-session $s; done"},
			{"sh", "-c", "ls -l /dev/dri /dev/input /dev/tty1; for p in $(pidof cage chromium); do echo == $p; cat /proc/$p/stack; done"},
			{"sh", "-c", "journalctl -b --no-pager -o cat -n 80 _COMM=cage _COMM=chromium + SYSLOG_IDENTIFIER=cage; tail -n 60 /tmp/kiosk-debug.log 2>/dev/null"},
		} {
			out, _ := exec.Command(c[0], c[1:]...).CombinedOutput()
			fmt.Fprintf(w, "$ %s\n%s\n", strings.Join(c, " "), out)
		}
	})
	mux.HandleFunc("GET /memory", func(w http.ResponseWriter, r *http.Request) {
		free, _ := exec.Command("free", "-m").CombinedOutput()
		reply(w, map[string]any{"free": string(free), "meminfo": meminfo(), "rss_kib": rss()})
	})
	mux.HandleFunc("POST /clock", func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		var to time.Time
		if s := r.FormValue("set"); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				fail(w, http.StatusBadRequest, "set: %v", err)
				return
			}
			to = t
		} else {
			d, err := time.ParseDuration(r.FormValue("step"))
			if err != nil {
				fail(w, http.StatusBadRequest, "step: %v", err)
				return
			}
			to = now.Add(d)
		}
		tv := syscall.NsecToTimeval(to.UnixNano())
		if err := syscall.Settimeofday(&tv); err != nil {
			fail(w, http.StatusInternalServerError, "settimeofday: %v", err)
			return
		}
		reply(w, map[string]any{"was": now, "now": time.Now()})
	})
	mux.HandleFunc("POST /poweroff", func(w http.ResponseWriter, r *http.Request) {
		reply(w, map[string]bool{"poweroff": true})
		go func() {
			time.Sleep(200 * time.Millisecond)
			exec.Command("systemctl", "poweroff").Run()
		}()
	})
}

// integrityCheck runs PRAGMA integrity_check on the live database beside
// antrid (a read transaction; WAL lets antrid write meanwhile).
func integrityCheck(path string) (string, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		return "", err
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		out = append(out, s)
	}
	return strings.Join(out, "\n"), rows.Err()
}

func meminfo() map[string]int {
	m := map[string]int{}
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return m
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		n, _ := strconv.Atoi(strings.Fields(v + " 0")[0])
		m[k] = n
	}
	return m
}

// rss sums VmRSS (KiB) per program name: antrid, cage, chromium (all its
// processes), Xwayland, the agent itself.
func rss() map[string]int {
	sum := map[string]int{}
	dirs, _ := filepath.Glob("/proc/[0-9]*/status")
	for _, st := range dirs {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		var name string
		var kib int
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "Name:"); ok {
				name = strings.TrimSpace(v)
			}
			if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
				kib, _ = strconv.Atoi(strings.Fields(v)[0])
			}
		}
		if kib > 0 {
			sum[name] += kib
		}
	}
	return sum
}

// forward relays TCP connections from listen to target: Chromium's DevTools
// listen on the VM's loopback only.
func forward(listen, target string) {
	l, err := net.Listen("tcp", listen)
	if err != nil {
		log.Printf("forward %s: %v", listen, err)
		return
	}
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			t, err := net.DialTimeout("tcp", target, 5*time.Second)
			if err != nil {
				return
			}
			defer t.Close()
			go io.Copy(t, c)
			io.Copy(c, t)
		}()
	}
}
