package deploy_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What the first-boot script does differently on the two routes it serves:
// the SD image (Debian, systemd-networkd + wpa_supplicant) and Raspberry Pi
// OS (NetworkManager), and the system time zone both get from antri.toml.

// Raspberry Pi OS manages Wi-Fi with NetworkManager: wifi.txt becomes one
// keyfile connection there, not a wpa_supplicant@wlan0 set-up that would
// fight NetworkManager for the interface.
func TestFirstbootWifiNetworkManager(t *testing.T) {
	a := newAppliance(t)
	write(t, a.path("usr/sbin/NetworkManager"), "")
	if err := os.Chmod(a.path("usr/sbin/NetworkManager"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(a.boot, "antri.toml"), goodConfig)
	write(t, filepath.Join(a.boot, "wifi.txt"), "SSID=Kantor \\MPP\r\nPASSWORD=rahasia-sekali\r\nCOUNTRY=ID\r\n")

	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("first boot failed:\n%s", out)
	}
	p := a.path("etc/NetworkManager/system-connections/antri-wifi.nmconnection")
	conf := read(t, p)
	for _, want := range []string{"\ntype=wifi\n", "\ninterface-name=wlan0\n", "\nssid=Kantor \\\\MPP\n", "\nkey-mgmt=wpa-psk\n", "\npsk=rahasia-sekali\n", "\n[ipv4]\nmethod=auto\n"} {
		if !strings.Contains(conf, want) {
			t.Errorf("NetworkManager connection lacks %q:\n%s", want, conf)
		}
	}
	if st, _ := os.Stat(p); st.Mode().Perm() != 0o600 {
		t.Errorf("Wi-Fi password file mode %v, want 0600 (NetworkManager ignores others)", st.Mode().Perm())
	}
	if a.exists("etc/wpa_supplicant/wpa_supplicant-wlan0.conf") || a.exists("etc/systemd/network/25-antri-wlan.network") {
		t.Error("wpa_supplicant / networkd set up beside NetworkManager")
	}
	if !a.exists("boot/firmware/wifi.txt.terpasang") {
		t.Error("wifi.txt not marked as applied")
	}
}

// The system time zone follows [office] timezone, for both routes.
func TestFirstbootTimeZone(t *testing.T) {
	a := newAppliance(t)
	write(t, a.path("usr/share/zoneinfo/Asia/Jayapura"), read(t, "/usr/share/zoneinfo/Asia/Jayapura"))
	write(t, a.path("usr/share/zoneinfo/Asia/Jakarta"), read(t, "/usr/share/zoneinfo/Asia/Jakarta"))
	write(t, filepath.Join(a.boot, "antri.toml"), strings.Replace(goodConfig, "id = \"mpp-kota-contoh-01\"\r\n", "id = \"mpp-kota-contoh-01\"\r\ntimezone = \"Asia/Jayapura\"   # WIT\r\n", 1))
	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("first boot failed:\n%s", out)
	}
	if got, _ := os.Readlink(a.path("etc/localtime")); got != "../usr/share/zoneinfo/Asia/Jayapura" {
		t.Errorf("/etc/localtime -> %q, want Asia/Jayapura", got)
	}
	if a.exists("etc/timezone") {
		t.Error("/etc/timezone created on a system without one (trixie dropped it)")
	}

	// No timezone key: antrid's default, Asia/Jakarta.
	write(t, filepath.Join(a.boot, "antri.toml"), goodConfig)
	if out, code := a.firstboot(); code != 0 {
		t.Fatalf("first boot failed:\n%s", out)
	}
	if got, _ := os.Readlink(a.path("etc/localtime")); got != "../usr/share/zoneinfo/Asia/Jakarta" {
		t.Errorf("/etc/localtime -> %q, want the default Asia/Jakarta", got)
	}
}
