package voice

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The default clip set committed under display/web/voice must have one Ogg file for every
// token a call can use, and nothing the code never asks for.
func TestDefaultClipSetIsComplete(t *testing.T) {
	dir := filepath.Join("..", "web", "voice")
	want := map[string]bool{}
	total := 0
	for _, tok := range Tokens() {
		want[tok+Ext] = true
		data, err := os.ReadFile(filepath.Join(dir, tok+Ext))
		if err != nil {
			t.Errorf("clip for %q: %v (run display/voice/gen-clips.sh)", tok, err)
			continue
		}
		if !bytes.HasPrefix(data, []byte("OggS")) || !bytes.Contains(data[:200], []byte("vorbis")) {
			t.Errorf("%s is not an Ogg Vorbis file", tok+Ext)
		}
		total += len(data)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), Ext) && !want[e.Name()] {
			t.Errorf("%s is in the clip set but no call uses it", e.Name())
		}
	}
	if total > 400<<10 {
		t.Errorf("default clips take %d bytes; keep them under 400 KB (they are embedded in the binary)", total)
	}
}
