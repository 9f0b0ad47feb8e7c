// Command standin plays antrid in deploy's tests until (and independently of)
// the real daemon: `standin check-config FILE` checks the two things the
// tests break (a [office] table and Go durations in *_standard keys) and
// reports each problem as FILE:LINE: like the real check-config; every
// invocation is appended to $STANDIN_LOG.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

func main() {
	if log := os.Getenv("STANDIN_LOG"); log != "" {
		f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err == nil {
			fmt.Fprintln(f, strings.Join(os.Args[1:], " "))
			f.Close()
		}
	}
	if len(os.Args) == 3 && os.Args[1] == "check-config" {
		os.Exit(checkConfig(os.Args[2]))
	}
	// Daemon mode, for the image boot test before the real antrid exists:
	// answer /healthz on -listen and tell systemd it is ready.
	fs := flag.NewFlagSet("antrid", flag.ExitOnError)
	listen := fs.String("listen", "", "address")
	fs.String("config", "", "ignored")
	fs.String("data", "", "ignored")
	fs.Bool("demo", false, "ignored")
	fs.Parse(os.Args[1:])
	if *listen == "" {
		fmt.Println("antrid stand-in")
		return
	}
	http.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, `{"database":"ok","standin":true}`)
	})
	l, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	daemon.SdNotify(false, daemon.SdNotifyReady)
	go func() {
		for range time.Tick(5 * time.Second) {
			daemon.SdNotify(false, daemon.SdNotifyWatchdog)
		}
	}()
	http.Serve(l, nil)
}

func checkConfig(path string) int {
	f, err := os.Open(path)
	if err != nil {
		fmt.Println(err)
		return 2
	}
	defer f.Close()
	problems, office := 0, false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "[office]" {
			office = true
		}
		key, val, ok := strings.Cut(line, "=")
		key = strings.TrimSpace(key)
		if !ok || !strings.HasSuffix(key, "_standard") {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"`)
		if _, err := time.ParseDuration(val); err != nil {
			fmt.Printf("%s:%d: %s = %q bukan durasi (contoh \"15m\")\n", path, n, key, val)
			problems++
		}
	}
	if !office {
		fmt.Printf("%s:1: tabel [office] tidak ada\n", path)
		problems++
	}
	if problems > 0 {
		return 1
	}
	return 0
}
