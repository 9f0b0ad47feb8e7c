package queue_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// surveyBuilder feeds survey events for March 2024 straight into a builder,
// as headquarters would receive them.
func surveyReport(t *testing.T, answers [][9]int) queue.SKM {
	t.Helper()
	b, err := queue.NewReport("mpp-uji", "2024-03", jakarta)
	if err != nil {
		t.Fatal(err)
	}
	at := wib(2024, 3, 1, 0, 0, 0)
	for i, a := range answers {
		data, _ := json.Marshal(queue.SurveyData{ID: int64(i + 1), Answers: a})
		b.Add(queue.Event{Seq: int64(i + 1), Type: queue.EventSurvey, At: at.Add(time.Duration(i) * time.Second), Data: data})
	}
	// A response of April and one of February do not count in March.
	late, _ := json.Marshal(queue.SurveyData{Answers: [9]int{1, 1, 1, 1, 1, 1, 1, 1, 1}})
	b.Add(queue.Event{Seq: int64(len(answers) + 1), Type: queue.EventSurvey, At: wib(2024, 4, 1, 0, 0, 0), Data: late})
	b.Add(queue.Event{Seq: int64(len(answers) + 2), Type: queue.EventSurvey, At: wib(2024, 2, 29, 23, 59, 59), Data: late})
	return b.Report().SKM
}

func all(v int) [9]int { return [9]int{v, v, v, v, v, v, v, v, v} }

// repeat gives n respondents answering v to every element.
func repeat(n, v int) [][9]int {
	out := make([][9]int, n)
	for i := range out {
		out[i] = all(v)
	}
	return out
}

func TestSKMWorkedExamples(t *testing.T) {
	cat := func(parts ...[][9]int) [][9]int {
		var out [][9]int
		for _, p := range parts {
			out = append(out, p...)
		}
		return out
	}
	// When every element has the same sum S over n respondents, every
	// NRR_i = S/n and IKM = (9 × S/n × 1/9) × 25 = 25 × S/n.
	lower := func(set [][9]int) [][9]int { // one answer of the last respondent lowered by 1
		set[len(set)-1][8]--
		return set
	}
	cases := []struct {
		name    string
		answers [][9]int
		ikm     *big.Rat // exact
		grade   string
	}{
		{"all 4: the maximum", repeat(1, 4), big.NewRat(100, 1), "A"},
		{"all 1: the minimum", repeat(3, 1), big.NewRat(25, 1), "D"},
		// 3 respondents all 3 and 2 all 2: NRR_i = (9+4)/5 = 2.6; IKM = 25 × 2.6 = 65.00 exactly: C, not D.
		{"exactly 65.00", cat(repeat(3, 3), repeat(2, 2)), big.NewRat(65, 1), "C"},
		// One answer of element 9 lowered from 2 to 1: NRR_9 = 12/5 = 2.4, the
		// others 2.6: IKM = 25/9 × (8×2.6 + 2.4) = 25/9 × 23.2 = 64.444…: D.
		{"just under 65.00", lower(cat(repeat(3, 3), repeat(2, 2))), big.NewRat(25*232, 90), "D"},
		// 161 respondents all 4 and 2339 all 3: S/n = (644+7017)/2500 = 7661/2500,
		// IKM = 25 × 7661/2500 = 76.61 exactly: B, not C.
		{"exactly 76.61", cat(repeat(161, 4), repeat(2339, 3)), big.NewRat(7661, 100), "B"},
		// One answer lowered: NRR_9 = 7660/2500; IKM = 25/9 × (8×7661 + 7660)/2500 = 76.6088…: C.
		{"just under 76.61", lower(cat(repeat(161, 4), repeat(2339, 3))), big.NewRat(25*(8*7661+7660), 9*2500), "C"},
		// 1331 all 4 and 1169 all 3: S/n = (5324+3507)/2500 = 8831/2500; IKM = 88.31 exactly: A.
		{"exactly 88.31", cat(repeat(1331, 4), repeat(1169, 3)), big.NewRat(8831, 100), "A"},
		{"just under 88.31", lower(cat(repeat(1331, 4), repeat(1169, 3))), big.NewRat(25*(8*8831+8830), 9*2500), "B"},
		// Mixed elements: respondent 1 answers 4,3,2,1,4,3,2,1,4 and respondent 2
		// 2,2,2,2,2,2,2,2,2: NRR = 3,2.5,2,1.5,3,2.5,2,1.5,3; Σ = 21; IKM = 21/9 × 25 = 58.33…: D.
		{"mixed elements", [][9]int{{4, 3, 2, 1, 4, 3, 2, 1, 4}, all(2)}, big.NewRat(21*25, 9), "D"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := surveyReport(t, tc.answers)
			if s.Responses != len(tc.answers) {
				t.Errorf("responses = %d, want %d", s.Responses, len(tc.answers))
			}
			if s.IKMExact() == nil || s.IKMExact().Cmp(tc.ikm) != 0 {
				t.Errorf("IKM = %v, want exactly %v", s.IKMExact(), tc.ikm.RatString())
			}
			want, _ := tc.ikm.Float64()
			if s.IKM == nil || *s.IKM != want {
				t.Errorf("ikm JSON = %v, want %v", fmtF(s.IKM), want)
			}
			if s.Grade == nil || *s.Grade != tc.grade {
				t.Errorf("grade = %v, want %s", s.Grade, tc.grade)
			}
		})
	}
}

func TestSKMNRRPerElement(t *testing.T) {
	// Element 1 unanswered (0) by the second respondent: NRR_1 = 4/1 = 4,
	// not 4/2. Elements 2–9: (3+1)/2 = 2. IKM = 25/9 × (4 + 8×2) = 500/9.
	s := surveyReport(t, [][9]int{{4, 3, 3, 3, 3, 3, 3, 3, 3}, {0, 1, 1, 1, 1, 1, 1, 1, 1}})
	if !sameFloat(s.NRR[0], f(4)) || !sameFloat(s.NRR[1], f(2)) || !sameFloat(s.NRR[8], f(2)) {
		t.Errorf("nrr = %v %v %v, want 4 2 2", fmtF(s.NRR[0]), fmtF(s.NRR[1]), fmtF(s.NRR[8]))
	}
	if s.IKMExact().Cmp(big.NewRat(500, 9)) != 0 || *s.Grade != "D" {
		t.Errorf("IKM = %v grade %v, want 500/9 D", s.IKMExact(), *s.Grade)
	}
	none := surveyReport(t, nil)
	b, _ := json.Marshal(none)
	// The DOMAIN.md fields first, all null; the additions follow.
	if want := `{"responses":0,"nrr":[null,null,null,null,null,null,null,null,null],"ikm":null,"grade":null,"grade_label":null,`; !strings.HasPrefix(string(b), want) {
		t.Errorf("no responses: %s, want %s", b, want)
	}
}
