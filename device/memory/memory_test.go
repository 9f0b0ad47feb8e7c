package memory_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/antri-id/antri/device/memory"
)

// TestReleaseStartupHandsBackFilePages: the test binary, like antrid, has
// file pages mapped by its start; after the release its resident file pages
// are fewer and the program still runs (the pages come back on use).
func TestReleaseStartupHandsBackFilePages(t *testing.T) {
	if memory.Current().File == 0 {
		t.Fatal("no RssFile in /proc/self/status")
	}
	before, after, err := memory.ReleaseStartup()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("resident: anon %d → %d KB, file %d → %d KB", before.Anon>>10, after.Anon>>10, before.File>>10, after.File>>10)
	if after.File >= before.File {
		t.Errorf("file pages not released: %d KB before, %d KB after", before.File>>10, after.File>>10)
	}
	if after.Total() != after.Anon+after.File {
		t.Errorf("Total %d is not anon + file", after.Total())
	}
}

// TestReleasedFilePagesComeBackOneByOne: after the release, the program file's
// read-only mappings carry the kernel's random-read advice (VmFlags "rr" in
// /proc/self/smaps): pages come back one by one when used, not in 64 KB runs.
func TestReleasedFilePagesComeBackOneByOne(t *testing.T) {
	if _, _, err := memory.ReleaseStartup(); err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	smaps, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	readOnly, advised := 0, 0
	var inExe bool
	var perms string
	for _, line := range strings.Split(string(smaps), "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 5 && strings.Contains(f[0], "-") && len(f[1]) == 4:
			inExe = len(f) >= 6 && f[len(f)-1] == exe
			perms = f[1]
		case inExe && !strings.Contains(perms, "w") && len(f) > 0 && f[0] == "VmFlags:":
			readOnly++
			if slices.Contains(f[1:], "rr") {
				advised++
			}
		}
	}
	if readOnly == 0 || advised != readOnly {
		t.Errorf("%d of the program file's %d read-only mappings advised random read (want all)", advised, readOnly)
	}
}
