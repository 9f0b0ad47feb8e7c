package queue

import "fmt"

// EventSurvey records one SKM response; its Data is SurveyData.
const EventSurvey = "survey"

// SKMElements are the nine elements (unsur) of the SKM survey of
// PermenPAN-RB 14/2017, in order, as the kiosk page asks them.
var SKMElements = [9]string{
	"Persyaratan",
	"Sistem, mekanisme, dan prosedur",
	"Waktu penyelesaian",
	"Biaya/tarif",
	"Produk spesifikasi jenis pelayanan",
	"Kompetensi pelaksana",
	"Perilaku pelaksana",
	"Penanganan pengaduan, saran dan masukan",
	"Sarana dan prasarana",
}

// SurveyData is the Data of a survey event.
type SurveyData struct {
	ID      int64  `json:"id"`
	Answers [9]int `json:"answers"`
}

// SubmitSurvey stores one SKM response: the nine answers, each 1–4. Pass a
// pointer to Do (q.Do(ctx, &SubmitSurvey{...})); ID is set when it returns.
type SubmitSurvey struct {
	Answers [9]int

	ID int64 // set by Do
}

func (c *SubmitSurvey) apply(t *txn) (*Ticket, error) {
	for i, a := range c.Answers {
		if a < 1 || a > 4 {
			return nil, refuse(KindInvalid, "jawaban unsur %d (%s) harus 1 sampai 4, bukan %d", i+1, SKMElements[i], a)
		}
	}
	a := c.Answers
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO surveys (at, u1, u2, u3, u4, u5, u6, u7, u8, u9) VALUES (?,?,?,?,?,?,?,?,?,?)`,
		t.now.String(), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8])
	if err != nil {
		return nil, fmt.Errorf("menyimpan survei: %w", err)
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	return nil, t.emit(EventSurvey, nil, "", "", SurveyData{ID: c.ID, Answers: c.Answers})
}
