package button_test

import (
	"testing"

	"github.com/antri-id/antri/queue/queuetest"
)

// TestMain fails the run when a test leaves a queue open.
func TestMain(m *testing.M) { queuetest.Main(m) }
