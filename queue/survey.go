package queue

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

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
	ID      int64          `json:"id"`
	Answers [9]int         `json:"answers"`
	Service string         `json:"service,omitempty"` // the service the respondent used, when said
	Profile *SurveyProfile `json:"profile,omitempty"`
}

// SurveyProfile is what a respondent tells of themselves (DOMAIN.md "MPP
// scale"): every part optional. The SKM report counts respondents by it.
type SurveyProfile struct {
	Gender     string `json:"gender,omitempty"`     // "L" (laki-laki) or "P" (perempuan)
	Age        int    `json:"age,omitempty"`        // years
	Education  string `json:"education,omitempty"`  // as the survey page offers it, e.g. "SMA"
	Occupation string `json:"occupation,omitempty"` // e.g. "Wiraswasta"
}

// maxProfileText bounds the free parts of a profile.
const maxProfileText = 64

// SubmitSurvey stores one SKM response: the nine answers, each 1–4, and
// optionally the service used and the respondent's profile. Pass a pointer
// to Do (q.Do(ctx, &SubmitSurvey{...})); ID is set when it returns.
type SubmitSurvey struct {
	Answers [9]int
	Service string
	Profile *SurveyProfile

	ID int64 // set by Do
}

// check validates the response and tidies its profile.
func (c *SubmitSurvey) check(cfg *Config) error {
	for i, a := range c.Answers {
		if a < 1 || a > 4 {
			return refuse(KindInvalid, "jawaban unsur %d (%s) harus 1 sampai 4, bukan %d", i+1, SKMElements[i], a)
		}
	}
	if c.Service != "" {
		if _, ok := cfg.Service(c.Service); !ok {
			return refuse(KindInvalid, "layanan %q tidak ada; pilih salah satu: %s, atau kosongkan", c.Service, serviceCodes(cfg))
		}
	}
	p := c.Profile
	if p == nil {
		return nil
	}
	p.Education, p.Occupation = strings.TrimSpace(p.Education), strings.TrimSpace(p.Occupation)
	switch {
	case p.Gender != "" && p.Gender != "L" && p.Gender != "P":
		return refuse(KindInvalid, `jenis kelamin %q tidak dikenal; pakai "L" (laki-laki) atau "P" (perempuan), atau kosongkan`, p.Gender)
	case p.Age < 0 || p.Age > 120:
		return refuse(KindInvalid, "umur %d tidak masuk akal; tulis umur dalam tahun, atau kosongkan", p.Age)
	case utf8.RuneCountInString(p.Education) > maxProfileText || utf8.RuneCountInString(p.Occupation) > maxProfileText:
		return refuse(KindInvalid, "pendidikan dan pekerjaan paling banyak %d huruf", maxProfileText)
	}
	if *p == (SurveyProfile{}) {
		c.Profile = nil
	}
	return nil
}

func (c *SubmitSurvey) apply(t *txn) (*Ticket, error) {
	if err := c.check(t.q.cfg); err != nil {
		return nil, err
	}
	a := c.Answers
	var p SurveyProfile
	if c.Profile != nil {
		p = *c.Profile
	}
	res, err := t.tx.ExecContext(t.ctx, `INSERT INTO surveys (at, u1, u2, u3, u4, u5, u6, u7, u8, u9, service, gender, age, education, occupation)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		t.now.String(), a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], c.Service, p.Gender, p.Age, p.Education, p.Occupation)
	if err != nil {
		return nil, fmt.Errorf("menyimpan survei: %w", err)
	}
	if c.ID, err = res.LastInsertId(); err != nil {
		return nil, err
	}
	return nil, t.emit(EventSurvey, nil, c.Service, "", SurveyData{ID: c.ID, Answers: c.Answers, Service: c.Service, Profile: c.Profile})
}
