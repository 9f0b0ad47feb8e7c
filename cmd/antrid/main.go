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
		if errors.Is(err, queue.ErrStoreRefused) {
			os.Exit(exitStoreRefused)
		}
		os.Exit(1)
	}
}

// exitStoreRefused is antrid's exit status when it refuses the database (missing or empty
// where one existed, or corrupt): a restart cannot mend that, so deploy/antrid.service
// lists it in RestartPreventExitStatus and systemd waits for a technician instead of
// restarting antrid every two seconds.
const exitStoreRefused = 4
