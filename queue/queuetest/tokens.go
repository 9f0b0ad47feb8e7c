package queuetest

import "github.com/antri-id/antri/queue"

// The real antrid refuses tokens anyone could guess (check-config's rule: at least 16
// characters), and the fixtures' are short ("admin", "t1"): the tests that run the
// binary give it a fixture with long ones, ConfigFile(t, name, LongTokens).

// DaemonAdmin is the admin token of LongTokens.
const DaemonAdmin = "admin-uji-antrid-7f3a9c2e"

// DaemonToken is counter id's token under LongTokens.
func DaemonToken(id string) string { return "loket-" + id + "-uji-antrid-2b8e" }

// LongTokens is an edit (Office, ConfigFile) that gives the admin and every counter a
// long token.
func LongTokens(c *queue.Config) {
	c.Office.AdminToken = DaemonAdmin
	for i := range c.Counters {
		c.Counters[i].Token = DaemonToken(c.Counters[i].ID)
	}
}
