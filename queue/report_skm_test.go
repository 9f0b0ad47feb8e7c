package queue_test

import (
	"reflect"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// Four people served (three in A, one in B) and two SKM responses: all 4s
// naming A from a 34-year-old man with SMA education, all 3s naming no
// service from a 19-year-old woman. Every NRR is (4+3)/2 = 3.5, converted
// 87.5: B (< 88.31), and so is the IKM. PermenPAN-RB 14/2017 asks all of a
// population under 10: 4 respondents, 2 came.
func TestSKMPerServiceProfileAndSample(t *testing.T) {
	q, clk := queuetest.Open(t, "reports", wib(2026, 11, 2, 8, 0, 0))
	for i := range 3 {
		run(t, q, clk, wib(2026, 11, 2, 8, 10*i, 0), queue.Issue{Service: "A"}, queue.Call{Counter: "1"})
		run(t, q, clk, wib(2026, 11, 2, 8, 10*i+5, 0), queue.Finish{Counter: "1", Outcome: queue.OutcomeDone})
	}
	run(t, q, clk, wib(2026, 11, 2, 9, 0, 0), queue.Issue{Service: "B"}, queue.Call{Counter: "2"})
	run(t, q, clk, wib(2026, 11, 2, 9, 5, 0), queue.Finish{Counter: "2", Outcome: queue.OutcomeIncomplete})
	run(t, q, clk, wib(2026, 11, 2, 9, 6, 0),
		&queue.SubmitSurvey{Answers: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, Service: "A",
			Profile: &queue.SurveyProfile{Gender: "L", Age: 34, Education: " SMA ", Occupation: "Wiraswasta"}},
		&queue.SubmitSurvey{Answers: [9]int{3, 3, 3, 3, 3, 3, 3, 3, 3}, Profile: &queue.SurveyProfile{Gender: "P", Age: 19}})

	s := periodReport(t, q, queue.PeriodMonth, "2026-11").SKM
	if s.Responses != 2 || !sameFloat(s.IKM, f(87.5)) || *s.Grade != "B" || s.Answered != [9]int{2, 2, 2, 2, 2, 2, 2, 2, 2} {
		t.Errorf("skm %d responses, ikm %v %v, answered %v", s.Responses, fmtF(s.IKM), s.Grade, s.Answered)
	}
	for i, g := range s.ElementGrades {
		if g == nil || *g != "B" || !sameFloat(s.NRR[i], f(3.5)) {
			t.Errorf("element %d: nrr %v grade %v, want 3.5 B", i+1, fmtF(s.NRR[i]), g)
		}
	}
	if s.Population != 4 || s.SampleRequired != 4 || s.SampleOK {
		t.Errorf("sample: population %d, required %d, ok %v; want 4, 4, false", s.Population, s.SampleRequired, s.SampleOK)
	}
	a := s.Services["A"]
	if len(s.Services) != 1 || a == nil || a.Responses != 1 || !sameFloat(a.IKM, f(100)) || *a.Grade != "A" ||
		a.Population != 3 || a.SampleRequired != 3 || a.SampleOK {
		t.Errorf("skm of A: %+v", a)
	}
	want := queue.SKMProfile{Gender: map[string]int{"L": 1, "P": 1}, Age: map[string]int{"30-39": 1, "<20": 1},
		Education: map[string]int{"SMA": 1}, Occupation: map[string]int{"Wiraswasta": 1}}
	if s.Profile == nil || !reflect.DeepEqual(*s.Profile, want) {
		t.Errorf("profile %+v, want %+v", s.Profile, want)
	}

	// What the survey refuses, in words the kiosk can show.
	for _, bad := range []*queue.SubmitSurvey{
		{Answers: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, Service: "Z"},
		{Answers: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, Profile: &queue.SurveyProfile{Gender: "X"}},
		{Answers: [9]int{4, 4, 4, 4, 4, 4, 4, 4, 4}, Profile: &queue.SurveyProfile{Age: 300}},
	} {
		if _, err := q.Do(ctx, bad); queue.KindOf(err) != queue.KindInvalid {
			t.Errorf("%+v: %v, want a refusal", bad, err)
		}
	}
}

// The Krejcie–Morgan table of PermenPAN-RB 14/2017 at hand-picked rows, a
// population between rows (the larger row's sample), and beyond the table.
func TestSampleSize(t *testing.T) {
	for n, want := range map[int]int{0: 0, 1: 1, 9: 9, 10: 10, 11: 14, 100: 80, 101: 86, 278: 162, 1000: 278,
		1234: 297, 2000: 322, 10000: 370, 100000: 384, 5_000_000: 384} {
		if got := queue.SampleSize(n); got != want {
			t.Errorf("SampleSize(%d) = %d, want %d", n, got, want)
		}
	}
	// The table is the formula S = χ²NP(1−P) / (d²(N−1) + χ²P(1−P)),
	// χ² = 3.841, P = 0.5, d = 0.05, rounded: for every population the sample
	// never falls short of the formula (a row typed too low shows here) and
	// never shrinks as the population grows (nor one typed too high).
	prev := 0
	for n := 10; n <= 100000; n++ {
		f := 3.841 * float64(n) * 0.25 / (0.0025*float64(n-1) + 3.841*0.25)
		got := queue.SampleSize(n)
		if float64(got) < f-0.5 || got < prev {
			t.Fatalf("SampleSize(%d) = %d: formula %.2f, previous %d", n, got, f, prev)
		}
		prev = got
	}
}
