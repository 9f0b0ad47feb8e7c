package deploy_test

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue/queuetest"
)

// kioskLauncher is the kiosk launcher (image/antri-kiosk.sh) with cage as a
// stub that records what it was given and then runs cageRuns (a shell
// command), with its home and its looks at the tab each second.
func kioskLauncher(t *testing.T, run, board, cageRuns string, env ...string) (cmd *exec.Cmd, home, argv string) {
	t.Helper()
	home = t.TempDir()
	bin := filepath.Join(home, "bin")
	argv = filepath.Join(home, "cage.args")
	write(t, filepath.Join(bin, "cage"), "#!/bin/sh\nprintf '%s\\n' \"$@\" >"+argv+"\n"+cageRuns+"\n")
	if err := os.Chmod(filepath.Join(bin, "cage"), 0o755); err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command("sh", "image/antri-kiosk.sh")
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "ANTRI_RUN="+run, "HOME="+home, "ANTRI_KIOSK_WATCH_S=1")
	if board != "" {
		cmd.Env = append(cmd.Env, "ANTRI_BOARD="+board)
	}
	cmd.Env = append(cmd.Env, env...)
	return cmd, home, argv
}

// startKiosk runs the launcher until cage (a stub) has started and exited, with
// antrid up (a curl stub answers). It returns cage's arguments and the
// launcher's home (where the loader page is).
func startKiosk(t *testing.T, run, board string) (args []string, home string) {
	t.Helper()
	cmd, home, argv := kioskLauncher(t, run, board, "")
	bin := filepath.Join(home, "bin")
	write(t, filepath.Join(bin, "curl"), "#!/bin/sh\nexit 0\n")
	if err := os.Chmod(filepath.Join(bin, "curl"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("kiosk launcher: %v\n%s", err, out)
	}
	return strings.Split(strings.TrimSpace(read(t, argv)), "\n"), home
}

// TestKioskShowsFirstbootError: the HDMI screen opens the error page when
// provisioning failed, and otherwise the local loader page that goes to
// antrid's /display, full screen with sound allowed.
func TestKioskShowsFirstbootError(t *testing.T) {
	for _, failed := range []bool{true, false} {
		run := t.TempDir()
		if failed {
			write(t, filepath.Join(run, "firstboot-error.html"), "<h1>Antri belum bisa dipakai</h1>")
		}
		args, home := startKiosk(t, run, "")
		want := "file://" + filepath.Join(home, "memuat.html")
		if failed {
			want = "file://" + run + "/firstboot-error.html"
		}
		if last := args[len(args)-1]; last != want {
			t.Errorf("failed=%v: kiosk opened %q, want %q", failed, last, want)
		}
		if !failed {
			loader := read(t, filepath.Join(home, "memuat.html"))
			if !strings.Contains(loader, `"http://localhost:8080/display"`) || !strings.Contains(loader, "Menyiapkan layar antrean") {
				t.Errorf("the loader page does not go to antrid's /display or says nothing while it waits:\n%s", loader)
			}
		}
		joined := strings.Join(args, " ")
		for _, flag := range []string{"chromium", "--kiosk", "--autoplay-policy=no-user-gesture-required", "--password-store=basic"} {
			if !strings.Contains(joined, flag) {
				t.Errorf("cage started without %s: %s", flag, joined)
			}
		}
	}
}

// TestKioskLoaderReachesTheBoard opens the launcher's loader page in a real
// Chromium while antrid is not listening yet, then starts a stand-in antrid
// whose first answer to /display is 204 No Content: Chromium stays on the
// loader then, as when the network service crashed under the first
// navigation (found on the emulated board). The loader must still end on
// the board.
func TestKioskLoaderReachesTheBoard(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing answers until the stand-in starts below
	board := "http://" + addr
	_, home := startKiosk(t, t.TempDir(), board)
	tab := browsertest.New(t)
	if err := chromedp.Do(tab, chromedp.Navigate("file://"+filepath.Join(home, "memuat.html"))); err != nil {
		t.Fatal(err)
	}
	waiting, err := chromedp.Run(tab, chromedp.Evaluate[string]("document.body.innerText"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(waiting, "Menyiapkan layar antrean") {
		t.Errorf("while antrid is down the screen shows %q", waiting)
	}

	var displays atomic.Int32
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/display", func(w http.ResponseWriter, r *http.Request) {
		if displays.Add(1) == 1 {
			w.WriteHeader(http.StatusNoContent) // the first navigation goes nowhere
			return
		}
		w.Write([]byte("<!doctype html><title>Antri</title><h1>Papan antrean</h1>"))
	})
	time.Sleep(3 * time.Second) // antrid comes up a while after the screen
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })

	deadline := time.Now().Add(2 * time.Minute)
	var text, at string
	for time.Now().Before(deadline) {
		at, _ = chromedp.Run(tab, chromedp.Location())
		if text, _ = chromedp.Run(tab, chromedp.Evaluate[string]("document.body.innerText")); strings.Contains(text, "Papan antrean") {
			break
		}
		time.Sleep(time.Second)
	}
	if at != board+"/display" || !strings.Contains(text, "Papan antrean") {
		t.Fatalf("the kiosk tab is at %q showing %q, want the board at %s/display", at, text, board)
	}
	if n := displays.Load(); n < 2 {
		t.Errorf("/display was asked %d times; the lost first navigation was not tried again", n)
	}
}

// TestKioskReopensATabThatNeverLoaded: Chromium's DevTools (a stand-in here,
// answering as Chromium 156 did on the emulated board) lists the kiosk's tab
// with no title, its navigation lost; the launcher's watch opens the same
// address in a new tab and closes the stale one, once.
func TestKioskReopensATabThatNeverLoaded(t *testing.T) {
	run := t.TempDir()
	write(t, filepath.Join(run, "firstboot-error.html"), "<title>Antri</title><h1>Antri belum bisa dipakai</h1>")
	want := "file://" + run + "/firstboot-error.html"
	var mu sync.Mutex
	var opened, closed []string
	replaced := false
	devtools := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		switch {
		case r.URL.Path == "/json/list" && !replaced:
			fmt.Fprintf(w, `[ {
   "description": "",
   "id": "STALE1",
   "title": "",
   "type": "page",
   "url": %q,
   "webSocketDebuggerUrl": "ws://127.0.0.1:9222/devtools/page/STALE1"
}, {
   "description": "",
   "id": "POPUP",
   "title": "",
   "type": "browser_ui",
   "url": "chrome://omnibox-popup.top-chrome/"
} ]`, want)
		case r.URL.Path == "/json/list":
			fmt.Fprintf(w, `[ {
   "id": "NEW2",
   "title": "Antri belum bisa dipakai",
   "type": "page",
   "url": %q
} ]`, want)
		case r.URL.Path == "/json/new" && r.Method == http.MethodPut:
			opened = append(opened, r.URL.RawQuery)
			replaced = true
			fmt.Fprint(w, `{"id":"NEW2"}`)
		case strings.HasPrefix(r.URL.Path, "/json/close/"):
			closed = append(closed, strings.TrimPrefix(r.URL.Path, "/json/close/"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer devtools.Close()

	cmd, _, argv := kioskLauncher(t, run, "", "sleep 30", "ANTRI_DEVTOOLS="+strings.TrimPrefix(devtools.URL, "http://"))
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // to stop it with its cage and watch
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}()
	queuetest.Eventually(t, "the stale tab to be replaced", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(closed) > 0
	})
	time.Sleep(4 * time.Second) // a few more looks: the new tab has its title, nothing more happens
	mu.Lock()
	defer mu.Unlock()
	if len(opened) != 1 || opened[0] != want {
		t.Errorf("tabs opened: %q, want one to %q", opened, want)
	}
	if len(closed) != 1 || closed[0] != "STALE1" {
		t.Errorf("tabs closed: %q, want STALE1 only (not the browser's own popup)", closed)
	}
	args := read(t, argv)
	if port := "--remote-debugging-port=" + devtools.URL[strings.LastIndex(devtools.URL, ":")+1:]; !strings.Contains(args, port) {
		t.Errorf("Chromium started without %s:\n%s", port, args)
	}
	if !strings.Contains(out.String(), "halaman layar tidak termuat") {
		t.Errorf("the launcher did not say why it reopened the page:\n%s", out.String())
	}
}
