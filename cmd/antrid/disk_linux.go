package main

import "golang.org/x/sys/unix"

// diskSpace is the free (for an unprivileged process) and total space of the file
// system holding dir.
func diskSpace(dir string) (free, total int64, ok bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, 0, false
	}
	return int64(st.Bavail) * int64(st.Bsize), int64(st.Blocks) * int64(st.Bsize), true
}
