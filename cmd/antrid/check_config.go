package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/antri-id/antri/queue"
)

// checkConfig prints every problem of a config file with its line and exits
// non-zero if there is any; technicians and first boot run it. A token or secret
// anyone could guess (empty, short, the example's placeholder) is a problem here,
// though `antrid -demo` runs with one.
func checkConfig(args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(os.Stderr, "pemakaian: antrid check-config FILE")
		return 2
	}
	cfg, err := queue.LoadConfig(args[0])
	if err == nil {
		// What works but will not be what the office wants (names the voice could only
		// spell): a warning, not a refusal (queue.Config.Warnings).
		for _, p := range cfg.Warnings() {
			fmt.Printf("%s: peringatan: %s\n", args[0], p)
		}
		err = refuseWeakSecrets(args[0], cfg)
	}
	if err != nil {
		var ce *queue.ConfigError
		if errors.As(err, &ce) {
			for _, p := range ce.Problems {
				fmt.Fprintf(os.Stderr, "%s: %s\n", ce.File, p)
			}
			fmt.Fprintf(os.Stderr, "%d masalah; perbaiki lalu periksa lagi.\n", len(ce.Problems))
			return 1
		}
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Printf("%s: baik — %s, %d layanan, %d loket, %d tombol, %d layar zona.\n", args[0], cfg.Office.Name, len(cfg.Services), len(cfg.Counters), len(cfg.Buttons), len(cfg.Displays))
	return 0
}

// refuseWeakSecrets is a *queue.ConfigError listing the config's guessable tokens and
// secrets, or nil when there are none.
func refuseWeakSecrets(file string, cfg *queue.Config) error {
	if p := cfg.SecretProblems(); len(p) > 0 {
		return &queue.ConfigError{File: file, Problems: p}
	}
	return nil
}
