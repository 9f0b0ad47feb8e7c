package printer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/antri-id/antri/device/escpos"
)

// statusTimeout bounds a status exchange when ctx has no earlier deadline: printers answer
// DLE EOT within milliseconds, even while offline.
const statusTimeout = time.Second

// deadlineRW is a connection whose reads and writes can time out (net.Conn, a pollable
// *os.File).
type deadlineRW interface {
	io.ReadWriter
	SetDeadline(time.Time) error
	SetReadDeadline(time.Time) error
}

// errNoAnswer means the printer did not answer a DLE EOT in time.
var errNoAnswer = errors.New("printer did not answer DLE EOT (status request)")

// queryStatus asks DLE EOT 1, 2 and 4 and merges the answers. Bytes left over from an
// earlier exchange are drained first so answers are not taken for the wrong question.
func queryStatus(ctx context.Context, rw deadlineRW) (escpos.Status, error) {
	deadline := time.Now().Add(statusTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	// Both deadlines, and both cleared after: a print's write deadline left on the
	// connection would otherwise fail every status question once it has passed, and the
	// printer would look gone between two tickets.
	defer rw.SetDeadline(time.Time{})
	var junk [64]byte
	if err := rw.SetReadDeadline(time.Now()); err != nil {
		return escpos.Status{}, err
	}
	for {
		if _, err := rw.Read(junk[:]); err != nil {
			break
		}
	}
	if err := rw.SetDeadline(deadline); err != nil {
		return escpos.Status{}, err
	}
	var s escpos.Status
	for _, n := range []byte{1, 2, 4} {
		if _, err := rw.Write(escpos.StatusQuery(n)); err != nil {
			return escpos.Status{}, err
		}
		var b [1]byte
		if _, err := io.ReadFull(rw, b[:]); err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return escpos.Status{}, errNoAnswer
			}
			return escpos.Status{}, err
		}
		if err := s.Update(n, b[0]); err != nil {
			return escpos.Status{}, fmt.Errorf("printer status: %w", err)
		}
	}
	return s, nil
}
