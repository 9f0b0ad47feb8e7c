// Package memory hands back to the kernel the memory antrid needed only to
// start.
//
// Measured idle on the MPP office (docs/PERFORMANCE.md, "Live pages"), 16 of
// antrid's 24 MB resident were pages of the program file, mapped in 64 KB runs
// by the kernel's fault-around while start-up ran package initialisation,
// migrations and the first snapshot; 13 MB of them were not touched again in
// the next 15 s. Another 3 MB was start-up's garbage on the Go heap. They are
// clean pages the kernel could reclaim under pressure, but while mapped they
// count against antrid and stand beside Chromium's memory on a 1 GB board.
// Released, and mapped back one page at a time when used, what stays resident
// is what antrid uses: idle 10 MB.
package memory

import (
	"bufio"
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
)

// Resident is the process's resident set from /proc/self/status, in bytes:
// anonymous memory (the Go heap, stacks, SQLite's caches) and the program's
// file pages. Zero where there is no /proc.
type Resident struct {
	Anon, File int64
}

// Total is the whole resident set (VmRSS).
func (r Resident) Total() int64 { return r.Anon + r.File }

// Current reads the process's resident set.
func Current() Resident {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return Resident{}
	}
	var r Resident
	s := bufio.NewScanner(bytes.NewReader(b))
	for s.Scan() {
		f := bytes.Fields(s.Bytes())
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(string(f[1]), 10, 64)
		switch string(f[0]) {
		case "RssAnon:":
			r.Anon = kb << 10
		case "RssFile:":
			r.File = kb << 10
		}
	}
	return r
}

// ReleaseStartup is called once start-up is over: it collects the heap and
// returns its free pages to the kernel, then asks the kernel to reclaim the
// program file's read-only pages (releaseFilePages). It reports the resident
// set before and after, and the error of the file pages' release (an older
// kernel without MADV_PAGEOUT, or no /proc), after which only the heap's part
// was done.
func ReleaseStartup() (before, after Resident, err error) {
	before = Current()
	debug.FreeOSMemory()
	err = releaseFilePages()
	return before, Current(), err
}
