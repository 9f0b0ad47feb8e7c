package export

import "github.com/antri-id/antri/queue"

// SheetIncidents is the workbook's sheet of service disruptions (gangguan layanan, issue
// 15): the incidents of the period and the tickets handed out by hand. It is there only
// when the period had either.
const SheetIncidents = "Gangguan layanan"

// hasIncidents reports whether r's workbook has SheetIncidents.
func hasIncidents(r *queue.Report) bool { return len(r.Incidents) > 0 || r.Manual != nil }

// IncidentNames are the incident types in Indonesian, as the files and pages say them.
var IncidentNames = map[string]string{
	queue.IncidentSurge:   "Lonjakan antrean",
	queue.IncidentOutage:  "Sistem antrean mati",
	queue.IncidentManual:  "Nomor manual (kertas)",
	queue.IncidentPrinter: "Printer tiket mati",
}

// incidentName names an incident type, or gives it as it came.
func incidentName(typ string) string {
	if n, ok := IncidentNames[typ]; ok {
		return n
	}
	return typ
}

// incidents writes the disruptions of the period, and the indicators of the manual
// tickets on the times written on paper, which the other sheets count as tickets but
// never time.
func (b *book) incidents(r *queue.Report, l Labels) {
	if !hasIncidents(r) {
		return
	}
	s := SheetIncidents
	cols := []col{{"No.", 5, kInt}, {"Jenis gangguan", 22, kText}, {"Layanan", 24, kText}, {"Mulai", 17, kDateTime},
		{"Selesai", 17, kDateTime}, {"Lama (jam:menit:detik)", 12, kDuration}, {"Dicatat oleh", 12, kText}, {"Catatan", 60, kText}}
	var rows [][]any
	for i, inc := range r.Incidents {
		var end any
		var dur any
		if inc.End != nil {
			end = *inc.End
			dur = inc.End.Sub(inc.Start).Seconds()
		}
		svc := ""
		if inc.Service != "" {
			svc = l.Service(inc.Service)
		}
		who := "Admin"
		if inc.Source == queue.SourceAuto {
			who = "Otomatis"
		}
		rows = append(rows, []any{i + 1, incidentName(inc.Type), svc, inc.Start, end, dur, who, inc.Note})
	}
	n := b.table(s, 1, cols, rows, nil)
	b.freeze(s, 1, 0)
	if len(rows) == 0 {
		b.text(s, n, "Tidak ada gangguan layanan yang tercatat dalam periode ini.", "note")
		n++
	}
	b.text(s, n, "Lama kosong: gangguan masih berlangsung saat laporan dibuat.", "note")
	n += 2
	if r.Manual == nil {
		return
	}
	b.text(s, n, "Tiket nomor manual (waktu dicatat dari lembar kertas)", "section")
	n++
	m := r.Manual
	b.pairs(s, n, "Indikator", "Nilai", 52, [][]any{
		{"Tiket nomor manual", m.Issued, kInt}, {"Selesai tuntas", m.Done, kInt}, {"Belum lengkap", m.Incomplete, kInt},
		{"Tidak hadir", m.NoShow, kInt}, {"Tidak terlayani", m.Expired, kInt},
		{"Rata-rata tunggu tertulis (menit:detik)", m.WaitMeanS, kDuration},
		{"Rata-rata layanan tertulis (menit:detik)", m.ServiceMeanS, kDuration},
		{"Tepat waktu menurut catatan", m.OnTimePct, kPercent},
	})
	n += 10
	b.text(s, n, "Tiket nomor manual ikut dihitung sebagai tiket (terbit, selesai, tidak hadir, tuntas sekali datang) di lembar lain, "+
		"tetapi tidak pernah dalam rata-rata waktu, persentil, tepat waktu atau pelanggaran standar: waktunya ditulis tangan, tidak diukur.", "note")
}

// manualMark says whether a ticket row is from a paper log.
func manualMark(row queue.SegmentRow) string {
	if row.Manual {
		return "ya"
	}
	return ""
}
