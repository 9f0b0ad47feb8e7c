package memory_test

import (
	"log/slog"

	"github.com/antri-id/antri/device/memory"
)

// Once its start-up work is over, a daemon hands back what only start-up
// needed and logs what it kept.
func ExampleReleaseStartup() {
	before, after, err := memory.ReleaseStartup()
	if err != nil {
		slog.Warn("start-up memory kept", "err", err)
	}
	slog.Info("start-up memory released", "rss_before", before.Total(), "rss_after", after.Total())
}
