package main

import (
	"testing"

	"github.com/antri-id/antri/queue/queuetest"
)

// TestMain fails the run when a test (or the daemon it ran in-process) leaves
// a queue open.
func TestMain(m *testing.M) { queuetest.Main(m) }
