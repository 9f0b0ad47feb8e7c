package main

// antri-hq release: the release manager's tool (docs/FLEET.md).
//
//	antri-hq release keygen -o release.key
//	antri-hq release sign -key release.key [-version 1.4.0] [-o dist/release] BINARY...
//	antri-hq release publish -hq https://hq.example/ FILE...
//	antri-hq release rollout -hq https://hq.example/ -version 1.4.0 (-group pilot | -office ID)
//	antri-hq release status -hq https://hq.example/
//
// keygen and sign run on the release manager's machine, with the private key; nothing
// here sends it anywhere. publish, rollout and status talk to a running antri-hq with
// the admin token from $ANTRI_HQ_TOKEN (or -token-file), never from the command line,
// where other users of the machine would see it.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/antri-id/antri/queue/httpjson"
	"github.com/antri-id/antri/sync/release"
)

// releaseCmd runs `antri-hq release VERB ...` and returns the exit status.
func releaseCmd(args []string) int {
	verbs := map[string]func([]string) error{
		"keygen": releaseKeygen, "sign": releaseSign, "publish": releasePublish,
		"rollout": releaseRollout, "status": releaseStatus,
	}
	if len(args) == 0 || verbs[args[0]] == nil {
		fmt.Fprintln(os.Stderr, "pakai: antri-hq release keygen|sign|publish|rollout|status ... (lihat docs/FLEET.md)")
		return 2
	}
	if err := verbs[args[0]](args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "antri-hq release "+args[0]+":", err)
		return 1
	}
	return 0
}

func releaseKeygen(args []string) error {
	fs := flag.NewFlagSet("keygen", flag.ContinueOnError)
	out := fs.String("o", "", "file for the new private key (must not exist)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-o FILE wajib: tempat kunci privat baru")
	}
	pemKey, pub, err := release.GenerateKey()
	if err != nil {
		return err
	}
	f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("%w (kunci lama tidak pernah ditimpa)", err)
	}
	if _, err := f.Write(pemKey); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	fmt.Printf("Kunci privat: %s (simpan di luar perangkat kantor dan headquarters; cadangkan offline)\n", *out)
	fmt.Printf("Kunci publik (id %s), untuk [update] public_keys di kantor dan release_keys di antri-hq:\n%s\n", pub.ID, pub.String())
	return nil
}

func releaseSign(args []string) error {
	fs := flag.NewFlagSet("sign", flag.ContinueOnError)
	keyPath := fs.String("key", "", "private key file (antri-hq release keygen)")
	version := fs.String("version", "", "the binaries' version; read from each binary when it can run here")
	outDir := fs.String("o", "dist/release", "output folder")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *keyPath == "" || fs.NArg() == 0 {
		return errors.New("pakai: antri-hq release sign -key FILE [-version V] [-o DIR] BINARY (satu atau lebih)")
	}
	sk, err := release.LoadPrivateKey(*keyPath)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*outDir, 0o755); err != nil {
		return err
	}
	for _, bin := range fs.Args() {
		m, err := manifestOf(bin, *version)
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		s, err := release.Sign(sk, m)
		if err != nil {
			return err
		}
		base := filepath.Join(*outDir, fmt.Sprintf("antrid-%s-%s", m.Version, m.Arch))
		if err := copyFile(bin, base); err != nil {
			return err
		}
		if err := os.WriteFile(base+".manifest.json", s.Manifest, 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(base+".sig", []byte(base64.StdEncoding.EncodeToString(s.Signature)+"\n"), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s (%s/%s, %d byte, sha256 %s, skema %d)\n", base, m.OS, m.Arch, m.Size, m.SHA256, m.Schema)
	}
	return nil
}

// manifestOf describes the binary at path. What the binary says of itself (run
// here when it can: the same architecture, or qemu-user) is authoritative; a binary
// for another architecture takes the version from flagVersion and its migrations
// from this program, which must then be built from the same checkout (make release
// does both).
func manifestOf(path, flagVersion string) (release.Manifest, error) {
	f, err := release.ReadFile(path)
	if err != nil {
		return release.Manifest{}, err
	}
	info, askErr := release.AskBinary(context.Background(), path)
	if askErr != nil {
		if flagVersion == "" {
			return release.Manifest{}, fmt.Errorf("biner tidak bisa dijalankan di sini (%v): sebut -version", askErr)
		}
		info = release.Running(flagVersion)
		fmt.Fprintf(os.Stderr, "peringatan: %s tidak bisa dijalankan di sini; versi dari -version dan migrasi dari program ini (bangun keduanya dari checkout yang sama; kantor memeriksa lagi sebelum beralih)\n", path)
		info.OS, info.Arch = f.OS, f.Arch
	}
	switch {
	case info.Product != release.Product:
		return release.Manifest{}, fmt.Errorf("bukan antrid (%q)", info.Product)
	case flagVersion != "" && info.Version != flagVersion:
		return release.Manifest{}, fmt.Errorf("biner melaporkan versi %q, -version %q", info.Version, flagVersion)
	case info.OS != f.OS || info.Arch != f.Arch:
		return release.Manifest{}, fmt.Errorf("biner melaporkan %s/%s, berkasnya %s/%s", info.OS, info.Arch, f.OS, f.Arch)
	case !release.ParseVersion(info.Version).Publishable():
		return release.Manifest{}, fmt.Errorf("versi %q bukan versi rilis: bangun dari tag bersih, mis. make build-pi VERSION=1.4.0", info.Version)
	}
	return release.Manifest{Product: release.Product, Version: info.Version, OS: f.OS, Arch: f.Arch,
		Size: f.Size, SHA256: f.SHA256, Schema: info.Schema, Migrations: info.Migrations, SignedAt: time.Now().UTC()}, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// hqClient is a connection to antri-hq's admin API.
type hqClient struct {
	url, token string
	http       *http.Client
}

func hqFlags(fs *flag.FlagSet) func() (*hqClient, error) {
	url := fs.String("hq", "", "antri-hq's URL, e.g. https://hq.provinsi.go.id/")
	tokenFile := fs.String("token-file", "", "file with the admin token (default: $ANTRI_HQ_TOKEN)")
	caFile := fs.String("ca", "", "PEM of the CA that signed antri-hq's certificate (default: the system's)")
	return func() (*hqClient, error) {
		if *url == "" {
			return nil, errors.New("-hq URL wajib")
		}
		tok := os.Getenv("ANTRI_HQ_TOKEN")
		if *tokenFile != "" {
			b, err := os.ReadFile(*tokenFile)
			if err != nil {
				return nil, err
			}
			tok = strings.TrimSpace(string(b))
		}
		if tok == "" {
			return nil, errors.New("token admin antri-hq wajib: $ANTRI_HQ_TOKEN atau -token-file")
		}
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if *caFile != "" {
			pem, err := os.ReadFile(*caFile)
			if err != nil {
				return nil, err
			}
			pool := x509.NewCertPool()
			if !pool.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("%s tidak berisi sertifikat PEM", *caFile)
			}
			tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
		}
		return &hqClient{url: strings.TrimSuffix(*url, "/"), token: tok, http: &http.Client{Transport: tr, Timeout: 30 * time.Minute}}, nil
	}
}

// do sends a request and decodes a 2xx JSON answer into out; anything else is an
// error with antri-hq's message.
func (c *hqClient) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if resp.StatusCode/100 != 2 {
		var e httpjson.ErrorBody
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return fmt.Errorf("antri-hq menjawab %s: %s", resp.Status, e.Error)
		}
		return fmt.Errorf("antri-hq menjawab %s", resp.Status)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body, out)
}

func releasePublish(args []string) error {
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	client := hqFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := client()
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("sebut biner yang sudah ditandatangani (antrid-VERSI-ARSITEKTUR dari release sign)")
	}
	for _, bin := range fs.Args() {
		raw, err := os.ReadFile(bin + ".manifest.json")
		if err != nil {
			return fmt.Errorf("%s belum ditandatangani: %w", bin, err)
		}
		sig, err := os.ReadFile(bin + ".sig")
		if err != nil {
			return err
		}
		m, err := release.ParseManifest(raw)
		if err != nil {
			return err
		}
		f, err := os.Open(bin)
		if err != nil {
			return err
		}
		req, err := http.NewRequest(http.MethodPut, c.url+"/api/v1/releases/"+m.Version+"/"+m.Arch, f)
		if err != nil {
			f.Close()
			return err
		}
		req.ContentLength = m.Size
		req.Header.Set("Content-Type", "application/octet-stream")
		req.Header.Set(headerManifest, base64.StdEncoding.EncodeToString(raw))
		req.Header.Set(headerReleaseSignature, strings.TrimSpace(string(sig)))
		var ans struct {
			Created bool `json:"created"`
		}
		err = c.do(req, &ans)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", bin, err)
		}
		what := "diterbitkan"
		if !ans.Created {
			what = "sudah ada, tidak berubah"
		}
		fmt.Printf("%s %s/%s: %s\n", m.Version, m.OS, m.Arch, what)
	}
	return nil
}

func releaseRollout(args []string) error {
	fs := flag.NewFlagSet("rollout", flag.ContinueOnError)
	client := hqFlags(fs)
	var req rolloutRequest
	fs.StringVar(&req.Version, "version", "", "version to run (empty: withdraw the rollout)")
	fs.StringVar(&req.Group, "group", "", `group of offices ([[office]] group), or "semua"`)
	fs.StringVar(&req.Office, "office", "", "one office")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := client()
	if err != nil {
		return err
	}
	body, _ := json.Marshal(req)
	hr, err := http.NewRequest(http.MethodPost, c.url+"/api/v1/rollouts", bytes.NewReader(body))
	if err != nil {
		return err
	}
	hr.Header.Set("Content-Type", "application/json")
	if err := c.do(hr, nil); err != nil {
		return err
	}
	target := "grup " + req.Group
	if req.Office != "" {
		target = "kantor " + req.Office
	}
	if req.Version == "" {
		fmt.Printf("rollout untuk %s ditarik\n", target)
	} else {
		fmt.Printf("%s menjalankan %s mulai pemeriksaan berikutnya\n", target, req.Version)
	}
	return nil
}

func releaseStatus(args []string) error {
	fs := flag.NewFlagSet("status", flag.ContinueOnError)
	client := hqFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := client()
	if err != nil {
		return err
	}
	hr, err := http.NewRequest(http.MethodGet, c.url+"/api/v1/updates", nil)
	if err != nil {
		return err
	}
	var ans struct {
		Offices []officeUpdateRow `json:"offices"`
	}
	if err := c.do(hr, &ans); err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "KANTOR\tGRUP\tBERJALAN\tDIINGINKAN\tPEMBARUAN\tKETERANGAN")
	for _, o := range ans.Offices {
		running, state, reason := "-", "-", ""
		if u := o.Update; u != nil {
			running, state, reason = u.Running, updateStates[u.State], u.Reason
			if u.Version != "" {
				state += " " + u.Version
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", o.ID, o.Group, running, o.Desired, state, reason)
	}
	return tw.Flush()
}
