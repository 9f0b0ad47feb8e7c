package printer_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/antri-id/antri/device/printer"
)

// openPty returns a pseudo-terminal's master and the path of its slave, which stands in
// for /dev/ttyUSB0 or /dev/usb/lp0.
func openPty(t *testing.T) (*os.File, string) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	var n int
	rc, _ := m.SyscallConn()
	var ioErr error
	rc.Control(func(fd uintptr) {
		if ioErr = unix.IoctlSetPointerInt(int(fd), unix.TIOCSPTLCK, 0); ioErr != nil {
			return
		}
		n, ioErr = unix.IoctlGetInt(int(fd), unix.TIOCGPTN)
	})
	if ioErr != nil {
		t.Skipf("pty setup: %v", ioErr)
	}
	return m, fmt.Sprintf("/dev/pts/%d", n)
}

func termios(t *testing.T, f *os.File) *unix.Termios {
	t.Helper()
	rc, _ := f.SyscallConn()
	var tio *unix.Termios
	var err error
	rc.Control(func(fd uintptr) { tio, err = unix.IoctlGetTermios(int(fd), unix.TCGETS) })
	if err != nil {
		t.Fatal(err)
	}
	return tio
}

func TestSerialSetsRawModeAndBaud(t *testing.T) {
	m, slave := openPty(t)
	p, err := printer.Open("serial://" + slave + "?baud=19200")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	tio := termios(t, m) // a pty's two ends share one termios
	if tio.Cflag&unix.CBAUD != unix.B19200 {
		t.Errorf("baud bits %#o, want B19200", tio.Cflag&unix.CBAUD)
	}
	if tio.Cflag&unix.CSIZE != unix.CS8 || tio.Cflag&unix.PARENB != 0 || tio.Cflag&unix.CLOCAL == 0 {
		t.Errorf("cflag %#o is not 8N1 with CLOCAL", tio.Cflag)
	}
	if tio.Lflag&(unix.ICANON|unix.ECHO|unix.ISIG) != 0 || tio.Oflag&unix.OPOST != 0 || tio.Iflag&(unix.ICRNL|unix.IXON) != 0 {
		t.Errorf("line not raw: iflag %#o oflag %#o lflag %#o", tio.Iflag, tio.Oflag, tio.Lflag)
	}

	fp := &fakePrinter{status: ready}
	go fp.serve(m)
	job := ticket(t)
	if err := printer.Print(context.Background(), p, job); err != nil {
		t.Fatal(err)
	}
	// Raw mode: LF was not turned into CR LF, so the printer got the exact bytes.
	if got := fp.got(); !bytes.Equal(got, job) {
		t.Errorf("serial printer received %d bytes, want the %d-byte job", len(got), len(job))
	}
	fp.setStatus(paperOut)
	if err := printer.Print(context.Background(), p, job); err == nil {
		t.Error("printed with the paper out")
	}
}

func TestCharDeviceStatus(t *testing.T) {
	m, slave := openPty(t)
	// Make the line raw the way a USB printer device behaves (no echo, no line editing).
	p0, err := printer.Open("serial://" + slave)
	if err != nil {
		t.Fatal(err)
	}
	p0.Close()

	p, err := printer.Open(slave) // the /dev/usb/lp0 path: no termios changes
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	fp := &fakePrinter{status: coverOpen}
	go fp.serve(m)
	st, err := p.Status(context.Background())
	if err != nil || !st.Known || st.Problem() != "Tutup printer terbuka" {
		t.Errorf("bidirectional device: status %+v (%q), err %v", st, st.Problem(), err)
	}

	// A one-way printer never answers: unknown status, printing allowed.
	fp.setStatus(silent)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	st, err = p.Status(ctx)
	if err != nil || st.Known || !st.OK() || st.String() != "status tidak diketahui" {
		t.Errorf("one-way device: status %+v, err %v; want unknown and OK", st, err)
	}
}
