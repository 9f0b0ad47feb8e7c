package queue_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/antri-id/antri/queue"
	"github.com/antri-id/antri/queue/queuetest"
)

// aKey is a well-formed public key (32 bytes, base64).
const aKey = "Zm9yIHRlc3RzIG9ubHksIHRoaXJ0eS10d28gYnl0ZXM="

func updateConfig(extra string) string {
	return string(queuetest.Fixture("office")) + extra
}

func TestUpdateConfigDefaults(t *testing.T) {
	cfg, err := queue.ParseConfig("antri.toml", []byte(updateConfig(`
[hq]
url = "https://pusat.example/"
secret = "rahasia-kantor-uji-pembaruan"
[update]
public_keys = ["`+aKey+`"]
`)))
	if err != nil {
		t.Fatal(err)
	}
	u := cfg.Update
	if !u.Enabled() || u.Apply != "closed" || u.HealthWindowDur != 5*time.Minute || u.CheckEveryDur != 10*time.Minute {
		t.Errorf("defaults: %+v", u)
	}
	if cfg, _ := queue.ParseConfig("antri.toml", queuetest.Fixture("office")); cfg.Update.Enabled() {
		t.Error("updates on without [update]")
	}
}

func TestUpdateConfigProblemsHaveLines(t *testing.T) {
	text := updateConfig(`
[update]
public_keys = ["bukan-kunci"]
apply = "segera"
health_window = "5 menit"
`)
	_, err := queue.ParseConfig("antri.toml", []byte(text))
	var ce *queue.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("accepted: %v", err)
	}
	lines := strings.Split(text, "\n")
	for _, want := range []string{"update.public_keys", "update.apply", "update.health_window"} {
		found := false
		for _, p := range ce.Problems {
			if strings.HasPrefix(p.Key, want) || strings.Contains(p.String(), want) {
				found = true
				if p.Line == 0 || p.Line > len(lines) {
					t.Errorf("%s: line %d", want, p.Line)
				}
			}
		}
		if !found {
			t.Errorf("no problem for %s in %v", want, ce.Problems)
		}
	}
	// Updates come from headquarters: [update] without [hq] is refused too.
	if !strings.Contains(err.Error(), "[hq] url") {
		t.Errorf("missing [hq] not named: %v", err)
	}
}
