package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/export"
)

// reportCmd writes a monthly report offline, from the database, in the
// format its -o file name asks for: the same bytes the HTTP API gives.
//
//	antrid report -config FILE -data DIR -month YYYY-MM -o FILE.xlsx|.csv|.json
func reportCmd(args []string) int {
	fs := flag.NewFlagSet("antrid report", flag.ContinueOnError)
	cfgPath := fs.String("config", "", "config file (TOML)")
	data := fs.String("data", "./var", "data folder holding antri.db")
	month := fs.String("month", "", "local month, YYYY-MM")
	out := fs.String("o", "", "output file: .xlsx, .csv or .json (\"-\" for JSON on stdout)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *cfgPath == "" || *month == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "pemakaian: antrid report -config FILE -data DIR -month YYYY-MM -o FILE.xlsx|.csv|.json")
		return 2
	}
	if err := writeReport(*cfgPath, *data, *month, *out); err != nil {
		fmt.Fprintln(os.Stderr, "antrid report:", err)
		return 1
	}
	return 0
}

func writeReport(cfgPath, data, month, out string) error {
	format := export.JSON
	if out != "-" {
		f, err := export.FormatOf(out)
		if err != nil {
			return err
		}
		format = f
	}
	cfg, err := queue.LoadConfig(cfgPath)
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
	rep, err := queue.NewReader(cfg, store, nil).MonthlyReport(context.Background(), month)
	if err != nil {
		return err
	}
	if out == "-" {
		return export.WriteJSON(os.Stdout, rep)
	}
	tmp := out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := export.Write(f, rep, format); err != nil {
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
	fmt.Fprintf(os.Stderr, "laporan %s %s ditulis ke %s\n", cfg.Office.ID, month, out)
	return nil
}
