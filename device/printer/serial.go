package printer

import (
	"fmt"
	"net/url"
	"strconv"

	"golang.org/x/sys/unix"
)

// bauds maps the rates thermal printers offer to their termios constants.
var bauds = map[int]uint32{
	2400: unix.B2400, 4800: unix.B4800, 9600: unix.B9600, 19200: unix.B19200,
	38400: unix.B38400, 57600: unix.B57600, 115200: unix.B115200,
}

// openSerial opens serial:///dev/ttyUSB0?baud=19200[&flow=rtscts] and sets the line to
// raw 8N1 at that rate (9600 when absent). Raw mode matters: the default cooked mode would
// turn LF into CR LF, swallow XON/XOFF bytes of raster images and echo status answers.
func openSerial(u *url.URL) (Port, error) {
	baud := 9600
	if s := u.Query().Get("baud"); s != "" {
		b, err := strconv.Atoi(s)
		if err != nil || bauds[b] == 0 {
			return nil, fmt.Errorf("printer: baud %q is not supported; use 9600, 19200, 38400, 57600 or 115200 as set on the printer's DIP switches", s)
		}
		baud = b
	}
	rtscts := false
	switch f := u.Query().Get("flow"); f {
	case "", "none":
	case "rtscts":
		rtscts = true
	default:
		return nil, fmt.Errorf("printer: flow %q is not supported; use rtscts or none", f)
	}
	p, err := openCharDevice(u.Path)
	if err != nil {
		return nil, err
	}
	if err := setRaw(p, bauds[baud], rtscts); err != nil {
		p.Close()
		return nil, fmt.Errorf("printer: %s is not a serial line (%v); check [printer] device", u.Path, err)
	}
	return p, nil
}

// setRaw is cfmakeraw plus the baud rate, 8 data bits, no parity, receiver on and modem
// lines ignored. VMIN 1 / VTIME 0: reads wait for a byte; the read deadline bounds them.
func setRaw(p *charPort, speed uint32, rtscts bool) error {
	rc, err := p.f.SyscallConn() // not Fd(): that would switch the file to blocking mode
	if err != nil {
		return err
	}
	var ioErr error
	err = rc.Control(func(fd uintptr) {
		t, err := unix.IoctlGetTermios(int(fd), unix.TCGETS)
		if err != nil {
			ioErr = err
			return
		}
		t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON | unix.IXOFF
		t.Oflag &^= unix.OPOST
		t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
		t.Cflag &^= unix.CSIZE | unix.PARENB | unix.CSTOPB | unix.CBAUD | unix.CRTSCTS
		t.Cflag |= unix.CS8 | unix.CREAD | unix.CLOCAL | speed
		if rtscts {
			t.Cflag |= unix.CRTSCTS
		}
		t.Ispeed, t.Ospeed = speed, speed
		t.Cc[unix.VMIN], t.Cc[unix.VTIME] = 1, 0
		ioErr = unix.IoctlSetTermios(int(fd), unix.TCSETS, t)
	})
	if err != nil {
		return err
	}
	return ioErr
}
