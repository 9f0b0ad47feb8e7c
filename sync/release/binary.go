package release

import (
	"bytes"
	"context"
	"crypto/sha256"
	"debug/buildinfo"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"time"
)

// InfoCommand is the antrid subcommand that prints the binary's Info as JSON.
const InfoCommand = "release-info"

// File is what the file of a binary says without running it.
type File struct {
	Size   int64
	SHA256 string // hex
	OS     string // from the Go build information, which every Go binary carries
	Arch   string // as manifests name it (archName)
}

// ReadFile hashes the binary at path and reads its platform from its Go build
// information (debug/buildinfo reads a binary of any architecture).
func ReadFile(path string) (File, error) {
	size, sum, err := HashFile(path)
	if err != nil {
		return File{}, err
	}
	bi, err := buildinfo.ReadFile(path)
	if err != nil {
		return File{}, fmt.Errorf("%s bukan program Go yang bisa dibaca: %w", path, err)
	}
	return File{Size: size, SHA256: sum, OS: setting(bi, "GOOS"), Arch: archName(setting(bi, "GOARCH"), setting(bi, "GOARM"))}, nil
}

// HashFile is the size and hex SHA-256 of the file at path.
func HashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}

// AskBinary runs `path release-info` and reads the Info it prints. It touches no
// database and no network; it fails when the binary cannot run here (another
// architecture) or does not answer within ten seconds.
func AskBinary(ctx context.Context, path string) (Info, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, path, InfoCommand)
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = []string{} // nothing of ours leaks into it; it needs nothing
	if err := cmd.Run(); err != nil {
		return Info{}, fmt.Errorf("menjalankan %s %s: %v %s", path, InfoCommand, err, bytes.TrimSpace(errb.Bytes()))
	}
	var i Info
	if err := json.Unmarshal(out.Bytes(), &i); err != nil {
		return Info{}, fmt.Errorf("%s %s tidak menjawab JSON: %v", path, InfoCommand, err)
	}
	return i, nil
}
