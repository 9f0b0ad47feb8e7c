package deploy

import (
	"embed"
	"io/fs"
	"slices"
	"strings"
)

// Training holds the training scenarios shipped with antrid (training/*.toml) and the
// training office they play in (training/kantor-*.toml): `antrid -training NAME` runs
// one by its name (docs/CRISIS.md, "Training office").
//
//go:embed training/*.toml
var Training embed.FS

// TrainingScenarios are the names of the shipped scenarios, without ".toml", sorted.
func TrainingScenarios() []string {
	names, _ := fs.Glob(Training, "training/*.toml")
	var out []string
	for _, n := range names {
		n = strings.TrimSuffix(strings.TrimPrefix(n, "training/"), ".toml")
		if !strings.HasPrefix(n, "kantor-") {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}
