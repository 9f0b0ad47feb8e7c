package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestKioskShowsFirstbootError: the HDMI screen opens the error page instead
// of /display when provisioning failed, and /display otherwise, full screen
// with sound allowed. cage and curl are stubs that record what they were given.
func TestKioskShowsFirstbootError(t *testing.T) {
	for _, failed := range []bool{true, false} {
		dir := t.TempDir()
		bin := filepath.Join(dir, "bin")
		run := filepath.Join(dir, "run")
		argv := filepath.Join(dir, "cage.args")
		write(t, filepath.Join(bin, "cage"), "#!/bin/sh\nprintf '%s\\n' \"$@\" >"+argv+"\n")
		write(t, filepath.Join(bin, "curl"), "#!/bin/sh\nexit 0\n") // antrid is up
		for _, f := range []string{"cage", "curl"} {
			if err := os.Chmod(filepath.Join(bin, f), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if failed {
			write(t, filepath.Join(run, "firstboot-error.html"), "<h1>Antri belum bisa dipakai</h1>")
		}
		cmd := exec.Command("sh", "image/antri-kiosk.sh")
		cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "ANTRI_RUN="+run, "HOME="+dir)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("kiosk launcher: %v\n%s", err, out)
		}
		args := strings.Split(strings.TrimSpace(read(t, argv)), "\n")
		want := "http://localhost:8080/display"
		if failed {
			want = "file://" + run + "/firstboot-error.html"
		}
		if last := args[len(args)-1]; last != want {
			t.Errorf("failed=%v: kiosk opened %q, want %q", failed, last, want)
		}
		joined := strings.Join(args, " ")
		for _, flag := range []string{"chromium", "--kiosk", "--autoplay-policy=no-user-gesture-required"} {
			if !strings.Contains(joined, flag) {
				t.Errorf("cage started without %s: %s", flag, joined)
			}
		}
	}
}
