// Package deploy holds what a Pi needs besides the binary: the example
// config, systemd units, packaging and the SD image build.
package deploy

import _ "embed"

// ExampleConfig is antrid.example.toml, the documented config of a realistic
// office; `antrid -demo` runs with it when no -config is given.
//
//go:embed antrid.example.toml
var ExampleConfig []byte
