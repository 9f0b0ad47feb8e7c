package display

import (
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// textKeyRE finds the keys of text.js's dictionary: 'key': at the start of an entry.
var textKeyRE = regexp.MustCompile(`(?:^|,)\s*'([a-z0-9_.\-]+)':`)

// languageKeys reads the keys of each language's block ("  id: {" … "  },") of text.js.
func languageKeys(t *testing.T) map[string]map[string]bool {
	t.Helper()
	src, err := fs.ReadFile(Web, "text.js")
	if err != nil {
		t.Fatal(err)
	}
	langs := map[string]map[string]bool{}
	var cur map[string]bool
	for n, line := range strings.Split(string(src), "\n") {
		switch {
		case strings.HasPrefix(line, "  ") && strings.HasSuffix(line, ": {") && !strings.HasPrefix(line, "   "):
			cur = map[string]bool{}
			langs[strings.TrimSuffix(strings.TrimSpace(line), ": {")] = cur
		case line == "  },":
			cur = nil
		case cur != nil:
			for _, m := range textKeyRE.FindAllStringSubmatch(line, -1) {
				if cur[m[1]] {
					t.Errorf("text.js:%d: key %q twice in one language", n+1, m[1])
				}
				cur[m[1]] = true
			}
		}
	}
	return langs
}

// TestPageTextHasBothLanguages: Indonesian and English have the same keys, so no
// string falls back to the other language or to its bare key.
func TestPageTextHasBothLanguages(t *testing.T) {
	langs := languageKeys(t)
	id, en := langs["id"], langs["en"]
	if len(id) < 100 || len(en) < 100 {
		t.Fatalf("read %d Indonesian and %d English keys from text.js; the format changed?", len(id), len(en))
	}
	var onlyID, onlyEN []string
	for k := range id {
		if !en[k] {
			onlyID = append(onlyID, k)
		}
	}
	for k := range en {
		if !id[k] {
			onlyEN = append(onlyEN, k)
		}
	}
	sort.Strings(onlyID)
	sort.Strings(onlyEN)
	if len(onlyID) > 0 {
		t.Errorf("keys without English: %v", onlyID)
	}
	if len(onlyEN) > 0 {
		t.Errorf("keys without Indonesian: %v", onlyEN)
	}
}

// usedKeyRE finds the literal keys pages use: data-i18n="key" (and -placeholder) in HTML,
// t('key') in scripts (not a prefix the script completes, t('stage.' + stage)).
var usedKeyRE = regexp.MustCompile(`data-i18n(?:-placeholder)?="([^"]+)"|\bt\('([a-z0-9_.\-]+)'\s*[,)]`)

// TestPagesUseOnlyKnownText: every literal key a page or script asks for is in the
// dictionary; a missing one would show the key itself to a citizen.
func TestPagesUseOnlyKnownText(t *testing.T) {
	id := languageKeys(t)["id"]
	files, err := fs.Glob(Web, "*.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !strings.HasSuffix(f, ".html") && !strings.HasSuffix(f, ".js") {
			continue
		}
		src, _ := fs.ReadFile(Web, f)
		for n, line := range strings.Split(string(src), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			for _, m := range usedKeyRE.FindAllStringSubmatch(line, -1) {
				if k := m[1] + m[2]; !id[k] {
					t.Errorf("%s:%d asks for text %q, which text.js does not have", f, n+1, k)
				}
			}
		}
	}
}
