package main

import "github.com/antri-id/antri/queue"

// The real antrid refuses tokens anyone could guess (check-config's rule: at least 16
// characters), and the fixtures' are short ("admin", "t1"): the tests that run the
// binary give it a fixture with long ones, queuetest.ConfigFile(t, name, longTokens).

// daemonAdmin is the admin token of longTokens.
const daemonAdmin = "admin-uji-antrid-7f3a9c2e"

// daemonToken is counter id's token under longTokens.
func daemonToken(id string) string { return "loket-" + id + "-uji-antrid-2b8e" }

// longTokens is an edit (queuetest.Office) that gives the admin and every counter a
// long token.
func longTokens(c *queue.Config) {
	c.Office.AdminToken = daemonAdmin
	for i := range c.Counters {
		c.Counters[i].Token = daemonToken(c.Counters[i].ID)
	}
}
