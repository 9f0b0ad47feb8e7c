package queue

import (
	"encoding/json"
	"maps"
	"math/big"
	"sort"
)

// SKM is the citizen satisfaction survey of a period (PermenPAN-RB 14/2017):
// the fixed fields of DOMAIN.md, then additions documented in
// docs/INDICATORS.md — answers per element and each element's grade, the
// sample the regulation asks for, the survey per service and the
// respondents' profile.
type SKM struct {
	Responses  int         `json:"responses"`
	NRR        [9]*float64 `json:"nrr"`   // per element: sum of answers / respondents who answered it
	IKM        *float64    `json:"ikm"`   // (Σ NRR_i × 1/9) × 25, unrounded
	Grade      *string     `json:"grade"` // A, B, C or D, graded on the exact value
	GradeLabel *string     `json:"grade_label"`

	// Answered is how many respondents answered each element.
	Answered [9]int `json:"answered"`
	// ElementGrades grade each element on its converted value NRR_i × 25,
	// exact, with the IKM's boundaries: where the office is weakest.
	ElementGrades [9]*string `json:"element_grades"`
	// Population is the number of people served in the period (segments
	// finished, done or incomplete); SampleRequired the minimum number of
	// respondents for it from the Krejcie–Morgan table that
	// PermenPAN-RB 14/2017 prescribes; SampleOK whether Responses reach it.
	Population     int  `json:"population"`
	SampleRequired int  `json:"sample_required"`
	SampleOK       bool `json:"sample_ok"`
	// Services is the survey of the responses that name a service.
	Services map[string]*SKM `json:"services,omitempty"`
	// Profile counts the respondents by what they told of themselves.
	Profile *SKMProfile `json:"profile,omitempty"`

	ikmExact *big.Rat     // the exact IKM, for grading and tests
	elements [9]skmCounts // sums and counts per element
}

// SKMProfile counts respondents by gender ("L", "P"), age group
// (AgeGroups), education and occupation, as given; a respondent who did not
// say is not counted in that table.
type SKMProfile struct {
	Gender     map[string]int `json:"gender"`
	Age        map[string]int `json:"age"`
	Education  map[string]int `json:"education"`
	Occupation map[string]int `json:"occupation"`
}

// AgeGroups are the age groups of the respondents' profile, in order.
var AgeGroups = []string{"<20", "20-29", "30-39", "40-49", "50-59", "60+"}

func ageGroup(age int) string {
	switch {
	case age < 20:
		return AgeGroups[0]
	case age >= 60:
		return AgeGroups[5]
	}
	return AgeGroups[age/10-1]
}

type skmCounts struct{ sum, n int64 }

// Grade boundaries of the IKM (PermenPAN-RB 14/2017), exact.
var (
	ikmD = big.NewRat(6500, 100)
	ikmC = big.NewRat(7661, 100)
	ikmB = big.NewRat(8831, 100)
)

// IKMGrade grades an exact IKM: < 65.00 D (tidak baik), < 76.61 C (kurang
// baik), < 88.31 B (baik), else A (sangat baik).
func IKMGrade(ikm *big.Rat) (grade, label string) {
	switch {
	case ikm.Cmp(ikmD) < 0:
		return "D", "tidak baik"
	case ikm.Cmp(ikmC) < 0:
		return "C", "kurang baik"
	case ikm.Cmp(ikmB) < 0:
		return "B", "baik"
	}
	return "A", "sangat baik"
}

// IKMExact is the unrounded IKM as an exact fraction (nil when there is none).
func (s *SKM) IKMExact() *big.Rat { return s.ikmExact }

// compute fills NRR, IKM and the grades from the element sums. IKM is
// computed as an exact fraction, 25/9 × Σ sum_i/n_i, so that a response set
// exactly on a grade boundary is graded as the regulation says, not as float
// rounding falls.
func (s *SKM) compute() {
	total := new(big.Rat)
	complete := s.Responses > 0
	for i, e := range s.elements {
		s.Answered[i] = int(e.n)
		if e.n == 0 {
			complete = false
			continue
		}
		v := float64(e.sum) / float64(e.n)
		s.NRR[i] = &v
		nrr := big.NewRat(e.sum, e.n)
		g, _ := IKMGrade(new(big.Rat).Mul(nrr, big.NewRat(25, 1)))
		s.ElementGrades[i] = &g
		total.Add(total, nrr)
	}
	s.SampleRequired = SampleSize(s.Population)
	s.SampleOK = s.Responses > 0 && s.Responses >= s.SampleRequired
	if !complete {
		return
	}
	ikm := total.Mul(total, big.NewRat(25, 9))
	s.ikmExact = ikm
	f, _ := ikm.Float64()
	g, l := IKMGrade(ikm)
	s.IKM, s.Grade, s.GradeLabel = &f, &g, &l
}

// krejcieMorgan is the table of PermenPAN-RB 14/2017 (Lampiran, after
// Krejcie and Morgan 1970, 5 % error, 95 % confidence): the minimum sample S
// for a population N, as {N, S} pairs in increasing N.
var krejcieMorgan = [][2]int{
	{10, 10}, {15, 14}, {20, 19}, {25, 24}, {30, 28}, {35, 32}, {40, 36}, {45, 40}, {50, 44}, {55, 48},
	{60, 52}, {65, 56}, {70, 59}, {75, 63}, {80, 66}, {85, 70}, {90, 73}, {95, 76}, {100, 80}, {110, 86},
	{120, 92}, {130, 97}, {140, 103}, {150, 108}, {160, 113}, {170, 118}, {180, 123}, {190, 127}, {200, 132},
	{210, 136}, {220, 140}, {230, 144}, {240, 148}, {250, 152}, {260, 155}, {270, 159}, {280, 162}, {290, 165},
	{300, 169}, {320, 175}, {340, 181}, {360, 186}, {380, 191}, {400, 196}, {420, 201}, {440, 205}, {460, 210},
	{480, 214}, {500, 217}, {550, 226}, {600, 234}, {650, 242}, {700, 248}, {750, 254}, {800, 260}, {850, 265},
	{900, 269}, {950, 274}, {1000, 278}, {1100, 285}, {1200, 291}, {1300, 297}, {1400, 302}, {1500, 306},
	{1600, 310}, {1700, 313}, {1800, 317}, {1900, 320}, {2000, 322}, {2200, 327}, {2400, 331}, {2600, 335},
	{2800, 338}, {3000, 341}, {3500, 346}, {4000, 351}, {4500, 354}, {5000, 357}, {6000, 361}, {7000, 364},
	{8000, 367}, {9000, 368}, {10000, 370}, {15000, 375}, {20000, 377}, {30000, 379}, {40000, 380},
	{50000, 381}, {75000, 382}, {100000, 384},
}

// SampleSize is the minimum number of SKM respondents for a population of
// service users, from the Krejcie–Morgan table of PermenPAN-RB 14/2017. A
// population between two rows takes the larger row's sample (never fewer
// than the table asks); below 10 everyone is asked; above the table, 384.
func SampleSize(population int) int {
	if population <= 0 {
		return 0
	}
	if population < krejcieMorgan[0][0] {
		return population
	}
	i := sort.Search(len(krejcieMorgan), func(i int) bool { return krejcieMorgan[i][0] >= population })
	if i == len(krejcieMorgan) {
		return krejcieMorgan[len(krejcieMorgan)-1][1]
	}
	return krejcieMorgan[i][1]
}

// surveyAcc gathers the SKM responses of the period.
type surveyAcc struct {
	all      skmTally
	services map[string]*skmTally
	profile  SKMProfile
}

type skmTally struct {
	responses int
	elements  [9]skmCounts
}

func (t *skmTally) add(answers [9]int) {
	t.responses++
	for i, a := range answers {
		if a >= 1 && a <= 4 { // 0: not answered
			t.elements[i].sum += int64(a)
			t.elements[i].n++
		}
	}
}

func newSurveyAcc() surveyAcc {
	return surveyAcc{services: map[string]*skmTally{}, profile: SKMProfile{Gender: map[string]int{}, Age: map[string]int{},
		Education: map[string]int{}, Occupation: map[string]int{}}}
}

// addSurvey counts an SKM response of the period: in the office's survey,
// in its service's when it names one, and in the respondents' profile.
func (b *ReportBuilder) addSurvey(ev Event) {
	if !b.inPeriod(ev.At) {
		return
	}
	var d SurveyData
	if json.Unmarshal(ev.Data, &d) != nil {
		return
	}
	a := &b.surveys
	a.all.add(d.Answers)
	if d.Service != "" {
		t := a.services[d.Service]
		if t == nil {
			t = &skmTally{}
			a.services[d.Service] = t
		}
		t.add(d.Answers)
	}
	if p := d.Profile; p != nil {
		if p.Gender != "" {
			a.profile.Gender[p.Gender]++
		}
		if p.Age > 0 {
			a.profile.Age[ageGroup(p.Age)]++
		}
		if p.Education != "" {
			a.profile.Education[p.Education]++
		}
		if p.Occupation != "" {
			a.profile.Occupation[p.Occupation]++
		}
	}
}

// result is the SKM of the period; the population of each survey is the
// number of segments finished in the report's services (r's indicators).
func (a *surveyAcc) result(r *Report) SKM {
	s := SKM{Responses: a.all.responses, elements: a.all.elements, Population: r.Overall.Finished}
	s.compute()
	s.Profile = &SKMProfile{Gender: maps.Clone(a.profile.Gender), Age: maps.Clone(a.profile.Age),
		Education: maps.Clone(a.profile.Education), Occupation: maps.Clone(a.profile.Occupation)}
	if len(a.services) > 0 {
		s.Services = map[string]*SKM{}
		for code, t := range a.services {
			ss := &SKM{Responses: t.responses, elements: t.elements}
			if ind := r.Services[code]; ind != nil {
				ss.Population = ind.Finished
			}
			ss.compute()
			s.Services[code] = ss
		}
	}
	return s
}
