package main

import (
	"maps"
	"slices"

	"github.com/antri-id/antri/sync/wire"
)

// maxLabelKey is the longest service code or counter id headquarters keeps a name for:
// antrid's codes and ids are a few characters.
const maxLabelKey = 32

// keptLabels is what headquarters keeps of an office's names for its services and
// counters: at most limits.Labels of each (by code, in order), codes of at most
// maxLabelKey bytes, names cut to limits.OfficeName bytes. Names are only shown, so a
// signed batch with too many or too long ones is cut, never refused.
func (s *server) keptLabels(office string, l *wire.Labels) *wire.Labels {
	if l == nil {
		return nil
	}
	cutMap := func(m map[string]string) map[string]string {
		out := map[string]string{}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			if len(out) == s.limits.Labels {
				s.quiet.Warn(office+" labels", "terlalu banyak nama layanan atau loket, sisanya tidak disimpan", "office", office, "sent", len(m), "kept", len(out))
				break
			}
			if k == "" || len(k) > maxLabelKey {
				continue
			}
			out[k] = cut(m[k], s.limits.OfficeName)
		}
		return out
	}
	return &wire.Labels{Services: cutMap(l.Services), Counters: cutMap(l.Counters)}
}
