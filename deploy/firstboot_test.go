package deploy_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// appliance is a scratch root the first-boot script provisions.
type appliance struct {
	t    *testing.T
	root string
	boot string
	tty  string
	log  string
}

func newAppliance(t *testing.T) *appliance {
	root := t.TempDir()
	a := &appliance{
		t:    t,
		root: root,
		boot: filepath.Join(root, "boot/firmware"),
		tty:  filepath.Join(root, "tty1"),
		log:  filepath.Join(root, "antrid.log"),
	}
	write(t, filepath.Join(root, "etc/group"), "root:x:0:\nantri:x:996:\n")
	write(t, filepath.Join(root, "etc/hosts"), "127.0.0.1\tlocalhost\n127.0.1.1\tlocalhost\n")
	write(t, filepath.Join(root, "etc/antri/antri.toml"), "# package default\n")
	write(t, a.tty, "")
	if err := os.MkdirAll(a.boot, 0o755); err != nil {
		t.Fatal(err)
	}
	return a
}

// firstboot runs the script and returns its combined output and exit code.
func (a *appliance) firstboot() (string, int) {
	a.t.Helper()
	cmd := exec.Command("sh", "firstboot/antri-firstboot.sh")
	cmd.Env = append(os.Environ(),
		"ANTRI_ROOT="+a.root,
		"ANTRID="+logged,
		"ANTRI_TTY="+a.tty,
		"ANTRID_LOG="+a.log,
		"TMPDIR="+a.t.TempDir(),
	)
	return outputAndExitCode(a.t, cmd)
}

func (a *appliance) path(p string) string { return filepath.Join(a.root, p) }

func (a *appliance) exists(p string) bool {
	_, err := os.Stat(a.path(p))
	return err == nil
}

// A technician's file, saved by Windows Notepad: BOM and CRLF, the secrets
// left empty (or the example's change-me). The real antrid checks it.
const goodConfig = "\xEF\xBB\xBF[office]\r\n" +
	"id = \"mpp-kota-contoh-01\"\r\n" +
	"name = \"Mal Pelayanan Publik Kota Contoh\"\r\n" +
	"admin_token = \"\"\r\n" +
	"\r\n" +
	"[[service]]\r\n" +
	"code = \"A\"\r\n" +
	"name = \"Perizinan Berusaha\"\r\n" +
	"wait_standard = \"15m\"\r\n" +
	"service_standard = \"10m\"\r\n" +
	"\r\n" +
	"[[counter]]\r\n" +
	"id = \"1\"\r\n" +
	"name = \"Loket 1\"\r\n" +
	"services = [\"A\"]\r\n" +
	"token = \"\"\r\n" +
	"\r\n" +
	"[[counter]]\r\n" +
	"id = \"2\"\r\n" +
	"name = \"Loket 2\"\r\n" +
	"services = [\"A\"]\r\n" +
	"token = \"change-me\"   # diisi otomatis\r\n" +
	"\r\n" +
	"[[counter]]\r\n" +
	"id = \"3\"\r\n" +
	"name = \"Loket 3\"\r\n" +
	"services = [\"A\"]\r\n" +
	"token = \"loket-3-pilihan-sendiri\"\r\n" +
	"\r\n" +
	"[hq]\r\n" +
	"url = \"https://hq.example/\"\r\n" +
	"secret = \"\"\r\n"

var hex32 = regexp.MustCompile(`^[0-9a-f]{32}$`)

func secretsIn(t *testing.T, toml string) map[string]string {
	t.Helper()
	got := map[string]string{}
	section, counter := "", ""
	for _, line := range strings.Split(toml, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "["):
			section = strings.Trim(line, "[]")
		case strings.HasPrefix(line, "id = ") && section == "counter":
			counter = strings.Trim(strings.TrimPrefix(line, "id = "), `"`)
		case strings.HasPrefix(line, "admin_token = "), strings.HasPrefix(line, "token = "), strings.HasPrefix(line, "secret = "):
			k, v, _ := strings.Cut(line, " = ")
			v, _, _ = strings.Cut(v, "#")
			v = strings.Trim(strings.TrimSpace(v), `"`)
			if section == "counter" {
				k = "counter " + counter
			}
			got[k] = v
		}
	}
	return got
}

func TestFirstbootGoodConfig(t *testing.T) {
	a := newAppliance(t)
	write(t, filepath.Join(a.boot, "antri.toml"), goodConfig)

	out, code := a.firstboot()
	if code != 0 {
		t.Fatalf("first boot failed (%d):\n%s", code, out)
	}
	installed := read(t, a.path("etc/antri/antri.toml"))
	if strings.Contains(installed, "\r") || strings.HasPrefix(installed, "\xEF\xBB\xBF") {
		t.Error("installed config still has Windows line ends or a BOM")
	}
	s := secretsIn(t, installed)
	for _, k := range []string{"admin_token", "counter 1", "counter 2", "secret"} {
		if !hex32.MatchString(s[k]) {
			t.Errorf("%s = %q, want a generated 32-hex-digit secret", k, s[k])
		}
	}
	if s["counter 3"] != "loket-3-pilihan-sendiri" {
		t.Errorf("a token the technician chose was replaced: %q", s["counter 3"])
	}
	distinct := map[string]bool{s["admin_token"]: true, s["counter 1"]: true, s["counter 2"]: true, s["secret"]: true}
	if len(distinct) != 4 {
		t.Errorf("generated secrets repeat: %v", s)
	}
	if !strings.Contains(installed, "token = \""+s["counter 2"]+"\"   # diisi otomatis") {
		t.Errorf("the comment after a generated token was lost:\n%s", installed)
	}

	// The technician reads the tokens from the boot partition on a laptop.
	if back := read(t, filepath.Join(a.boot, "antri.toml")); back != installed {
		t.Errorf("boot partition antri.toml differs from the installed one:\n%s", back)
	}
	// check-config saw the file with its secrets filled.
	if log := read(t, a.log); !strings.HasPrefix(log, "check-config ") {
		t.Errorf("antrid was run as %q, want check-config", log)
	}
	st, err := os.Stat(a.path("etc/antri/antri.toml"))
	if err != nil || st.Mode().Perm() != 0o640 {
		t.Errorf("installed config mode %v, want 0640 (it holds tokens)", st.Mode())
	}

	if h := read(t, a.path("etc/hostname")); h != "mpp-kota-contoh-01\n" {
		t.Errorf("hostname = %q, want mpp-kota-contoh-01", h)
	}
	if hosts := read(t, a.path("etc/hosts")); !strings.Contains(hosts, "127.0.1.1\tmpp-kota-contoh-01\n") || strings.Count(hosts, "127.0.1.1") != 1 {
		t.Errorf("/etc/hosts:\n%s", hosts)
	}
	if a.exists("run/antri/firstboot-error.html") {
		t.Error("error page shown after a good config")
	}

	// Next boot with the same file: nothing changes, secrets are kept.
	write(t, a.log, "")
	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("second boot failed:\n%s", out)
	}
	if again := read(t, a.path("etc/antri/antri.toml")); again != installed {
		t.Errorf("second boot changed the config:\n%s", again)
	}
	if log := read(t, a.log); log != "" {
		t.Errorf("second boot re-validated an unchanged file: %q", log)
	}

	// The technician edits the file again: applied on the next boot, the
	// secrets already written stay.
	edited := strings.Replace(read(t, filepath.Join(a.boot, "antri.toml")), `wait_standard = "15m"`, `wait_standard = "20m"`, 1)
	write(t, filepath.Join(a.boot, "antri.toml"), edited)
	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("boot after edit failed:\n%s", out)
	}
	if got := read(t, a.path("etc/antri/antri.toml")); got != edited {
		t.Errorf("edit not applied:\n%s", got)
	}
}

func TestFirstbootBadConfigShowsError(t *testing.T) {
	a := newAppliance(t)
	bad := strings.Replace(goodConfig, `wait_standard = "15m"`, `wait_standard = "15 menit <lama>"`, 1)
	write(t, filepath.Join(a.boot, "antri.toml"), bad)

	out, code := a.firstboot()
	if code == 0 {
		t.Fatalf("a bad config was accepted:\n%s", out)
	}
	// Not installed: antrid keeps the previous config.
	if got := read(t, a.path("etc/antri/antri.toml")); got != "# package default\n" {
		t.Errorf("bad config installed:\n%s", got)
	}
	if a.exists("etc/hostname") {
		t.Error("hostname set from a config that failed validation")
	}
	// The screen explains, in Indonesian, with the line number, HTML-escaped.
	page := read(t, a.path("run/antri/firstboot-error.html"))
	for _, want := range []string{
		`lang="id"`,
		"Antri belum bisa dipakai",
		"antri.toml: baris 9: service[1].wait_standard: &quot;15 menit &lt;lama&gt;&quot; bukan durasi",
		"nyalakan ulang",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("error page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "<lama>") {
		t.Error("error page does not escape the technician's text")
	}
	tty := read(t, a.tty)
	if !strings.Contains(tty, "PEMASANGAN GAGAL") || !strings.Contains(tty, "antri.toml: baris 9:") {
		t.Errorf("tty1 shows:\n%s", tty)
	}
	if txt := read(t, filepath.Join(a.boot, "antri-error.txt")); !strings.Contains(txt, "antri.toml: baris 9:") {
		t.Errorf("antri-error.txt on the boot partition:\n%s", txt)
	}

	// Fixed on the laptop: the next boot installs it and the error is gone.
	write(t, filepath.Join(a.boot, "antri.toml"), goodConfig)
	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("fixed config failed:\n%s", out)
	}
	if a.exists("run/antri/firstboot-error.html") || a.exists("boot/firmware/antri-error.txt") {
		t.Error("error still shown after the config was fixed")
	}
}

func TestFirstbootWithoutConfigDoesNothing(t *testing.T) {
	a := newAppliance(t)
	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("exit %d without antri.toml:\n%s", code, out)
	}
	if got := read(t, a.path("etc/antri/antri.toml")); got != "# package default\n" {
		t.Errorf("config changed: %q", got)
	}
	if _, err := os.Stat(a.log); err == nil {
		t.Error("antrid run with nothing to check")
	}
}

// TestFirstbootWifi: wifi.txt (as Notepad on Windows saves it, too) becomes
// the SD image's wpa_supplicant set-up, quotes and backslashes escaped rather
// than eaten by the shell, and is marked as applied.
func TestFirstbootWifi(t *testing.T) {
	for _, c := range []struct {
		name, wifi string
		want       []string // lines of wpa_supplicant-wlan0.conf
	}{
		{"quotes, CRLF", "SSID=Kantor \"MPP\"\r\nPASSWORD=rahasia-sekali\r\nCOUNTRY=ID\r\n",
			[]string{"country=ID\n", "\tssid=\"Kantor \\\"MPP\\\"\"\n", "\tpsk=\"rahasia-sekali\"\n"}},
		{"backslashes", "SSID=Kantor\\cMPP\nPASSWORD=rahasia\\sekali\n",
			[]string{"\tssid=\"Kantor\\\\cMPP\"\n", "\tpsk=\"rahasia\\\\sekali\"\n"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := newAppliance(t)
			write(t, filepath.Join(a.boot, "antri.toml"), goodConfig)
			write(t, filepath.Join(a.boot, "wifi.txt"), c.wifi)
			if out, code := a.firstboot(); code != 0 {
				t.Fatalf("first boot failed:\n%s", out)
			}
			conf := read(t, a.path("etc/wpa_supplicant/wpa_supplicant-wlan0.conf"))
			for _, want := range c.want {
				if !strings.Contains(conf, want) {
					t.Errorf("wpa_supplicant config lacks %q:\n%s", want, conf)
				}
			}
			if st, _ := os.Stat(a.path("etc/wpa_supplicant/wpa_supplicant-wlan0.conf")); st.Mode().Perm() != 0o600 {
				t.Errorf("Wi-Fi password file mode %v, want 0600", st.Mode().Perm())
			}
			if !strings.Contains(read(t, a.path("etc/systemd/network/25-antri-wlan.network")), "Name=wlan0") {
				t.Error("no DHCP network for wlan0")
			}
			if a.exists("boot/firmware/wifi.txt") || !a.exists("boot/firmware/wifi.txt.terpasang") {
				t.Error("wifi.txt not marked as applied")
			}
		})
	}
}

func TestFirstbootWifiShortPassword(t *testing.T) {
	a := newAppliance(t)
	write(t, filepath.Join(a.boot, "antri.toml"), goodConfig)
	write(t, filepath.Join(a.boot, "wifi.txt"), "SSID=Kantor\nPASSWORD=1234\n")

	out, code := a.firstboot()
	if code == 0 {
		t.Fatalf("a 4-character WPA password was accepted:\n%s", out)
	}
	page := read(t, a.path("run/antri/firstboot-error.html"))
	if !strings.Contains(page, "Kata sandi Wi-Fi di wifi.txt harus 8 sampai 63 karakter") {
		t.Errorf("error page:\n%s", page)
	}
	if a.exists("etc/wpa_supplicant/wpa_supplicant-wlan0.conf") {
		t.Error("Wi-Fi configured with an invalid password")
	}
	if !a.exists("boot/firmware/wifi.txt") {
		t.Error("the bad wifi.txt was consumed; the technician must be able to fix it")
	}
}

// TestShellScriptsParse keeps the scripts the tests cannot run here (the
// image build needs root and an hour) at least syntactically valid.
func TestShellScriptsParse(t *testing.T) {
	for _, s := range []string{
		"deb/build.sh", "deb/DEBIAN/postinst", "deb/DEBIAN/prerm", "deb/DEBIAN/postrm",
		"firstboot/antri-firstboot.sh", "image/build.sh", "image/customize.sh",
		"image/assemble.sh", "image/boot-test.sh", "image/antri-kiosk.sh", "image/antri-mdns-alias.sh",
		"image/antri-os-reboot.sh", "image/e2e/gpio-sim.sh",
	} {
		if out, err := exec.Command("sh", "-n", s).CombinedOutput(); err != nil {
			t.Errorf("sh -n %s: %v\n%s", s, err, out)
		}
	}
}
