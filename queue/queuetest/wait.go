package queuetest

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// WaitLimit is how long Eventually waits. It only keeps a broken test from
// hanging and measures nothing: CI runs the tests of several packages at
// once on two cores, beside a browser.
const WaitLimit = time.Minute

// Eventually polls cond until it holds, failing the test with what it waited
// for after WaitLimit. In a testing/synctest bubble its sleeps are the
// bubble's, so it waits no real time.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !Until(cond) {
		t.Fatalf("gave up after %v waiting for %s", WaitLimit, what)
	}
}

// Until polls cond until it holds (true) or WaitLimit passes (false), for a
// goroutine other than the test's, which must not call t.Fatal.
func Until(cond func() bool) bool {
	for deadline := time.Now().Add(WaitLimit); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// SkipUnlessCI skips a test that cannot run here for want of a tool, saying
// why; in CI (CI set, as .ci/run sets it) it fails the test instead, because
// .ci/run installs every tool and a green CI must have run every test.
func SkipUnlessCI(t testing.TB, why string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatal(why + "; .ci/run installs it, so CI must not skip")
	}
	t.Skip(why)
}

// NeedTool returns the path of the program tool, or skips the test (fails
// it in CI, see SkipUnlessCI) when tool is not installed, naming the Debian
// package that has it.
func NeedTool(t testing.TB, tool, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(tool)
	if err != nil {
		SkipUnlessCI(t, tool+" not installed: apt-get install -y "+debianPackage+" to run this test")
	}
	return path
}
