package display

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/antri-id/antri/display/browsertest"
	"github.com/antri-id/antri/queue"
)

// Browser tests of a complaint recorded at a counter (issue 5: a complaint is
// received at the kiosk, the counter or the API) and of the survey page in
// English. They use the helpers of pages_browser_test.go and
// admin_browser_test.go.

func TestBrowserCounterRecordsAComplaint(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	o.issue("A")
	o.issue("A")

	page := tab(t, b, o.url("/counter/1"), 1600, 1200)
	waitJS(t, page, "the lock", `!document.getElementById("unlock").hidden`)
	typeInto(t, page, "#token", "token-1")
	click(t, page, `#unlock button[type="submit"]`)
	waitJS(t, page, "the desk with its complaint section", `!document.getElementById("desk").hidden && !document.getElementById("complaint").hidden`)
	if v := eval[string](t, page, `document.getElementById("cc-ticket").value`); v != "" {
		t.Errorf("with no ticket at the counter, the complaint's ticket is %q, want empty", v)
	}
	// The topics are drawn once the counter's websocket snapshot has arrived.
	waitJS(t, page, "the complaint topics", `document.querySelectorAll("#cc-topic option[value]:not([value=''])").length > 0`)
	topics := eval[[]string](t, page, `[...document.querySelectorAll("#cc-topic option")].map(o => o.value).filter(Boolean)`)
	if got := strings.Join(topics, "|"); got != "Waktu tunggu|Pelayanan petugas|Persyaratan dan biaya|Sarana dan prasarana|Lainnya" {
		t.Errorf("the counter's complaint topics are %q, want the kiosk's", got)
	}

	click(t, page, "#act-call")
	waitJS(t, page, "A-001 called and prefilled as the complaint's ticket",
		textOf("current-number")+` === "A-001" && document.getElementById("cc-ticket").value === "A-001"`)

	// Nothing is sent without a topic.
	typeInto(t, page, "#cc-text", "Antrian tidak bergerak 40 menit, papan nomor mati.")
	click(t, page, "#cc-send")
	waitJS(t, page, "a topic asked for first", `!document.getElementById("cc-error").hidden && `+textOf("cc-error")+`.includes("tentang apa")`)
	if list, _ := o.q.Complaints(context.Background(), ""); len(list) != 0 {
		t.Fatalf("%d complaints stored after a refused form, want 0", len(list))
	}

	setValue(t, page, "#cc-topic", "Waktu tunggu")
	waitJS(t, page, "the refusal gone once a topic is chosen", `document.getElementById("cc-error").hidden`)
	scrollTo(t, page, "complaint-card")
	screenshot(t, page, "counter-complaint-form")
	click(t, page, "#cc-send")
	waitJS(t, page, "the complaint number, large, and where it is listed",
		`/^[0-9]+$/.test(`+textOf("cc-number")+`) && `+textOf("cc-listed")+`.includes("/admin") && `+textOf("cc-listed")+`.includes("A-001")`)
	scrollTo(t, page, "complaint-card")
	screenshot(t, page, "counter-complaint-number")
	if eval[bool](t, page, `!!document.querySelector("#complaint-card [data-act=print], #complaint-card .print")`) {
		t.Error("the counter offers printing a receipt, which needs the admin token")
	}

	var id int64
	fmt.Sscan(eval[string](t, page, textOf("cc-number")), &id)
	c, err := o.q.Complaint(context.Background(), id)
	if err != nil || c.Channel != "loket 1" || c.Ticket != "A-001" || c.Topic != "Waktu tunggu" ||
		c.Text != "Antrian tidak bergerak 40 menit, papan nomor mati." || c.Status != queue.ComplaintReceived {
		t.Fatalf("complaint %d in the store: %+v, %v", id, c, err)
	}
	// The admin's list (what /admin shows) has it too.
	var listed []queue.Complaint
	o.call("GET", "/api/complaints?status=open", "rahasia-admin", nil, &listed)
	if len(listed) != 1 || listed[0].ID != id || listed[0].Channel != "loket 1" || listed[0].Ticket != "A-001" {
		t.Errorf("GET /api/complaints?status=open = %+v, want complaint %d from loket 1 about A-001", listed, id)
	}

	// A second complaint: the officer changes the prefilled ticket, and the
	// counter's next call does not overwrite it.
	click(t, page, "#cc-another")
	waitJS(t, page, "an empty form again with the current ticket", `!document.getElementById("complaint").hidden && document.getElementById("cc-ticket").value === "A-001" && document.getElementById("cc-text").value === ""`)
	typeInto(t, page, "#cc-ticket", "b-007")
	click(t, page, "#act-start")
	waitJS(t, page, "A-001 being served", `document.querySelector(".c-current")?.innerText.includes("Sedang dilayani")`)
	click(t, page, "#act-done")
	waitJS(t, page, "an idle counter", `!document.getElementById("current-number") && !document.getElementById("act-call").disabled`)
	click(t, page, "#act-call")
	waitJS(t, page, "A-002 called", textOf("current-number")+` === "A-002"`)
	if v := eval[string](t, page, `document.getElementById("cc-ticket").value`); v != "b-007" {
		t.Errorf("after the next call the edited ticket became %q, want b-007 kept", v)
	}
	setValue(t, page, "#cc-topic", "Sarana dan prasarana")
	typeInto(t, page, "#cc-text", "Kursi ruang tunggu kurang.")
	click(t, page, "#cc-send")
	waitJS(t, page, "the second number", textOf("cc-listed")+`.includes("B-007")`)
	var id2 int64
	fmt.Sscan(eval[string](t, page, textOf("cc-number")), &id2)
	if c, err := o.q.Complaint(context.Background(), id2); err != nil || id2 == id || c.Ticket != "B-007" || c.Channel != "loket 1" {
		t.Errorf("second complaint %d in the store: %+v, %v", id2, c, err)
	}
}

func TestBrowserSurveyInEnglish(t *testing.T) {
	o := newOffice(t)
	b := browsertest.New(t)
	page := tab(t, b, o.url("/survey?kembali=kiosk"), 1280, 1000)
	waitJS(t, page, "the nine questions in Indonesian", `document.querySelectorAll(".unsur").length === 9 && document.querySelectorAll(".pilihan button").length === 36 && `+
		`document.querySelector("h1").textContent === "Survei Kepuasan Masyarakat (SKM)" && `+textOf("status")+` === "Belum ada jawaban (0 dari 9)"`)
	click(t, page, ".lang-toggle")
	waitJS(t, page, "the page in English", `document.documentElement.lang === "en" && document.querySelector("h1").textContent === "Public Satisfaction Survey (SKM)"`)
	for expr, want := range map[string]string{
		`document.querySelector(".unsur h2").textContent`:                                                                             "U1. Requirements",
		`document.querySelectorAll(".unsur h2")[7].textContent`:                                                                       "U8. Handling of complaints, suggestions and feedback",
		`[...document.querySelectorAll('.unsur')[0].querySelectorAll("button")].map(b => b.innerText.replace(/\s+/g, " ")).join("|")`: "1 Not suitable|2 Somewhat unsuitable|3 Suitable|4 Very suitable",
		textOf("status"):  "No answers yet (0 of 9)",
		textOf("kirim"):   "Send",
		textOf("kembali"): "← Back",
		`document.querySelector(".pilihan").getAttribute("aria-label")`: "Requirements",
	} {
		if got := eval[string](t, page, expr); got != want {
			t.Errorf("%s = %q, want %q", expr, got, want)
		}
	}
	answers := []int{4, 4, 3, 4, 3, 4, 4, 2, 3}
	for i, v := range answers {
		answerSurvey(t, page, i, v)
		if i == 2 {
			waitJS(t, page, "the English count", textOf("status")+` === "3 of 9 answered"`)
		}
	}
	waitJS(t, page, "all answered, in English", textOf("status")+` === "All answered. Press Send." && !document.getElementById("kirim").disabled`)
	eval[bool](t, page, `(window.scrollTo(0, 0), true)`)
	screenshot(t, page, "survey-english")
	click(t, page, "#kirim")
	waitJS(t, page, "the thanks in English", `getComputedStyle(document.getElementById("terimakasih")).display === "block" && `+
		`document.querySelector("#terimakasih h2").textContent === "Thank you for your rating" && `+textOf("kembali-selesai")+` === "Back to the main screen"`)
	screenshot(t, page, "survey-english-thanks")
	wantOneSurvey(t, o, answers)
}
