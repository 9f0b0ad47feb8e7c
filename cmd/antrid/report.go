package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/antri-id/antri/display"
	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/export"
)

const reportUsage = "pemakaian: antrid report -config FILE -data DIR (-month YYYY-MM | -quarter YYYY-QN | -year YYYY | -day YYYY-MM-DD) -o FILE.xlsx|.csv|.json|.html"

// reportCmd writes a report offline, from the database, in the format its
// -o file name asks for: the same bytes the HTTP API gives (.html is the
// printable report of /admin/laporan as one file that opens and prints
// offline).
//
//	antrid report -config FILE -data DIR -month YYYY-MM -o FILE.xlsx|.csv|.json|.html
//	antrid report … -quarter 2026-Q4 | -year 2026 | -day 2026-11-05
func reportCmd(args []string) int {
	fs := flag.NewFlagSet("antrid report", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "config file (TOML)")
	data := fs.String("data", "./var", "data folder holding antri.db")
	periods := map[queue.PeriodKind]*string{
		queue.PeriodMonth:   fs.String("month", "", "local month, YYYY-MM"),
		queue.PeriodQuarter: fs.String("quarter", "", "quarter (triwulan), YYYY-QN, e.g. 2026-Q4"),
		queue.PeriodYear:    fs.String("year", "", "year, YYYY"),
		queue.PeriodDay:     fs.String("day", "", "local day, YYYY-MM-DD"),
	}
	out := fs.String("o", "", "output file: .xlsx, .csv, .json or .html (\"-\" for JSON on stdout)")
	plain := fs.Bool("plain", false, "CSV for tools: commas and decimal points, no byte order mark")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var kind queue.PeriodKind
	var key string
	n := 0
	for k, v := range periods {
		if *v != "" {
			kind, key = k, *v
			n++
		}
	}
	if *cfgPath == "" || n != 1 || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, reportUsage)
		return 2
	}
	if err := writeReport(*cfgPath, *data, kind, key, *out, *plain); err != nil {
		fmt.Fprintln(os.Stderr, "antrid report:", err)
		return 1
	}
	return 0
}

func writeReport(cfgPath, data string, kind queue.PeriodKind, key, out string, plain bool) error {
	html := strings.EqualFold(filepath.Ext(out), ".html")
	format := export.JSON
	if out != "-" && !html {
		f, err := export.FormatOf(out)
		if err != nil {
			return fmt.Errorf("%w (atau .html untuk laporan cetak)", err)
		}
		format = f
	}
	cfg, err := queue.LoadConfig(cfgPath)
	if err != nil {
		return err
	}
	p, err := queue.ParsePeriod(kind, key, cfg.Location)
	if err != nil {
		return err
	}
	// Read-only beside a running antrid (WAL lets this process read while the daemon
	// writes): no migration, no checkpoint, no writer.
	store, err := queue.OpenStoreReadOnly(filepath.Join(data, "antri.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := queue.NewReader(cfg, store, nil).Report(context.Background(), p)
	if err != nil {
		return err
	}
	if out == "-" {
		return export.WriteJSON(os.Stdout, rep)
	}
	write := func(w io.Writer) error {
		return export.Write(w, rep, format, export.Options{Labels: export.LabelsOf(cfg), Plain: plain})
	}
	if html {
		write = func(w io.Writer) error { return display.WritePrintable(w, rep, display.LetterheadOf(cfg)) }
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "laporan %s %s ditulis ke %s\n", cfg.Office.ID, p.Key, out)
	return nil
}
