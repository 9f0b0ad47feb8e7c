package release_test

import (
	"fmt"

	"github.com/antri-id/antri/sync/release"
)

// An office decides whether a release headquarters offers is one to install: the
// signature first, then the release against what the office runs.
func ExampleVerify() {
	pemKey, pub, _ := release.GenerateKey() // the release manager's, once
	sk, _ := release.ParsePrivateKey(pemKey)

	signed, _ := release.Sign(sk, release.Manifest{Product: release.Product, Version: "1.5.0",
		OS: "linux", Arch: "arm64", Size: 14_000_000,
		SHA256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Schema: 5})

	m, err := release.Verify([]release.PublicKey{pub}, signed.Manifest, signed.Signature)
	fmt.Println(m.Version, err)
	fmt.Println(m.Check(release.Office{Version: "1.4.2", OS: "linux", Arch: "arm64", Schema: 5}))
	fmt.Println(m.Check(release.Office{Version: "1.6.0", OS: "linux", Arch: "arm64", Schema: 5}) != nil)
	// Output:
	// 1.5.0 <nil>
	// <nil>
	// true
}
