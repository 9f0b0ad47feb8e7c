package wire_test

import (
	"fmt"
	"net/http"

	"github.com/antri-id/antri/sync/wire"
)

// An implementation of headquarters (or of another office) signs and checks
// batches with Envelope; docs/SYNC.md describes the same in words.
func ExampleEnvelope() {
	body := []byte("...the gzip bytes of the batch...")
	env := wire.Envelope{Office: "mpp-contoh", From: 1201, To: 1700, Timestamp: 1741000000,
		Nonce: "00112233445566778899aabbccddeeff", BodyHash: wire.BodyHash(body)}
	fmt.Println(env.SigningString())

	h := http.Header{}
	env.SetHeaders(h, "office-secret")
	got, err := wire.ReadEnvelope(h)
	fmt.Println(err, got == env)
	// Output:
	// antri-sync-v1
	// mpp-contoh
	// 1201
	// 1700
	// 1741000000
	// 00112233445566778899aabbccddeeff
	// ddbdb2c58837c46a562aa61b65d016c796231aad1c5b86b41361db7d5a40d47d
	// <nil> true
}
