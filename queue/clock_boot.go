package queue

import (
	"crypto/rand"
	"encoding/hex"
)

// processBoot invents a boot id for this process when the kernel gives none,
// so that instants of another process are never compared on Mono.
func processBoot() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "proc-" + hex.EncodeToString(b[:])
}
