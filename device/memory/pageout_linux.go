package memory

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// releaseFilePages asks the kernel to reclaim the resident pages of the
// program file's read-only mappings (code and constant data) with
// madvise(MADV_PAGEOUT, Linux 5.4), and to map them back one page at a time
// when they are used again (MADV_RANDOM: no fault-around, no read-ahead), so
// that what stays resident is what antrid uses. The writable data mapping is
// left alone. The mappings are found by the file's inode, so a binary
// replaced by an update while running is still recognised.
func releaseFilePages() error {
	var st unix.Stat_t
	if err := unix.Stat("/proc/self/exe", &st); err != nil {
		return fmt.Errorf("finding the program file: %w", err)
	}
	f, err := os.Open("/proc/self/maps")
	if err != nil {
		return err
	}
	defer f.Close()
	ino := strconv.FormatUint(st.Ino, 10)
	released := 0
	s := bufio.NewScanner(f)
	for s.Scan() {
		// 00400000-00c9c000 r-xp 00000000 fe:00 10142018   /usr/bin/antrid
		fields := strings.Fields(s.Text())
		if len(fields) < 6 || fields[4] != ino || strings.Contains(fields[1], "w") {
			continue
		}
		lo, hi, ok := strings.Cut(fields[0], "-")
		if !ok {
			continue
		}
		start, err1 := strconv.ParseUint(lo, 16, 64)
		end, err2 := strconv.ParseUint(hi, 16, 64)
		if err1 != nil || err2 != nil || end <= start {
			continue
		}
		for _, advice := range []struct {
			name string
			code int
		}{{"MADV_RANDOM", unix.MADV_RANDOM}, {"MADV_PAGEOUT", unix.MADV_PAGEOUT}} {
			// A raw syscall: the range is the kernel's mapping of the program
			// file, not Go memory, so it is never made into a slice.
			if _, _, errno := unix.Syscall(unix.SYS_MADVISE, uintptr(start), uintptr(end-start), uintptr(advice.code)); errno != 0 {
				return fmt.Errorf("madvise(%s) on the program file: %w (MADV_PAGEOUT needs Linux 5.4 or later)", advice.name, errno)
			}
		}
		released++
	}
	if err := s.Err(); err != nil {
		return err
	}
	if released == 0 {
		return fmt.Errorf("no read-only mapping of the program file (inode %s) in /proc/self/maps", ino)
	}
	return nil
}
