package button

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/antri-id/antri/queue"
)

// DefaultFeedbackWindow is how long after a counter finishes a service its
// satisfaction buttons score that service.
const DefaultFeedbackWindow = 2 * time.Minute

// EventRefused is the type of the live notice (queue.Queue.Publish, not
// stored) sent when the queue refuses a button's command, so the counter page
// can tell the officer why nothing happened.
const EventRefused = queue.NoticeButtonRefused

// KindPrinter is the kind of a ticket button's refusal while the printer cannot print
// (Options.TicketsPrintable).
const KindPrinter queue.ErrorKind = "printer"

// unprintable is the refusal of a ticket press while the printer cannot print, problem
// saying why in a few words for the citizen at the button ("kertas habis"); nil when it
// can.
func unprintable(problem error) error {
	if problem == nil {
		return nil
	}
	why := strings.TrimSuffix(strings.TrimSpace(problem.Error()), ".")
	if why == "" {
		why = "printer bermasalah"
	}
	return &queue.Error{Kind: KindPrinter, Msg: "Maaf, nomor antrean tidak dapat dicetak saat ini (" +
		strings.ToLower(why[:1]) + why[1:] + "). Silakan minta nomor antrean kepada petugas."}
}

// Refusal is the Data of a button_refused notice.
type Refusal struct {
	Pin     string          `json:"pin"`
	Action  string          `json:"action"`
	Kind    queue.ErrorKind `json:"kind,omitempty"` // "" for a storage fault
	Message string          `json:"message"`        // Indonesian, says what to do
}

// Command is the queue command a press of button b stands for. feedback
// buttons score the counter's last service if it finished within the
// button's own window ([[button]] window), or else within window.
func Command(b queue.ButtonConfig, window time.Duration) (queue.Command, error) {
	if b.WindowDur > 0 {
		window = b.WindowDur
	}
	switch b.Action {
	case "ticket":
		return queue.Issue{Service: b.Service, Priority: b.Priority}, nil
	case "call":
		return queue.Call{Counter: b.Counter}, nil
	case "recall":
		return queue.Recall{Counter: b.Counter}, nil
	case "start":
		return queue.Start{Counter: b.Counter}, nil
	case "finish":
		return queue.Finish{Counter: b.Counter, Outcome: queue.OutcomeDone}, nil
	case "incomplete":
		return queue.Finish{Counter: b.Counter, Outcome: queue.OutcomeIncomplete}, nil
	case "noshow":
		return queue.NoShow{Counter: b.Counter}, nil
	case "feedback":
		return queue.Feedback{Counter: b.Counter, Within: window, Score: b.Score}, nil
	}
	return nil, fmt.Errorf("tombol %s: aksi %q tidak dikenal; pilih salah satu: %v", b.Pin, b.Action, queue.ButtonActions)
}

// Describe names what a button does, in Indonesian, for logs and /healthz.
func Describe(b queue.ButtonConfig) string {
	switch b.Action {
	case "ticket":
		if b.Priority {
			return "ambil nomor prioritas layanan " + b.Service
		}
		return "ambil nomor layanan " + b.Service
	case "call":
		return "panggil, loket " + b.Counter
	case "recall":
		return "panggil ulang, loket " + b.Counter
	case "start":
		return "mulai layanan, loket " + b.Counter
	case "finish":
		return "selesai, loket " + b.Counter
	case "incomplete":
		return "berkas belum lengkap, loket " + b.Counter
	case "noshow":
		return "tidak hadir, loket " + b.Counter
	case "feedback":
		return fmt.Sprintf("penilaian %d, loket %s", b.Score, b.Counter)
	}
	return b.Action
}

// refusalEvent is the live notice of a refused press.
func refusalEvent(b queue.ButtonConfig, err error) queue.Event {
	msg := err.Error()
	if queue.KindOf(err) == "" {
		msg = "Tombol " + Describe(b) + " tidak bisa diproses karena gangguan penyimpanan; coba lagi, dan hubungi teknisi bila berulang."
	}
	data, _ := json.Marshal(Refusal{Pin: b.Pin, Action: b.Action, Kind: queue.KindOf(err), Message: msg})
	return queue.Event{Type: EventRefused, Service: b.Service, Counter: b.Counter, Data: data}
}
