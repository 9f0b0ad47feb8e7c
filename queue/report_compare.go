package queue

import "sort"

// Comparison is headquarters' view of several offices over one period: each
// office's headline figures, and per indicator the offices ranked best
// first. Every figure is the office's own report's (ReportBuilder), so a
// ranking never disagrees with the reports it comes from.
type Comparison struct {
	Kind     PeriodKind         `json:"kind"`
	Key      string             `json:"key"` // "2026-11", "2026-Q4", "2026"
	Offices  []OfficeFigures    `json:"offices"`
	Rankings map[string][]Place `json:"rankings"` // indicator (RankedIndicators) → places, best first
}

// OfficeFigures are one office's headline figures in a Comparison.
type OfficeFigures struct {
	Office       string              `json:"office"`
	Name         string              `json:"name"`
	Overall      *Indicators         `json:"overall"`
	Complaints   ComplaintIndicators `json:"complaints"`
	Satisfaction Satisfaction        `json:"satisfaction"`
	SKMResponses int                 `json:"skm_responses"`
	IKM          *float64            `json:"ikm"`
	Grade        *string             `json:"grade"`
	SampleOK     bool                `json:"sample_ok"`
}

// Place is an office's place for one indicator: 1 is the best; offices with
// the same value share a place (1, 1, 3); an office with nothing to count
// (null) has place 0 and comes last.
type Place struct {
	Place  int      `json:"place"`
	Office string   `json:"office"`
	Value  *float64 `json:"value"`
}

// RankedIndicator is an indicator offices are ranked on, and which way is
// better. Counts are not ranked: a big office is not worse for having more.
type RankedIndicator struct {
	Key          string // the JSON name of the figure
	Label        string // Indonesian
	HigherBetter bool
	Duration     bool // seconds
	value        func(*OfficeFigures) *float64
}

// RankedIndicators are the indicators of a comparison, in the order a
// meeting reads them.
var RankedIndicators = []RankedIndicator{
	{"on_time_pct", "Tepat waktu", true, false, func(o *OfficeFigures) *float64 { return o.Overall.OnTimePct }},
	{"first_visit_pct", "Tuntas sekali datang", true, false, func(o *OfficeFigures) *float64 { return o.Overall.FirstVisitPct }},
	{"wait_mean_s", "Rata-rata tunggu", false, true, func(o *OfficeFigures) *float64 { return o.Overall.WaitMeanS }},
	{"wait_p90_s", "Persentil 90 tunggu", false, true, func(o *OfficeFigures) *float64 { return o.Overall.WaitP90S }},
	{"service_mean_s", "Rata-rata layanan", false, true, func(o *OfficeFigures) *float64 { return o.Overall.ServiceMeanS }},
	{"wait_on_time_pct", "Tunggu sesuai standar", true, false, func(o *OfficeFigures) *float64 { return o.Overall.WaitOnTimePct }},
	{"service_on_time_pct", "Layanan sesuai standar", true, false, func(o *OfficeFigures) *float64 { return o.Overall.ServiceOnTimePct }},
	{"no_show_pct", "Tidak hadir", false, false, func(o *OfficeFigures) *float64 { return o.Overall.NoShowPct }},
	{"closed_within_standard_pct", "Pengaduan selesai dalam standar", true, false, func(o *OfficeFigures) *float64 { return o.Complaints.ClosedWithinStandardPct }},
	{"satisfied_pct", "Puas (penilaian cepat 3 atau 4)", true, false, func(o *OfficeFigures) *float64 { return o.Satisfaction.SatisfiedPct }},
	{"ikm", "IKM", true, false, func(o *OfficeFigures) *float64 { return o.IKM }},
}

// Value is an office's figure for the indicator.
func (ri RankedIndicator) Value(o *OfficeFigures) *float64 { return ri.value(o) }

// Compare ranks the offices of reports (one each, all of the same period);
// names are the offices' names by id.
func Compare(reports []*Report, names map[string]string) *Comparison {
	c := &Comparison{Offices: []OfficeFigures{}, Rankings: map[string][]Place{}}
	for _, r := range reports {
		c.Kind, c.Key = r.Period.Kind, r.Period.Key
		c.Offices = append(c.Offices, OfficeFigures{Office: r.Office, Name: names[r.Office], Overall: r.Overall,
			Complaints: r.Complaints, Satisfaction: r.Satisfaction, SKMResponses: r.SKM.Responses, IKM: r.SKM.IKM,
			Grade: r.SKM.Grade, SampleOK: r.SKM.SampleOK})
	}
	sort.Slice(c.Offices, func(i, j int) bool { return c.Offices[i].Office < c.Offices[j].Office })
	for _, ri := range RankedIndicators {
		places := make([]Place, len(c.Offices))
		for i := range c.Offices {
			places[i] = Place{Office: c.Offices[i].Office, Value: ri.value(&c.Offices[i])}
		}
		better := func(a, b *float64) bool {
			if ri.HigherBetter {
				return *a > *b
			}
			return *a < *b
		}
		sort.SliceStable(places, func(i, j int) bool { // offices are in id order already
			a, b := places[i].Value, places[j].Value
			switch {
			case a == nil || b == nil:
				return a != nil && b == nil
			}
			return better(a, b)
		})
		for i := range places {
			switch {
			case places[i].Value == nil:
			case i > 0 && places[i-1].Value != nil && *places[i-1].Value == *places[i].Value:
				places[i].Place = places[i-1].Place
			default:
				places[i].Place = i + 1
			}
		}
		c.Rankings[ri.Key] = places
	}
	return c
}
