package queuetest

import (
	"context"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
)

// MonthPlan is a month of a working office for Month: how many tickets
// each counter's service gets a day, who sits at each counter, and what the
// test adds at the start of each day. The same plan gives the same history.
type MonthPlan struct {
	Month    string            // YYYY-MM
	PerDay   int               // tickets per counter per working day
	Seed     uint64            // the history's randomness
	Officers map[string]string // counter id → the officer calling there ("" or absent: none)
	Surveys  int               // SKM responses a day, naming a service and a profile
	// ServiceScale, when set, multiplies the service times of a counter's
	// day (0.8: a fifth faster), as a better procedure would.
	ServiceScale func(day time.Time, counter string) float64
	// Morning, when set, runs at 07:30 of each working day, before the first
	// ticket: a test revises a standard or receives a complaint there.
	Morning func(day time.Time)
}

// Month drives the office of q through the working days (Monday to Friday)
// of a month on its fake clock: tickets arrive at each counter's first
// service between 08:00 and 13:00 and are called in turn, some not coming
// (no-show), some served incomplete, most done, with quick scores; then the
// day is closed. Each counter must serve a service no other counter serves
// (the call order is then the arrival order). It returns the number of
// tickets issued. The clock ends at 00:30 after the last day.
func Month(t testing.TB, q *queue.Queue, clk *queue.FakeClock, plan MonthPlan) int {
	t.Helper()
	cfg := q.Config()
	start, err := time.ParseInLocation("2006-01", plan.Month, cfg.Location)
	if err != nil {
		t.Fatalf("queuetest.Month: month %q: %v", plan.Month, err)
	}
	rng := rand.New(rand.NewPCG(plan.Seed, 12))
	ctx := context.Background()
	issued := 0
	do := func(when time.Time, cmd queue.Command) *queue.Ticket {
		t.Helper()
		if d := when.Sub(clk.Now().Wall); d > 0 {
			clk.Advance(d)
		}
		tk, err := q.Do(ctx, cmd)
		if err != nil {
			t.Fatalf("queuetest.Month %s: %T%+v: %v", when.Format("2006-01-02 15:04:05"), cmd, cmd, err)
		}
		return tk
	}
	for day := start; day.Month() == start.Month(); day = day.AddDate(0, 0, 1) {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		if plan.Morning != nil {
			if d := day.Add(7*time.Hour + 30*time.Minute).Sub(clk.Now().Wall); d > 0 {
				clk.Advance(d)
			}
			plan.Morning(day)
		}
		type action struct {
			at  time.Time
			seq int
			cmd queue.Command
		}
		var acts []action
		add := func(at time.Time, cmd queue.Command) { acts = append(acts, action{at, len(acts), cmd}) }
		for _, k := range cfg.Counters {
			svc := k.Services[0]
			arrivals := make([]time.Duration, plan.PerDay)
			for i := range arrivals {
				arrivals[i] = 8*time.Hour + time.Duration(rng.Int64N(int64(5*time.Hour)))
			}
			sort.Slice(arrivals, func(i, j int) bool { return arrivals[i] < arrivals[j] })
			free := time.Duration(0)
			for _, a := range arrivals {
				add(day.Add(a), queue.Issue{Service: svc})
				call := max(free, a+30*time.Second)
				add(day.Add(call), queue.Call{Counter: k.ID, Officer: plan.Officers[k.ID]})
				if rng.IntN(15) == 0 {
					add(day.Add(call+2*time.Minute), queue.NoShow{Counter: k.ID})
					free = call + 2*time.Minute + time.Second
					continue
				}
				begin := call + time.Duration(rng.IntN(90))*time.Second
				add(day.Add(begin), queue.Start{Counter: k.ID})
				service := time.Duration(120+rng.IntN(600)) * time.Second
				if plan.ServiceScale != nil {
					service = time.Duration(float64(service) * plan.ServiceScale(day, k.ID))
				}
				end := begin + service
				out := queue.OutcomeDone
				if rng.IntN(8) == 0 {
					out = queue.OutcomeIncomplete
				}
				add(day.Add(end), queue.Finish{Counter: k.ID, Outcome: out})
				if rng.IntN(3) == 0 {
					add(day.Add(end+10*time.Second), queue.Feedback{Counter: k.ID, Within: time.Minute, Score: 2 + rng.IntN(3)})
				}
				free = end + 20*time.Second
			}
		}
		for i := 0; i < plan.Surveys; i++ {
			var answers [9]int
			for j := range answers {
				answers[j] = 2 + rng.IntN(3)
			}
			gender := []string{"L", "P"}[rng.IntN(2)]
			edu := []string{"SMA", "D3", "S1", "SMP"}[rng.IntN(4)]
			job := []string{"Wiraswasta", "Pegawai swasta", "PNS", "Pelajar/mahasiswa"}[rng.IntN(4)]
			svc := cfg.Counters[rng.IntN(len(cfg.Counters))].Services[0]
			add(day.Add(14*time.Hour+time.Duration(i)*time.Minute), &queue.SubmitSurvey{Answers: answers, Service: svc,
				Profile: &queue.SurveyProfile{Gender: gender, Age: 18 + rng.IntN(50), Education: edu, Occupation: job}})
		}
		sort.SliceStable(acts, func(i, j int) bool {
			if !acts[i].at.Equal(acts[j].at) {
				return acts[i].at.Before(acts[j].at)
			}
			return acts[i].seq < acts[j].seq
		})
		for _, a := range acts {
			if _, ok := a.cmd.(queue.Issue); ok {
				issued++
			}
			do(a.at, a.cmd)
		}
		next := day.AddDate(0, 0, 1).Add(30 * time.Minute)
		if d := next.Sub(clk.Now().Wall); d > 0 {
			clk.Advance(d)
		}
		if err := q.CloseDay(ctx); err != nil {
			t.Fatalf("queuetest.Month: closing %s: %v", day.Format("2006-01-02"), err)
		}
	}
	if issued == 0 {
		t.Fatalf("queuetest.Month: %s has no working day", plan.Month)
	}
	return issued
}
