package export

import (
	"testing"

	"github.com/antri-id/antri/queue"
)

// Every indicator the files list is a field of the report JSON: a renamed
// JSON field must not leave an empty column behind.
func TestIndicatorFieldsAreJSONFields(t *testing.T) {
	m := values(&queue.Indicators{})
	for _, f := range indicatorFields {
		if _, ok := m[f.key]; !ok {
			t.Errorf("indicator %q is not a field of the report JSON", f.key)
		}
	}
	if len(m) != len(indicatorFields) {
		t.Errorf("the report JSON has %d indicator fields, the files list %d", len(m), len(indicatorFields))
	}
}
