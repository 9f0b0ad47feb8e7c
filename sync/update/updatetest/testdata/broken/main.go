// Command broken is a bad release of antrid for the update tests: it says of itself
// what antrid says (`release-info`, `version`), so it passes every check before an
// office switches to it, but as a daemon it fails. Built with -X main.mode=exit (the
// default) it exits at once, as a release that cannot open its config would; with
// -X main.mode=hang it tells systemd it is ready and then serves nothing, so only the
// health window can catch it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/antri-id/antri/sync/release"
	"github.com/coreos/go-systemd/v22/daemon"
)

var (
	version = "dev"
	mode    = "exit"
)

func main() {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case release.InfoCommand:
			json.NewEncoder(os.Stdout).Encode(release.Running(version))
			return
		case "version":
			fmt.Println("antrid", version)
			return
		}
	}
	if mode == "hang" {
		fmt.Fprintln(os.Stderr, "antrid", version, "(rilis uji yang rusak): siap, tetapi tidak melayani apa pun")
		daemon.SdNotify(false, daemon.SdNotifyReady)
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
		<-stop // until systemd (or the watch's restart) stops it
		return
	}
	fmt.Fprintln(os.Stderr, "antrid", version, "(rilis uji yang rusak): berhenti saat mulai")
	os.Exit(1)
}
