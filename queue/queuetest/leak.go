package queuetest

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Main runs the tests of a package (call it from TestMain) and fails the run
// when a queue's writer goroutine outlives them: every queue a test opens
// must be closed, as Open does, or each test leaves a goroutine and a
// database handle behind.
func Main(m *testing.M) {
	code := m.Run()
	if code == 0 {
		if left := writersLeft(); left != "" {
			fmt.Fprintf(os.Stderr, "a queue was not closed: its writer goroutine outlived the tests (close it, or open it with queuetest.Open):\n%s\n", left)
			code = 1
		}
	}
	os.Exit(code)
}

// writersLeft is the stack of every queue writer still running, after a
// moment for the ones that are closing to end.
func writersLeft() string {
	var left []string
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		left = left[:0]
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "queue.(*Queue).writer(") {
				left = append(left, g)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return strings.Join(left, "\n\n")
		}
	}
}
