package escpos

// Status is what the printer said about itself through "DLE EOT n Transmit real-time
// status". Merge the answers to n = 1, 2 and 4 with Update. The zero value means nothing
// is known (a one-way printer): OK() is true then, because such a printer can only be
// trusted to print.
type Status struct {
	Known bool // at least one status byte was read

	// DLE EOT 1, printer status.
	Offline bool // bit 3

	// DLE EOT 2, offline cause.
	CoverOpen    bool // bit 2
	FeedButton   bool // bit 3: paper is being fed by the FEED button
	PaperEndStop bool // bit 5: printing stopped because the paper ran out
	Error        bool // bit 6: an error occurred (see DLE EOT 3)

	// DLE EOT 3, error cause.
	CutterError        bool // bit 3: autocutter jammed
	UnrecoverableError bool // bit 5
	AutoRecoverable    bool // bit 6: e.g. print head too hot; clears by itself

	// DLE EOT 4, roll paper sensor.
	PaperNearEnd bool // bits 2,3
	PaperEnd     bool // bits 5,6
}

// ParseStatus decodes the byte a printer answered to DLE EOT n (n = 1, 2, 3 or 4). Every
// status byte has bit 1 and bit 4 on and bits 0 and 7 off; a byte without that pattern is
// not a status (stray data, wrong baud rate) and is rejected.
func ParseStatus(n, b byte) (Status, error) {
	var s Status
	if err := s.Update(n, b); err != nil {
		return Status{}, err
	}
	return s, nil
}

// Update merges the answer b to DLE EOT n into s.
func (s *Status) Update(n, b byte) error {
	if b&0x93 != 0x12 {
		return errorf("byte %#02x is not a DLE EOT %d status (bits 1 and 4 must be on, 0 and 7 off); check the baud rate or the cable", b, n)
	}
	on := func(bit uint) bool { return b&(1<<bit) != 0 }
	switch n {
	case 1:
		s.Offline = on(3)
	case 2:
		s.CoverOpen, s.FeedButton, s.PaperEndStop, s.Error = on(2), on(3), on(5), on(6)
	case 3:
		s.CutterError, s.UnrecoverableError, s.AutoRecoverable = on(3), on(5), on(6)
	case 4:
		s.PaperNearEnd, s.PaperEnd = b&0x0C != 0, b&0x60 != 0
	default:
		return errorf("DLE EOT %d is not a status request; use 1, 2, 3 or 4", n)
	}
	s.Known = true
	return nil
}

// OK reports whether a ticket can be printed now. A near-end roll is still OK (it prints;
// staff should change the roll soon) and so is an unknown status.
func (s Status) OK() bool { return s.Problem() == "" }

// Problem says in Indonesian, for staff, what stops printing; "" when nothing does. The
// most actionable cause wins: paper before cover before errors before plain offline.
func (s Status) Problem() string {
	switch {
	case s.PaperEnd || s.PaperEndStop:
		return "Kertas habis"
	case s.CoverOpen:
		return "Tutup printer terbuka"
	case s.CutterError:
		return "Pemotong kertas macet"
	case s.UnrecoverableError:
		return "Printer rusak, hubungi teknisi"
	case s.Error || s.AutoRecoverable:
		return "Printer error, tunggu sebentar lalu periksa printer"
	case s.Offline:
		return "Printer offline"
	}
	return ""
}

// String is Problem, or "siap" (ready), "kertas hampir habis" (near end) or
// "status tidak diketahui" when the printer cannot report.
func (s Status) String() string {
	switch {
	case !s.Known:
		return "status tidak diketahui"
	case !s.OK():
		return s.Problem()
	case s.PaperNearEnd:
		return "Kertas hampir habis"
	}
	return "Siap"
}
