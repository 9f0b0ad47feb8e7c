package queue_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

func TestConfigOrigins(t *testing.T) {
	// The test office with an origins line in its [office] table.
	office := string(queuetest.Fixture("office"))
	base := strings.Replace(office, "[office]\n", "[office]\norigins = [%s]\n", 1)
	line := strings.Count(base[:strings.Index(base, "origins =")], "\n") + 1
	if _, err := queue.ParseConfig("ok.toml", []byte(strings.Replace(base, "%s", `"http://antri.local:8080", "https://antri.kota.go.id"`, 1))); err != nil {
		t.Fatalf("good origins refused: %v", err)
	}
	for _, bad := range []string{`"antri.local:8080"`, `"http://antri.local:8080/admin"`, `"ftp://x"`, `"http://ANTRI.local"`, `"http://x:80"`} {
		_, err := queue.ParseConfig("bad.toml", []byte(strings.Replace(base, "%s", bad, 1)))
		if want := fmt.Sprintf("baris %d: office.origins", line); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("origins = [%s]: %v, want a problem on line %d", bad, err, line)
		}
	}
}
