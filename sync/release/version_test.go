package release_test

import (
	"testing"

	"github.com/antri-id/antri/sync/release"
)

// TestVersionOrder lists versions oldest first; every pair must compare by its place.
// Equal places (the same group) compare 0.
func TestVersionOrder(t *testing.T) {
	groups := [][]string{
		{"dev", "abc1234", "0.0~gabc1234", "0.0~gabc1234.dirty", ""},
		{"0.9.0"},
		{"1.0.0-alpha"},
		{"1.0.0-alpha.1"},
		{"1.0.0-alpha.beta"},
		{"1.0.0-beta"},
		{"1.0.0-beta.2"},
		{"1.0.0-beta.11"},
		{"1.0.0-rc.1", "1.0.0.rc.1"},
		{"1.0.0", "v1.0.0", "1.0.0-dirty", "1.0.0.dirty"},
		{"1.0.0-3-gabc1234", "1.0.0+3.gabc1234", "v1.0.0-3-gdef5678-dirty", "1.0.0+3.gdef5678.dirty"},
		{"1.0.0-12-gabc1234"},
		{"1.0.1-rc.1"},
		{"1.0.1"},
		{"1.2.0"},
		{"1.10.0"},
		{"2.0.0"},
	}
	for i, gi := range groups {
		for j, gj := range groups {
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			for _, a := range gi {
				for _, b := range gj {
					if got := release.Compare(release.ParseVersion(a), release.ParseVersion(b)); got != want {
						t.Errorf("Compare(%q, %q) = %d, want %d", a, b, got, want)
					}
				}
			}
		}
	}
}

func TestOnlyReleasesArePublishable(t *testing.T) {
	for v, want := range map[string]bool{
		"1.4.0": true, "v1.4.0": true, "1.4.0-rc.1": true, "1.4.0.rc.1": true,
		"1.4.0-3-gabc1234": false, "1.4.0+3.gabc1234": false, "1.4.0-dirty": false,
		"dev": false, "abc1234": false, "0.0~gabc1234": false, "01.4.0": false, "1.4": false,
	} {
		if got := release.ParseVersion(v).Publishable(); got != want {
			t.Errorf("%q publishable = %v, want %v", v, got, want)
		}
	}
}
