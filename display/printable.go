package display

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"

	"github.com/antri-id/antri/queue"
)

// Letterhead is what the printable report puts above its figures and in its
// signature block, from the office's config ([office] name, address, city,
// head_title, head_name, head_nip), with the names of its services and
// counters: the answer of GET /api/reports/letterhead.
type Letterhead struct {
	Office    string            `json:"office"`
	Name      string            `json:"name"`
	Address   string            `json:"address"`
	City      string            `json:"city"`
	HeadTitle string            `json:"head_title"`
	HeadName  string            `json:"head_name"`
	HeadNIP   string            `json:"head_nip"`
	Services  map[string]string `json:"services"` // code → name
	Counters  map[string]string `json:"counters"` // id → name
}

// LetterheadOf is the letterhead of an office's config.
func LetterheadOf(cfg *queue.Config) Letterhead {
	o := cfg.Office
	l := Letterhead{Office: o.ID, Name: o.Name, Address: o.Address, City: o.City, HeadTitle: o.HeadTitle,
		HeadName: o.HeadName, HeadNIP: o.HeadNIP, Services: map[string]string{}, Counters: map[string]string{}}
	for _, s := range cfg.Services {
		l.Services[s.Code] = s.Name
	}
	for _, k := range cfg.Counters {
		l.Counters[k.ID] = k.Name
	}
	return l
}

// printableParts are what WritePrintable replaces in laporan.html: the
// stylesheet and scripts the page loads from the appliance become the
// file's own, and the report's data goes in before the scripts.
var printableParts = []struct{ link, file, tag string }{
	{`<link rel="stylesheet" href="/static/reports.css">`, "reports.css", "style"},
	{`<script src="/static/text.js"></script>`, "text.js", "script"},
	{`<script src="/static/app.js"></script>`, "app.js", "script"},
	{`<script src="/static/charts.js"></script>`, "charts.js", "script"},
	{`<script src="/static/laporan.js"></script>`, "laporan.js", "script"},
}

// WritePrintable writes the printable report of /admin/laporan as one
// self-contained HTML file: the same page, stylesheet and scripts, with the
// report and letterhead in it, so it opens and prints (A4) in any browser
// with no appliance and no network (`antrid report -o laporan.html`).
func WritePrintable(w io.Writer, rep *queue.Report, lh Letterhead) error {
	page, err := fs.ReadFile(Web, "laporan.html")
	if err != nil {
		return err
	}
	// json.Marshal escapes <, > and &, so no "</script>" can end the data early.
	data, err := json.Marshal(map[string]any{"report": rep, "letterhead": lh})
	if err != nil {
		return err
	}
	for i, p := range printableParts {
		if !bytes.Contains(page, []byte(p.link)) {
			return fmt.Errorf("laporan.html no longer has %s; update display/printable.go", p.link)
		}
		var repl []byte
		if i == 1 { // the data before the first script
			repl = append([]byte(`<script type="application/json" id="laporan-data">`), data...)
			repl = append(repl, "</script>\n"...)
		}
		body, err := fs.ReadFile(Web, p.file)
		if err != nil {
			return err
		}
		if bytes.Contains(body, []byte("</"+p.tag)) {
			return fmt.Errorf("%s holds </%s and cannot be put inside the page", p.file, p.tag)
		}
		repl = append(repl, "<"+p.tag+">\n"...)
		repl = append(append(repl, body...), "</"+p.tag+">"...)
		page = bytes.Replace(page, []byte(p.link), repl, 1)
	}
	_, err = w.Write(page)
	return err
}
