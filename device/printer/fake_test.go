package printer_test

import (
	"bytes"
	"io"
	"sync"
)

// fakePrinter plays an ESC/POS printer on one connection: it answers DLE EOT n with
// status(n) (or stays silent when status returns -1) and records every other byte.
type fakePrinter struct {
	mu       sync.Mutex
	received bytes.Buffer
	status   func(n byte) int
}

func (f *fakePrinter) serve(rw io.ReadWriter) {
	var pending []byte
	buf := make([]byte, 4096)
	for {
		k, err := rw.Read(buf)
		if err != nil {
			return
		}
		pending = append(pending, buf[:k]...)
		for len(pending) > 0 {
			if pending[0] == 0x10 {
				if len(pending) < 3 {
					break
				}
				if pending[1] == 0x04 {
					f.mu.Lock()
					s := f.status(pending[2])
					f.mu.Unlock()
					if s >= 0 {
						rw.Write([]byte{byte(s)})
					}
					pending = pending[3:]
					continue
				}
			}
			f.mu.Lock()
			f.received.WriteByte(pending[0])
			f.mu.Unlock()
			pending = pending[1:]
		}
	}
}

func (f *fakePrinter) got() []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]byte(nil), f.received.Bytes()...)
}

func (f *fakePrinter) setStatus(s func(n byte) int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.status = s
}

// ready answers every status request with "all fine".
func ready(byte) int { return 0x12 }

func paperOut(n byte) int {
	switch n {
	case 1:
		return 0x1A // offline
	case 2:
		return 0x32 // stopped at paper end
	}
	return 0x72 // roll paper sensor: no paper
}

func coverOpen(n byte) int {
	switch n {
	case 1:
		return 0x1A
	case 2:
		return 0x16
	}
	return 0x12
}

func silent(byte) int { return -1 }
