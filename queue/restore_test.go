package queue_test

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// lostOffice plays a month-crossing history of the "reports" office through every
// command that writes something: issues (priority too), calls, recalls, starts, both
// outcomes, no-shows, a transfer with its note, a day close, prints that fail and are
// reprinted, feedback, a standard revision, complaints through every step, surveys and
// the running text, incidents and a paper log of manual numbers, over two boots of the Pi.
func lostOffice(t *testing.T) (*queue.Queue, *queue.FakeClock) {
	t.Helper()
	q, clk := queuetest.Open(t, "reports", wib(2026, 10, 30, 9, 0, 0))
	step := func(d time.Duration) { clk.Advance(d) }
	for day := 0; day < 3; day++ {
		if day > 0 {
			clk.Advance(22 * time.Hour) // the next morning; what still waits expires
			if err := q.CloseDay(ctx); err != nil {
				t.Fatal(err)
			}
		}
		for i := 0; i < 4; i++ {
			a := do(t, q, queue.Issue{Service: "A", Priority: i == 3})
			do(t, q, queue.PrintResult{TicketID: a.ID, OK: i != 1, Problem: "Kertas habis"})
			if i == 1 {
				do(t, q, queue.PrintResult{TicketID: a.ID, OK: true})
			}
			do(t, q, queue.Issue{Service: "B"})
			step(90 * time.Second)
		}
		if day == 2 {
			do(t, q, queue.Resume{Counter: "2"}, queue.SignIn{Counter: "1", Name: "Siti Rahma"}, queue.SignOut{Counter: "1"})
		}
		if day == 0 {
			do(t, q, queue.SignIn{Counter: "2", Name: "Budi Santoso", NIP: "19800101 200501 1 001"})
			do(t, q, queue.Pause{Counter: "1", Reason: "istirahat"})
			step(time.Minute)
			do(t, q, queue.Resume{Counter: "1"})
			do(t, q, &queue.PairDevice{Kind: queue.DeviceKiosk, Name: "Tablet pintu"})
			do(t, q, &queue.PairDevice{Kind: queue.DeviceCounter, Counter: "2"})
			do(t, q, &queue.RevokeDevice{ID: 1})
		}
		do(t, q, queue.Call{Counter: "1", Officer: "Siti Rahma"})
		step(time.Minute)
		do(t, q, queue.Recall{Counter: "1"}, queue.Start{Counter: "1"})
		step(4 * time.Minute)
		done := do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
		do(t, q, queue.Feedback{TicketID: done.ID, Score: 3 + day%2})
		do(t, q, queue.Call{Counter: "1"}, queue.Finish{Counter: "1", Outcome: queue.OutcomeIncomplete})
		no := do(t, q, queue.Call{Counter: "1"}, queue.NoShow{Counter: "1"})
		do(t, q, queue.Requeue{Counter: "1", Number: no.Number}) // the citizen came back
		do(t, q, queue.Call{Counter: "1", Number: no.Number}, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
		do(t, q, queue.Call{Counter: "2"})
		step(2 * time.Minute)
		do(t, q, queue.Transfer{Counter: "2", Service: "A", Note: "berkas \"KTP\" <asli> & fotokopi", Unit: "Dinas Penanaman Modal"})
		do(t, q, queue.Call{Counter: "1"}, queue.Start{Counter: "1"})
		step(11 * time.Minute) // past the 5-minute service standard
		do(t, q, queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
		if day == 1 {
			do(t, q, queue.SignIn{Counter: "2", Name: "Dewi Lestari"}, queue.SignIn{Counter: "2", Name: "Budi Santoso"}, queue.Close{Counter: "2"})
			do(t, q, queue.ReviseStandard{Service: "B", Wait: 25 * time.Minute, ServiceTime: 12 * time.Minute,
				Reason: "Keputusan Kepala Dinas", Effective: clk.Now().Wall.Add(time.Hour)})
			do(t, q, queue.SetRunningText{Text: "Selamat datang"})
			// Crisis mode (issue 15): a surge opened and closed by the watch, an outage
			// written afterwards, a paper log entered (its manual-numbers incident too).
			do(t, q, queue.OpenIncident{Type: queue.IncidentSurge, Service: "A", Note: "Otomatis: lonjakan", Source: queue.SourceAuto})
			step(time.Minute)
			do(t, q, queue.CloseIncident{Type: queue.IncidentSurge, Service: "A", Note: "Reda"})
			now := clk.Now().Wall
			ago := func(d time.Duration) *time.Time { t := now.Add(-d).Truncate(time.Minute); return &t }
			do(t, q, queue.OpenIncident{Type: queue.IncidentOutage, Start: *ago(3 * time.Hour), End: *ago(2 * time.Hour), Note: "Listrik padam"})
			if _, err := q.Backfill(ctx, queue.BackfillRequest{Note: "Listrik padam", Tickets: []queue.BackfillTicket{
				{Number: "A-M01", Service: "A", Issued: *ago(170 * time.Minute), Called: ago(160 * time.Minute), Started: ago(159 * time.Minute), Finished: ago(150 * time.Minute), Outcome: "done", Counter: "1"},
				{Number: "A-M02", Issued: *ago(165 * time.Minute), Called: ago(150 * time.Minute), Outcome: "no_show", Counter: "1"},
				{Number: "B-M01", Service: "B", Issued: *ago(140 * time.Minute), Outcome: "expired", Priority: true},
			}}); err != nil {
				t.Fatal(err)
			}
			clk.Reboot("second-boot") // a power cut: the boot clock restarts
		}
		c, err := q.ReceiveComplaint(ctx, queue.ReceiveComplaint{Channel: "kiosk", Topic: "Antrean lama", Text: fmt.Sprintf("Hari %d menunggu lama", day), Ticket: "A-001"})
		if err != nil {
			t.Fatal(err)
		}
		do(t, q, queue.UpdateComplaint{ID: c.ID, Status: queue.ComplaintRecorded, Note: "dicatat"})
		if day != 2 {
			do(t, q, queue.UpdateComplaint{ID: c.ID, Status: queue.ComplaintClosed, Note: "sudah ditangani"})
		}
		do(t, q, &queue.SubmitSurvey{Answers: [9]int{4, 3, 3, 2, 4, 4, 3, 1 + day, 4}, Service: "A",
			Profile: &queue.SurveyProfile{Gender: "P", Age: 30 + day, Education: "SMA", Occupation: "Wiraswasta"}})
	}
	do(t, q, queue.SetRunningText{Text: "Kantor tutup pukul 15.00"})
	return q, clk
}

// rawEvents is the office's outbox as stored, what headquarters keeps.
func rawEvents(t *testing.T, st *queue.Store) []json.RawMessage {
	t.Helper()
	_, bodies, err := st.RawEventsAfter(ctx, 0, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	return bodies
}

// rebuilt folds events into a new store of cfg's office.
func rebuilt(t *testing.T, cfg *queue.Config, events []json.RawMessage, at time.Time) (*queue.Store, queue.RebuildSummary) {
	t.Helper()
	st, err := queue.OpenStore(filepath.Join(t.TempDir(), "antri.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	rb, err := st.Rebuild(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		if err := rb.Add(ev); err != nil {
			t.Fatal(err)
		}
	}
	sum, err := rb.Finish(rb.After(), at) // headquarters holds them all
	if err != nil {
		t.Fatal(err)
	}
	return st, sum
}

// notRebuilt are the columns the events do not carry (restore.go says why), per table;
// "*" is a whole table.
var notRebuilt = map[string][]string{
	"sync_state":        {"*"}, // the uploader's own progress: set to what headquarters holds
	"sync_dead_letters": {"*"},
	"tickets":           {"code"},       // the ticket's secret: never in an event, never at headquarters
	"clock_anchors":     {"*"},          // readings of the lost Pi's boots (day.go); the new Pi anchors its own
	"devices":           {"token_hash"}, // a paired device's secret stays on the office: pair it anew
}

// tableRows reads every row of every table of st, each as its columns' SQL literals
// (quote(): text and blobs differ), sorted.
func tableRows(t *testing.T, st *queue.Store) map[string][]string {
	t.Helper()
	db := st.Reader()
	names := []string{}
	rows, err := db.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	out := map[string][]string{}
	for _, table := range names {
		skip := map[string]bool{}
		for _, c := range notRebuilt[table] {
			skip[c] = true
		}
		if skip["*"] {
			continue
		}
		var cols []string
		crows, err := db.Query(`SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for crows.Next() {
			var c string
			crows.Scan(&c)
			if !skip[c] {
				cols = append(cols, "quote("+c+")")
			}
		}
		crows.Close()
		out[table] = selectAll(t, db, `SELECT `+strings.Join(cols, ` || '|' || `)+` FROM "`+table+`" ORDER BY 1`)
	}
	return out
}

func selectAll(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// TestRebuildEqualsTheLostDatabase: an office's events alone give back its database,
// table by table, row by row; its reports are the same, and its numbering continues.
func TestRebuildEqualsTheLostDatabase(t *testing.T) {
	q, clk := lostOffice(t)
	events := rawEvents(t, q.Store())
	st, sum := rebuilt(t, q.Config(), events, clk.Now().Wall)

	want, got := tableRows(t, q.Store()), tableRows(t, st)
	for table, rows := range want {
		if !reflect.DeepEqual(rows, got[table]) {
			t.Errorf("table %s differs after the rebuild:\nlost:     %q\nrebuilt:  %q", table, rows, got[table])
		}
	}
	if len(want["tickets"]) == 0 || len(want["complaint_steps"]) == 0 || len(want["prints"]) == 0 || len(want["counter_state"]) < 2 || len(want["devices"]) != 2 {
		t.Fatalf("the history wrote too little to compare: %v", want)
	}
	if sum.Events != int64(len(events)) || sum.Tickets != int64(len(want["tickets"])) || sum.LastNumbers["A"] != "A-004" {
		t.Errorf("summary %+v", sum)
	}
	acked, _, err := st.SyncAcked(ctx)
	if err != nil || acked != int64(len(events)) {
		t.Errorf("the uploader would send again: acked %d of %d (%v)", acked, len(events), err)
	}

	restored := queue.New(q.Config(), st, clk)
	defer restored.Close()
	for _, month := range []string{"2026-10", "2026-11"} {
		a, err := q.MonthlyReport(ctx, month)
		if err != nil {
			t.Fatal(err)
		}
		b, err := restored.MonthlyReport(ctx, month)
		if err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if string(ja) != string(jb) {
			t.Errorf("report %s differs:\nlost:     %s\nrestored: %s", month, ja, jb)
		}
	}
	// The same day goes on: the next ticket of A follows the last one.
	next := do(t, restored, queue.Issue{Service: "A"})
	lost := do(t, q, queue.Issue{Service: "A"})
	if next.Number != lost.Number || next.ID != lost.ID {
		t.Errorf("restored office issues %s (id %d), the lost one would have issued %s (id %d)", next.Number, next.ID, lost.Number, lost.ID)
	}
	if seq, _ := st.LastSeq(ctx); seq != int64(len(events))+1 {
		t.Errorf("the next event is %d, want %d", seq, len(events)+1)
	}
}

// TestRebuildRefusesWhatIsNotTheOfficesWholeHistory: a gap, another office's events or
// an event type this antrid does not know stop the rebuild instead of restoring a
// database that is silently wrong.
func TestRebuildRefusesWhatIsNotTheOfficesWholeHistory(t *testing.T) {
	q, _ := queuetest.Open(t, "reports", wib(2026, 11, 2, 9, 0, 0))
	do(t, q, queue.Issue{Service: "A"}, queue.Issue{Service: "A"}, queue.Call{Counter: "1"})
	events := rawEvents(t, q.Store())
	other := queuetest.Office(t, "reports", func(c *queue.Config) { c.Office.ID = "mpp-lain" })
	unknown := json.RawMessage(strings.Replace(string(events[2]), `"type":"called"`, `"type":"diramal"`, 1))
	for name, c := range map[string]struct {
		cfg    *queue.Config
		events []json.RawMessage
		want   string
	}{
		"gap":          {q.Config(), []json.RawMessage{events[0], events[2]}, "tanpa celah"},
		"other office": {other, events, "bukan \"mpp-lain\""},
		"unknown type": {q.Config(), []json.RawMessage{events[0], events[1], unknown}, "tidak dikenal"},
	} {
		t.Run(name, func(t *testing.T) {
			st, err := queue.OpenStore(filepath.Join(t.TempDir(), "antri.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			rb, err := st.Rebuild(ctx, c.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer rb.Abort()
			for _, ev := range c.events {
				if err = rb.Add(ev); err != nil {
					break
				}
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("want a refusal saying %q, got %v", c.want, err)
			}
		})
	}
}

// TestStandardsAreWholeSeconds: events carry a ticket's standards in seconds, so a
// standard with a fraction of a second is refused in the config and in a revision
// rather than judged one way at the office and another after a restore or at
// headquarters.
func TestStandardsAreWholeSeconds(t *testing.T) {
	text := strings.Replace(string(queuetest.Fixture("reports")), `wait_standard = "10m"`, `wait_standard = "1500ms"`, 1)
	if _, err := queue.ParseConfig("uji.toml", []byte(text)); err == nil || !strings.Contains(err.Error(), "detik bulat") {
		t.Errorf("config with 1500ms: %v", err)
	}
	q, _ := queuetest.Open(t, "reports", wib(2026, 11, 2, 9, 0, 0))
	_, err := q.Do(ctx, queue.ReviseStandard{Service: "A", Wait: 90500 * time.Millisecond, ServiceTime: time.Minute, Reason: "uji"})
	wantKind(t, err, queue.KindInvalid)
}
