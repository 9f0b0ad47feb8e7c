// Command antrid is the Antri appliance daemon: the office's queue, its
// buttons and printer, its displays, and its sync to headquarters.
//
//	antrid [-config FILE] [-data DIR] [-listen ADDR] [-demo] [-allow-new-database]
//	antrid -training SCENARIO [-config FILE] [-speed N] [-training-dir DIR] [-training-stay] [-listen ADDR]
//	antrid check-config FILE
//	antrid report -config FILE -data DIR -month YYYY-MM -o FILE.xlsx|.csv|.json
//	antrid release-info
//	antrid backup -config FILE -data DIR -to FOLDER [-keep 14]
//	antrid restore -config FILE -data DIR [-from BACKUP.db]
//
// One file per subcommand or concern: daemon.go runs the appliance,
// check_config.go validates a config, systemd.go talks to systemd.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/antri-id/antri/queue"
)

// version is set at build time (make build: -X main.version=...).
var version = "dev"

// subcommands are antrid's verbs besides running the daemon, each in its own file.
func subcommands() map[string]func(args []string) int {
	return map[string]func(args []string) int{
		"check-config":   checkConfig,
		"release-info":   releaseInfo, // update.go
		"backup":         backupCmd,
		"report":         reportCmd,
		"restore":        restoreCmd,
		"ticket-preview": runTicketPreview,
		"version":        func([]string) int { fmt.Println("antrid", version); return 0 },
	}
}

func main() {
	if len(os.Args) > 1 {
		if run, ok := subcommands()[os.Args[1]]; ok {
			os.Exit(run(os.Args[2:]))
		}
	}
	if err := runDaemon(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "antrid:", err)
		os.Exit(exitStatus(err))
	}
}

// Exit statuses for what a restart cannot mend: deploy/antrid.service lists them in
// RestartPreventExitStatus, so systemd waits for a technician instead of restarting
// antrid every two seconds for ever (writing the same lines to the SD card each time).
// During an update's trial antri-update's watch still switches back after the window.
const (
	// exitStoreRefused: the database is refused (missing or empty where one existed,
	// or corrupt).
	exitStoreRefused = 4
	// exitConfigRefused: the config file is invalid, e.g. the image's example left in
	// place when first boot refused the technician's antri.toml (its red page on the
	// screen says what to fix).
	exitConfigRefused = 5
)

// exitStatus is antrid's exit status for the error runDaemon stopped with.
func exitStatus(err error) int {
	var invalid *queue.ConfigError
	switch {
	case errors.Is(err, queue.ErrStoreRefused):
		return exitStoreRefused
	case errors.As(err, &invalid):
		return exitConfigRefused
	}
	return 1
}
