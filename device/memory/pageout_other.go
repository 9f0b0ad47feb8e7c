//go:build !linux

package memory

import "errors"

// releaseFilePages needs Linux's madvise(MADV_PAGEOUT); elsewhere only the
// heap is released.
func releaseFilePages() error {
	return errors.New("releasing the program's file pages needs Linux")
}
