package display

import (
	"strings"
	"testing"

	"github.com/antri-id/antri/queue"
)

// TestUpdateNoticeReachesOnlyTheAdmin: update_status (the updater's outcome changed)
// reloads the admin's update card; a counter page would show it as a stray line and
// public pages have no business with it. A printer notice after it marks where it
// would have arrived.
func TestUpdateNoticeReachesOnlyTheAdmin(t *testing.T) {
	addr, q := mppOffice(t)
	admin := openView(t, addr, "view=admin", "admin-mpp-besar-0123456789")
	counter := openView(t, addr, "view=counter&counter=1", "loket-01-mpp-besar-5d2a")
	display := openView(t, addr, "view=display", "")
	for _, s := range []*liveSocket{admin, counter, display} {
		s.waitMessage(t, "a snapshot", `"type":"snapshot"`)
	}
	for _, typ := range []string{queue.NoticeUpdateStatus, queue.NoticePrinterStatus} {
		if err := q.Publish(queue.Event{Type: typ}); err != nil {
			t.Fatal(err)
		}
	}
	admin.waitMessage(t, "the admin's update notice", `"type":"update_status"`)
	for name, s := range map[string]*liveSocket{"counter": counter, "display": display} {
		for _, m := range s.waitMessage(t, name+"'s printer notice", `"type":"printer_status"`) {
			if strings.Contains(m, "update_status") {
				t.Errorf("the %s page got %s", name, m)
			}
		}
	}
}
