package export

import (
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

// book is a workbook being written, with the few styles every sheet shares.
// The first error sticks: later calls do nothing, and close returns it.
type book struct {
	x      *excelize.File
	err    error
	styles map[string]int
}

// Number formats of the workbook. Durations are fractions of a day shown as
// minutes and seconds ("12:34"), so Excel can still add and average them;
// percentages are fractions shown as percentages.
const (
	fmtDuration = "[m]:ss"
	fmtHours    = "[h]:mm"
	fmtPercent  = "0.0%"
	fmtInt      = "#,##0"
	fmtNumber   = "0.00"
	fmtNRR      = "0.000"
	fmtDate     = "dd/mm/yyyy"
	fmtDateTime = "dd/mm/yyyy hh:mm:ss"
)

const (
	headFill  = "DCE6F1" // header rows
	totalFill = "F2F2F2" // total rows
)

func newBook() *book {
	b := &book{x: excelize.NewFile(), styles: map[string]int{}}
	numFmts := map[string]string{"int": fmtInt, "dur": fmtDuration, "hours": fmtHours, "pct": fmtPercent,
		"num": fmtNumber, "nrr": fmtNRR, "date": fmtDate, "datetime": fmtDateTime, "text": ""}
	for name, nf := range numFmts {
		for _, bold := range []bool{false, true} {
			s := &excelize.Style{Alignment: &excelize.Alignment{Vertical: "top"}}
			if nf != "" {
				f := nf
				s.CustomNumFmt = &f
			} else {
				s.Alignment.WrapText = true
			}
			key := name
			if bold {
				s.Font = &excelize.Font{Bold: true}
				s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{totalFill}}
				s.Border = []excelize.Border{{Type: "top", Color: "808080", Style: 1}}
				key += "-total"
			}
			b.style(key, s)
		}
	}
	b.style("head", &excelize.Style{Font: &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{headFill}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"},
		Border:    []excelize.Border{{Type: "bottom", Color: "808080", Style: 1}}})
	b.style("title", &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	b.style("section", &excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}})
	b.style("note", &excelize.Style{Font: &excelize.Font{Italic: true, Color: "404040"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	b.style("warn", &excelize.Style{Font: &excelize.Font{Bold: true, Color: "9C0006"},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	return b
}

func (b *book) style(name string, s *excelize.Style) {
	if b.err != nil {
		return
	}
	b.styles[name], b.err = b.x.NewStyle(s)
}

// sheet adds a sheet (the first one renames the default sheet).
func (b *book) sheet(name string, first bool) {
	if b.err != nil {
		return
	}
	if first {
		b.err = b.x.SetSheetName("Sheet1", name)
		return
	}
	_, b.err = b.x.NewSheet(name)
}

// cellValue is what a kind of value becomes in a cell, and its style.
func cellValue(k kind, v any) (any, string) {
	switch k {
	case kText:
		return v, "text"
	case kDate, kDateTime:
		t, ok := v.(time.Time)
		if !ok {
			return nil, "text"
		}
		name := "datetime"
		if k == kDate {
			name = "date"
		}
		return excelTime(t), name
	}
	var f float64
	switch n := v.(type) {
	case nil:
		return nil, "text"
	case *float64:
		if n == nil {
			return nil, "text"
		}
		f = *n
	case float64:
		f = n
	case int:
		f = float64(n)
	case int64:
		f = float64(n)
	default:
		return v, "text"
	}
	switch k {
	case kDuration:
		return f / 86400, "dur"
	case kPercent:
		return f / 100, "pct"
	case kInt:
		return f, "int"
	}
	return f, "num"
}

// excelTime is a local time as Excel keeps it: the wall clock, no zone.
func excelTime(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
}

// set writes one cell at column col (1-based) of row, with a named style
// ("" for none).
func (b *book) set(sheet string, col, row int, v any, style string) {
	if b.err != nil {
		return
	}
	axis, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		b.err = err
		return
	}
	if v != nil {
		if f, ok := v.(float64); ok {
			// Every digit of the shortest exact form, not Excel's 15: the
			// sheet agrees with the JSON to the last bit.
			b.err = b.x.SetCellFloat(sheet, axis, f, decimals(f), 64)
		} else {
			b.err = b.x.SetCellValue(sheet, axis, v)
		}
	}
	if b.err == nil && style != "" {
		b.err = b.x.SetCellStyle(sheet, axis, axis, b.styles[style])
	}
}

// text writes a line of text in column A with a style ("title", "note", …).
func (b *book) text(sheet string, row int, s, style string) { b.set(sheet, 1, row, s, style) }

// col is one column of a table: its header, width and kind.
type col struct {
	head  string
	width float64
	kind  kind
}

// table writes a header row at row and the rows under it (each value is
// turned into a cell by its column's kind); a total row, if given, is bold.
// It sets the columns' widths (when wider than they are) and returns the
// next free row.
func (b *book) table(sheet string, row int, cols []col, rows [][]any, total []any) int {
	for i, c := range cols {
		b.set(sheet, i+1, row, c.head, "head")
		b.width(sheet, i+1, c.width)
	}
	put := func(r int, vals []any, suffix string) {
		for i, c := range cols {
			if i >= len(vals) {
				break
			}
			v, st := cellValue(c.kind, vals[i])
			b.set(sheet, i+1, r, v, st+suffix)
		}
	}
	r := row + 1
	for _, vals := range rows {
		put(r, vals, "")
		r++
	}
	if total != nil {
		put(r, total, "-total")
		r++
	}
	return r
}

// width widens column i (1-based) to w characters, never narrows it.
func (b *book) width(sheet string, i int, w float64) {
	if b.err != nil || w <= 0 {
		return
	}
	name, err := excelize.ColumnNumberToName(i)
	if err != nil {
		b.err = err
		return
	}
	cur, err := b.x.GetColWidth(sheet, name)
	if err != nil {
		b.err = err
		return
	}
	if w > cur {
		b.err = b.x.SetColWidth(sheet, name, name, w)
	}
}

// freeze keeps the header row (and cols columns at the left) in view.
func (b *book) freeze(sheet string, headerRow, cols int) {
	if b.err != nil {
		return
	}
	top, _ := excelize.CoordinatesToCellName(cols+1, headerRow+1)
	pane := "bottomLeft"
	if cols > 0 {
		pane = "bottomRight"
	}
	b.err = b.x.SetPanes(sheet, &excelize.Panes{Freeze: true, XSplit: cols, YSplit: headerRow, TopLeftCell: top, ActivePane: pane})
}

// ref is an absolute range of one column, for chart series:
// 'Per hari'!$C$2:$C$31.
func ref(sheet string, col, from, to int) string {
	c, _ := excelize.ColumnNumberToName(col)
	return "'" + sheet + "'!$" + c + "$" + itoa(from) + ":$" + c + "$" + itoa(to)
}

// at is a cell name.
func at(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row)
	return s
}

// decimals is how many decimals the shortest exact form of f has.
func decimals(f float64) int {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}
