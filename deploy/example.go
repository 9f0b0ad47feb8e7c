package deploy

import _ "embed"

// ExampleConfig is antrid.example.toml, the documented config of a realistic
// office; `antrid -demo` runs with it when no -config is given.
//
//go:embed antrid.example.toml
var ExampleConfig []byte
