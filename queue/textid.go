package queue

import (
	"strconv"
	"time"
)

// Dates and times in Indonesian as people read them, the way PUEBI writes them: the day
// and month by name ("Senin, 2 Maret 2026") and the time with a point ("09.30"). The
// printed ticket, the complaint receipt and the reports use these.

// MonthNames are the Indonesian names of the months, January first.
var MonthNames = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

// DayNames are the Indonesian names of the days, in time.Weekday order (Sunday first).
var DayNames = [7]string{"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"}

// DateText says t's date: "2 Maret 2026".
func DateText(t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + MonthNames[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DayText says t's day with its name: "Senin, 2 Maret 2026".
func DayText(t time.Time) string { return DayNames[t.Weekday()] + ", " + DateText(t) }

// ClockText says t's time of day: "09.30".
func ClockText(t time.Time) string { return t.Format("15.04") }
