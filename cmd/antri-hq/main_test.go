package main

import (
	"os"
	"testing"

	"github.com/antri-id/antri/queue/queuetest"
)

// envRunMain makes the test binary run antri-hq's main instead of the tests,
// so a test can start the real program as a process of its own and measure
// it from outside (process_test.go).
const envRunMain = "ANTRI_HQ_TEST_RUN_MAIN"

// TestMain fails the run when a test leaves a queue open.
func TestMain(m *testing.M) {
	if os.Getenv(envRunMain) == "1" {
		main()
		os.Exit(0)
	}
	queuetest.Main(m)
}
