package main

import "github.com/antri-id/antri/queue/queuetest"

// The tests that run the binary give it a fixture with long tokens
// (queuetest.LongTokens): the real antrid refuses the fixtures' short ones.
const daemonAdmin = queuetest.DaemonAdmin

var (
	daemonToken = queuetest.DaemonToken
	longTokens  = queuetest.LongTokens
)
