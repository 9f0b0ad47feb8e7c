#!/bin/sh
# antri-firstboot: provision the appliance from files a technician edited on
# the SD card's FAT boot partition (/boot/firmware) with any laptop.
#
#   antri.toml  the office config (see /usr/share/antri/antrid.example.toml).
#               Required. Applied whenever its content differs from the
#               last one applied, so editing it again and rebooting works.
#   wifi.txt    optional Wi-Fi, three lines (Windows line ends are fine):
#                   SSID=Nama-WiFi-Kantor
#                   PASSWORD=kata-sandi      (8-63 characters; empty = open network)
#                   COUNTRY=ID
#               After use it is renamed wifi.txt.terpasang.
#
# Steps: strip Windows line ends and BOM; fill secrets left empty
# (admin_token, each counter's token, [hq] secret; "" or "change-me") with
# random hex and write them back to antri.toml on the boot partition so the
# technician can read them; validate with `antrid check-config`; install to
# /etc/antri/antri.toml; set the hostname from [office] id and the system
# time zone from [office] timezone.
# Serves both routes: the Antri SD image (Debian, systemd-networkd +
# wpa_supplicant) and Raspberry Pi OS with antri-setup (NetworkManager), which
# also runs it once at set-up time.
# Any problem is shown in Indonesian on the HDMI screen (the kiosk opens
# /run/antri/firstboot-error.html instead of /display), on tty1, and in
# antri-error.txt on the boot partition; the old config stays in place.
#
# Testing: every path is under $ANTRI_ROOT (default /), the boot partition is
# $ANTRI_BOOT, the validator $ANTRID, the console $ANTRI_TTY.
set -eu

ROOT="${ANTRI_ROOT:-}"
BOOT="${ANTRI_BOOT:-$ROOT/boot/firmware}"
ANTRID="${ANTRID:-$ROOT/usr/bin/antrid}"
TTY="${ANTRI_TTY:-/dev/tty1}"
RANDOM_SOURCE="${ANTRI_RANDOM:-/dev/urandom}"
RUN="$ROOT/run/antri"
STATE="$ROOT/var/lib/antri-firstboot"
CONF="$ROOT/etc/antri/antri.toml"

work="$(mktemp -d "${TMPDIR:-/tmp}/antri-firstboot.XXXXXX")"
trap 'rm -rf "$work"' EXIT

html_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g' -e 's/"/\&quot;/g'; }

# fail TITLE DETAILS-FILE: show the problem everywhere a technician looks, then exit 1.
fail() {
	title="$1"
	details="$2"
	mkdir -p "$RUN"
	{
		cat <<HTML
<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="30">
<title>Antri: pemasangan gagal</title>
<style>
body{background:#7a1111;color:#fff;font-family:sans-serif;margin:4vw;font-size:2.2vw}
h1{font-size:4vw;margin:0 0 2vw} pre{background:#fff;color:#000;padding:1.5vw;white-space:pre-wrap;font-size:2vw}
</style></head><body>
<h1>Antri belum bisa dipakai</h1>
<p>$(printf '%s\n' "$title" | html_escape)</p>
<pre>
HTML
		html_escape <"$details"
		cat <<HTML
</pre>
<p>Cara memperbaiki: matikan alat, cabut kartu SD, buka partisi <b>boot</b> di laptop,
perbaiki berkas yang disebut di atas, pasang kembali kartu SD, lalu nyalakan ulang.</p>
</body></html>
HTML
	} >"$RUN/firstboot-error.html.tmp"
	mv "$RUN/firstboot-error.html.tmp" "$RUN/firstboot-error.html"
	{
		echo "ANTRI: PEMASANGAN GAGAL"
		echo "$title"
		cat "$details"
		echo "Perbaiki berkas di partisi boot kartu SD, lalu nyalakan ulang."
	} >"$work/message.txt"
	# The boot partition and the console are best effort: the HTML page is
	# what the screen shows.
	cp "$work/message.txt" "$BOOT/antri-error.txt" 2>/dev/null || true
	if [ -w "$TTY" ]; then
		{ printf '\n\n'; cat "$work/message.txt"; } >"$TTY" 2>/dev/null || true
	fi
	cat "$work/message.txt" >&2
	exit 1
}

fail_text() {
	printf '%s\n' "$2" >"$work/details.txt"
	fail "$1" "$work/details.txt"
}

# toml_get SECTION KEY FILE: the string value of KEY in [SECTION] (first one).
toml_get() {
	awk -v want="$1" -v key="$2" '
		/^[ \t]*\[/ { s = $0; gsub(/[][ \t]/, "", s); sub(/#.*/, "", s); sect = s; next }
		sect == want && $0 ~ "^[ \t]*" key "[ \t]*=" {
			v = $0; sub(/^[^=]*=[ \t]*/, "", v)
			if (v ~ /^"/) { sub(/^"/, "", v); sub(/".*$/, "", v) }
			else if (v ~ /^'\''/) { sub(/^'\''/, "", v); sub(/'\''.*$/, "", v) }
			else { sub(/[ \t]*#.*$/, "", v) }
			print v; exit
		}' "$3"
}

random_hex() { od -An -N16 -tx1 "$RANDOM_SOURCE" | tr -d ' \n'; }

# --- antri.toml ----------------------------------------------------------
src="$BOOT/antri.toml"
if [ ! -f "$src" ]; then
	echo "antri-firstboot: no $src, nothing to provision"
	exit 0
fi
mkdir -p "$RUN" "$STATE"
rm -f "$RUN/firstboot-error.html" "$BOOT/antri-error.txt" 2>/dev/null || true

# Notepad on Windows writes a BOM and CRLF; TOML and awk want neither.
sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' "$src" >"$work/in.toml"

# Fill secrets left empty. One fresh random value per empty secret.
n="$(grep -cE '^[[:space:]]*(admin_token|token|secret)[[:space:]]*=[[:space:]]*"(change-me)?"' "$work/in.toml" || true)"
: >"$work/secrets"
i=0
while [ "$i" -lt "$n" ]; do
	random_hex >>"$work/secrets"
	echo >>"$work/secrets"
	i=$((i + 1))
done
awk -v pool="$work/secrets" '
	/^[ \t]*\[/ { s = $0; sub(/#.*/, "", s); gsub(/[][ \t]/, "", s); sect = s }
	{
		key = ""
		if (sect == "office" && $0 ~ /^[ \t]*admin_token[ \t]*=/) key = "admin_token"
		if (sect == "counter" && $0 ~ /^[ \t]*token[ \t]*=/) key = "token"
		if (sect == "hq" && $0 ~ /^[ \t]*secret[ \t]*=/) key = "secret"
		if (key != "" && $0 ~ /^[ \t]*[a-z_]+[ \t]*=[ \t]*"(change-me)?"/) {
			getline secret < pool
			match($0, /^[ \t]*/)
			indent = substr($0, 1, RLENGTH)
			rest = $0; sub(/^[^=]*=[ \t]*"[^"]*"/, "", rest)
			print indent key " = \"" secret "\"" rest
			next
		}
		print
	}' "$work/in.toml" >"$work/antri.toml"

sum="$(md5sum <"$work/antri.toml" | cut -d' ' -f1)"
if [ -f "$STATE/applied.md5" ] && [ "$(cat "$STATE/applied.md5")" = "$sum" ] && [ -f "$CONF" ]; then
	echo "antri-firstboot: $src already applied"
	applied=1
else
	applied=0
fi

if [ "$applied" = 0 ]; then
	if [ ! -x "$ANTRID" ]; then
		fail_text "Program antrid tidak ditemukan ($ANTRID)." "Pasang ulang paket antri atau tulis ulang image ke kartu SD."
	fi
	if ! "$ANTRID" check-config "$work/antri.toml" >"$work/check.txt" 2>&1; then
		# Name the file as the technician knows it, not our temp copy.
		sed -i "s#$work/antri.toml#antri.toml#g" "$work/check.txt"
		fail "Berkas antri.toml di partisi boot kartu SD berisi kesalahan (nomor baris di depan):" "$work/check.txt"
	fi

	# Write the generated secrets back first: if the install below fails, the
	# technician still has the tokens the next attempt will use.
	if ! cmp -s "$work/antri.toml" "$src"; then
		cp "$work/antri.toml" "$BOOT/antri.toml.tmp" && mv "$BOOT/antri.toml.tmp" "$src" ||
			fail_text "Tidak bisa menulis token ke partisi boot." "Pastikan kartu SD tidak dikunci (write-protect), lalu nyalakan ulang."
		# FAT has no journal, and the kernel writes its pages back up to 30 s
		# later: a power cut in that time left the emulated board's antri.toml
		# as zeros, so the next boot refused it and the tokens were lost. Flush
		# the boot file system before anything relies on the new file.
		sync -f "$src" || true
	fi

	# Install atomically: root owns it, group antri (antrid) reads it.
	mkdir -p "$(dirname "$CONF")"
	cp "$work/antri.toml" "$CONF.new"
	chmod 0640 "$CONF.new"
	gid="$(awk -F: '$1 == "antri" { print $3 }' "$ROOT/etc/group" 2>/dev/null || true)"
	if [ -n "$gid" ]; then
		chown "0:$gid" "$CONF.new" 2>/dev/null || chgrp "$gid" "$CONF.new" 2>/dev/null || true
	fi
	mv "$CONF.new" "$CONF"

	# Hostname from the office id: lower case, a-z 0-9 and '-', at most 63.
	id="$(toml_get office id "$work/antri.toml")"
	host="$(printf '%s' "$id" | tr 'A-Z' 'a-z' | sed -e 's/[^a-z0-9-]/-/g' -e 's/--*/-/g' -e 's/^-//' -e 's/-$//' | cut -c1-63 | sed 's/-$//')"
	[ -n "$host" ] || host=antri
	echo "$host" >"$ROOT/etc/hostname"
	if [ -f "$ROOT/etc/hosts" ] && grep -q '^127\.0\.1\.1[[:space:]]' "$ROOT/etc/hosts"; then
		sed -i "s/^127\.0\.1\.1[[:space:]].*/127.0.1.1\t$host/" "$ROOT/etc/hosts"
	else
		printf '127.0.1.1\t%s\n' "$host" >>"$ROOT/etc/hosts"
	fi
	# Only on a booted system: in a chroot (an image build, antri-setup in
	# one) this would rename the build machine.
	if [ -z "$ROOT" ] && [ -d /run/systemd/system ] && command -v hostname >/dev/null 2>&1; then
		hostname "$host" || true
	fi

	# System time zone from [office] timezone (antrid's default Asia/Jakarta
	# when absent). antrid keeps its days in the config's zone on its own; the
	# system zone is for what the kiosk's Chromium shows as local time, the
	# journal and the technician's shell. Written as timedatectl does (the
	# /etc/localtime link; /etc/timezone too where the system still has one),
	# because at this point of the boot timedated (D-Bus) is not up yet.
	tz="$(toml_get office timezone "$work/antri.toml")"
	[ -n "$tz" ] || tz=Asia/Jakarta
	case "$tz" in
	*..* | /* | *[!A-Za-z0-9_+/-]*) tz_ok=0 ;;
	*) tz_ok=1 ;;
	esac
	if [ "$tz_ok" = 1 ] && [ -f "$ROOT/usr/share/zoneinfo/$tz" ]; then
		if [ "$(readlink "$ROOT/etc/localtime" 2>/dev/null)" != "../usr/share/zoneinfo/$tz" ]; then
			ln -sfn "../usr/share/zoneinfo/$tz" "$ROOT/etc/localtime"
		fi
		if [ -f "$ROOT/etc/timezone" ] && [ "$(cat "$ROOT/etc/timezone")" != "$tz" ]; then
			echo "$tz" >"$ROOT/etc/timezone"
		fi
	else
		echo "antri-firstboot: time zone $tz not in /usr/share/zoneinfo (package tzdata); system time zone left as it was" >&2
	fi

	# The installed config on disk before the mark that says it was applied.
	sync -f "$CONF" || true
	md5sum <"$work/antri.toml" | cut -d' ' -f1 >"$STATE/applied.md5"
	sync -f "$STATE/applied.md5" || true
	echo "antri-firstboot: installed $CONF for office '$id', hostname $host, time zone $tz"
fi

# wifi_networkd: the SD image's way (systemd-networkd + wpa_supplicant@wlan0).
wifi_networkd() {
	esc() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }
	mkdir -p "$ROOT/etc/wpa_supplicant" "$ROOT/etc/systemd/network"
	umask 077
	{
		echo "# Written by antri-firstboot from wifi.txt on the boot partition."
		echo "ctrl_interface=DIR=/run/wpa_supplicant GROUP=netdev"
		echo "update_config=0"
		echo "country=$country"
		echo "network={"
		printf '\tssid="%s"\n' "$(esc "$ssid")"
		if [ -n "$pass" ]; then
			printf '\tpsk="%s"\n' "$(esc "$pass")"
		else
			echo "	key_mgmt=NONE"
		fi
		echo "}"
	} >"$ROOT/etc/wpa_supplicant/wpa_supplicant-wlan0.conf"
	umask 022
	cat >"$ROOT/etc/systemd/network/25-antri-wlan.network" <<NET
# Written by antri-firstboot: DHCP on Wi-Fi (wifi.txt).
[Match]
Name=wlan0

[Network]
DHCP=yes
MulticastDNS=no
NET
	if [ -z "$ROOT" ]; then
		# --no-block: we run during boot; waiting here for wlan0 to appear
		# would hold up antrid and the screen.
		systemctl enable wpa_supplicant@wlan0.service || true
		systemctl start --no-block wpa_supplicant@wlan0.service || true
		systemctl try-restart --no-block systemd-networkd.service || true
	else
		systemctl --root="$ROOT" enable wpa_supplicant@wlan0.service >/dev/null 2>&1 || true
	fi
}

# wifi_networkmanager: Raspberry Pi OS (bookworm and later) manages Wi-Fi with
# NetworkManager; wpa_supplicant@wlan0 would fight it for the interface. One
# keyfile connection, replaced when wifi.txt comes again. The regulatory
# country is Raspberry Pi OS's own setting (raspi-config), set when present.
wifi_networkmanager() {
	# GLib key file values: a backslash is written twice. printf, not echo:
	# dash's echo would turn the doubled backslash back into one.
	kf() { printf '%s' "$1" | sed -e 's/\\/\\\\/g'; }
	dir="$ROOT/etc/NetworkManager/system-connections"
	mkdir -p "$dir"
	uuid="$(cat /proc/sys/kernel/random/uuid)"
	umask 077
	{
		echo "# Written by antri-firstboot from wifi.txt on the boot partition."
		echo "[connection]"
		echo "id=antri-wifi"
		echo "uuid=$uuid"
		echo "type=wifi"
		echo "interface-name=wlan0"
		echo "autoconnect=true"
		echo
		echo "[wifi]"
		echo "mode=infrastructure"
		printf 'ssid=%s\n' "$(kf "$ssid")"
		if [ -n "$pass" ]; then
			echo
			echo "[wifi-security]"
			echo "key-mgmt=wpa-psk"
			printf 'psk=%s\n' "$(kf "$pass")"
		fi
		echo
		echo "[ipv4]"
		echo "method=auto"
		echo
		echo "[ipv6]"
		echo "method=auto"
	} >"$dir/antri-wifi.nmconnection.tmp"
	umask 022
	mv "$dir/antri-wifi.nmconnection.tmp" "$dir/antri-wifi.nmconnection"
	if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
		if command -v raspi-config >/dev/null 2>&1; then
			raspi-config nonint do_wifi_country "$country" >/dev/null 2>&1 || true
		fi
		# NetworkManager usually starts after us and reads the file then;
		# when it is already up (antri-setup run by hand), tell it.
		nmcli connection reload >/dev/null 2>&1 || true
	fi
}

# --- wifi.txt (optional) -------------------------------------------------
wifi="$BOOT/wifi.txt"
if [ -f "$wifi" ]; then
	sed -e '1s/^\xEF\xBB\xBF//' -e 's/\r$//' "$wifi" >"$work/wifi.txt"
	ssid="$(sed -n 's/^[[:space:]]*SSID[[:space:]]*=[[:space:]]*//p' "$work/wifi.txt" | head -n1)"
	pass="$(sed -n 's/^[[:space:]]*PASSWORD[[:space:]]*=//p' "$work/wifi.txt" | head -n1)"
	country="$(sed -n 's/^[[:space:]]*COUNTRY[[:space:]]*=[[:space:]]*//p' "$work/wifi.txt" | head -n1 | tr -d ' \t')"
	[ -n "$country" ] || country=ID
	if [ -z "$ssid" ]; then
		fail_text "Berkas wifi.txt tidak berisi nama jaringan." "Tulis baris SSID=nama-wifi-kantor di wifi.txt."
	fi
	if [ -n "$pass" ] && { [ "${#pass}" -lt 8 ] || [ "${#pass}" -gt 63 ]; }; then
		fail_text "Kata sandi Wi-Fi di wifi.txt harus 8 sampai 63 karakter." "PASSWORD untuk jaringan \"$ssid\" panjangnya ${#pass} karakter."
	fi
	case "$country" in
	[A-Z][A-Z]) ;;
	*) fail_text "Kode negara di wifi.txt salah." "COUNTRY harus dua huruf besar, misalnya COUNTRY=ID (tertulis: $country)." ;;
	esac
	if [ -x "$ROOT/usr/sbin/NetworkManager" ]; then
		wifi_networkmanager
	else
		wifi_networkd
	fi
	# The Wi-Fi files on the root file system (commit=60) must be on disk before
	# wifi.txt is marked used, and the rename on FAT right after.
	sync || true
	mv "$wifi" "$wifi.terpasang"
	sync -f "$BOOT" || true
	echo "antri-firstboot: Wi-Fi configured for \"$ssid\""
fi

exit 0
