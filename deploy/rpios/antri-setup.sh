#!/bin/sh
# antri-setup: turn a stock Raspberry Pi OS Lite (bookworm or trixie, 64-bit)
# with the antri package installed into the same appliance as the Antri SD
# image: the kiosk session on the HDMI screen, provisioning from antri.toml on
# the boot partition (/boot/firmware), the udev rules and the office's time
# zone. This is the route for the Raspberry Pi 5, which Debian's kernel cannot
# drive (no RP1 driver); it works on a Pi 3/4/400 with Raspberry Pi OS too.
#
#   sudo apt install ./antri_<version>_arm64.deb
#   sudo antri-setup
#
# A shell script rather than an antrid subcommand: every step is a system
# tool (apt-get, systemctl, systemd-sysusers, udevadm) run as root, while
# antrid runs unprivileged and sandboxed; and it reuses the first-boot script
# (also shell) that the SD image runs at every boot.
#
# Idempotent: run it again at any time (after an upgrade, after editing
# antri.toml); it changes only what is not yet as it should be. It never
# touches the apt sources, the user accounts (pi or whoever Imager created),
# SSH or the network set-up (Raspberry Pi OS uses NetworkManager).
#
# Exit status: 0 done; 1 done, but antri.toml has problems (shown, and on the
# screen after a reboot); 2 wrong usage; 3 refused (unsupported system,
# nothing changed); 4 a step failed (the message says which).
#
# Testing: paths are under $ANTRI_ROOT (default /), the boot partition is
# $ANTRI_BOOT, the first-boot script $ANTRI_FIRSTBOOT; with ANTRI_ROOT set the
# system is treated as not running (no restarts, no udev, no timedatectl).
set -eu

ROOT="${ANTRI_ROOT:-}"
BOOT="${ANTRI_BOOT:-$ROOT/boot/firmware}"
FIRSTBOOT="${ANTRI_FIRSTBOOT:-$ROOT/usr/lib/antri/antri-firstboot}"
SHARE="$ROOT/usr/share/antri"

# What the kiosk session and the appliance need beyond Raspberry Pi OS Lite.
# chromium is the package name on both releases (Raspberry Pi's own build
# where its archive has one, Debian's otherwise). seatd gives cage the screen
# (antri-kiosk.service: LIBSEAT_BACKEND=seatd), as on the SD image. xwayland:
# bookworm's cage gives up before starting Chromium without it (the emulated
# board's drill found the SD image's kiosk screen black for that reason).
# libnss-systemd: antri-mdns-alias runs as a DynamicUser, which D-Bus (and so
# avahi-publish) refuses unless the system resolves its name ("Failed to
# create client object" on the Raspberry Pi OS stand-in).
PACKAGES="cage xwayland chromium fonts-dejavu-core seatd curl libpam-systemd libnss-systemd avahi-daemon avahi-utils tzdata systemd-timesyncd"

usage() {
	cat <<'USAGE'
Pemakaian: sudo antri-setup
  Menjadikan Raspberry Pi OS Lite 64-bit (bookworm atau trixie) alat antrean
  Antri: layar antrean di HDMI, konfigurasi dari antri.toml di partisi boot
  (/boot/firmware), aturan udev, dan zona waktu kantor. Aman dijalankan ulang.
Usage: sudo antri-setup
  Turns 64-bit Raspberry Pi OS Lite (bookworm or trixie) into the Antri queue
  appliance: the queue screen on HDMI, configuration from antri.toml on the
  boot partition (/boot/firmware), udev rules and the office time zone. Safe
  to run again.
USAGE
}

case "${1:-}" in
"") ;;
-h | --help | --bantuan) usage; exit 0 ;;
*) usage >&2; exit 2 ;;
esac

# say INDONESIAN ENGLISH: one message, Indonesian first, English second.
say() { printf '%s\n    %s\n' "$1" "$2"; }

# refuse WHY-ID WHY-EN NEXT-ID NEXT-EN: stop before changing anything.
refuse() {
	{
		echo "antri-setup: DITOLAK / REFUSED"
		say "Sistem ini tidak didukung: $1" "This system is not supported: $2"
		say "Yang perlu dilakukan: $3" "What to do: $4"
	} >&2
	exit 3
}

# failed WHAT-ID WHAT-EN: a step went wrong half way.
failed() {
	{
		echo "antri-setup: GAGAL / FAILED"
		say "$1" "$2"
		say "Perbaiki masalah di atas lalu jalankan lagi: sudo antri-setup" \
			"Fix the problem above, then run again: sudo antri-setup"
	} >&2
	exit 4
}

step() { printf '\n[%s] %s\n    %s\n' "$1" "$2" "$3"; }

# running: a booted systemd, not a chroot, an image build or a test root.
running=0
if [ -z "$ROOT" ] && [ -d /run/systemd/system ]; then
	running=1
fi
sysctl_() { if [ -n "$ROOT" ]; then systemctl --root="$ROOT" "$@"; else systemctl "$@"; fi; }

# --- Is this a system antri-setup supports? (nothing is changed before) ------
if [ "$(id -u)" != 0 ]; then
	refuse "antri-setup harus dijalankan sebagai root." "antri-setup must run as root." \
		"jalankan: sudo antri-setup" "run: sudo antri-setup"
fi

if [ ! -r "$ROOT/etc/os-release" ]; then
	refuse "tidak ada /etc/os-release." "there is no /etc/os-release." \
		"pasang Raspberry Pi OS Lite 64-bit (bookworm atau trixie) dengan Raspberry Pi Imager." \
		"install 64-bit Raspberry Pi OS Lite (bookworm or trixie) with Raspberry Pi Imager."
fi
os_id="$(. "$ROOT/etc/os-release" && echo "${ID:-}")"
os_codename="$(. "$ROOT/etc/os-release" && echo "${VERSION_CODENAME:-}")"
os_name="$(. "$ROOT/etc/os-release" && echo "${PRETTY_NAME:-$os_id}")"
arch="$(dpkg --print-architecture 2>/dev/null || echo unknown)"

# 64-bit Raspberry Pi OS says ID=debian (it is Debian arm64 plus Raspberry
# Pi's archive); 32-bit Raspberry Pi OS says ID=raspbian.
if [ "$os_id" = raspbian ] || [ "$arch" = armhf ]; then
	refuse "$os_name adalah Raspberry Pi OS 32-bit ($arch)." "$os_name is 32-bit Raspberry Pi OS ($arch)." \
		"tulis Raspberry Pi OS Lite (64-bit) ke kartu SD dengan Raspberry Pi Imager, pasang paket antri arm64, lalu jalankan sudo antri-setup." \
		"write Raspberry Pi OS Lite (64-bit) to the SD card with Raspberry Pi Imager, install the arm64 antri package, then run sudo antri-setup."
fi
if [ "$os_id" != debian ]; then
	refuse "$os_name bukan Raspberry Pi OS atau Debian." "$os_name is neither Raspberry Pi OS nor Debian." \
		"pakai Raspberry Pi OS Lite 64-bit (bookworm atau trixie), atau image SD Antri untuk Pi 3/4/400." \
		"use 64-bit Raspberry Pi OS Lite (bookworm or trixie), or the Antri SD image for a Pi 3/4/400."
fi
case "$os_codename" in
bookworm | trixie) ;;
*)
	refuse "$os_name (${os_codename:-tanpa nama rilis}) terlalu lama atau belum diuji; yang didukung bookworm dan trixie." \
		"$os_name (${os_codename:-no release name}) is too old or untested; bookworm and trixie are supported." \
		"tulis Raspberry Pi OS Lite 64-bit terbaru dengan Raspberry Pi Imager." \
		"write the latest 64-bit Raspberry Pi OS Lite with Raspberry Pi Imager."
	;;
esac
if [ "$arch" != arm64 ]; then
	refuse "arsitektur $arch; Antri untuk Raspberry Pi butuh arm64." "architecture $arch; Antri on a Raspberry Pi needs arm64." \
		"pakai Raspberry Pi OS Lite (64-bit)." "use Raspberry Pi OS Lite (64-bit)."
fi

if ! command -v systemctl >/dev/null 2>&1 || [ ! -d "$ROOT/lib/systemd/system" ]; then
	refuse "systemd tidak terpasang." "systemd is not installed." \
		"pakai Raspberry Pi OS Lite apa adanya (systemd sudah ada)." "use Raspberry Pi OS Lite as it comes (it has systemd)."
fi

if [ ! -x "$ROOT/usr/bin/antrid" ] || [ ! -x "$FIRSTBOOT" ]; then
	refuse "paket antri belum terpasang." "the antri package is not installed." \
		"pasang dulu: sudo apt install ./antri_<versi>_arm64.deb, lalu jalankan sudo antri-setup." \
		"install it first: sudo apt install ./antri_<version>_arm64.deb, then run sudo antri-setup."
fi

# Bookworm moved the FAT boot partition from /boot to /boot/firmware.
if [ ! -d "$BOOT" ]; then
	refuse "tidak ada partisi boot di /boot/firmware (sistem sebelum bookworm?)." \
		"there is no boot partition at /boot/firmware (a system older than bookworm?)." \
		"tulis Raspberry Pi OS Lite 64-bit bookworm atau trixie dengan Raspberry Pi Imager." \
		"write 64-bit Raspberry Pi OS Lite bookworm or trixie with Raspberry Pi Imager."
fi
if [ "$running" = 1 ] && ! mountpoint -q "$BOOT"; then
	refuse "partisi boot (FAT) tidak terpasang di /boot/firmware." "the (FAT) boot partition is not mounted on /boot/firmware." \
		"periksa baris /boot/firmware di /etc/fstab, jalankan sudo mount /boot/firmware, lalu sudo antri-setup lagi." \
		"check the /boot/firmware line in /etc/fstab, run sudo mount /boot/firmware, then sudo antri-setup again."
fi

# Raspberry Pi OS with desktop: its display manager would fight the kiosk
# for the screen. Lite has none.
if [ -e "$ROOT/etc/systemd/system/display-manager.service" ] || [ -L "$ROOT/etc/systemd/system/display-manager.service" ]; then
	dm="$(basename "$(readlink "$ROOT/etc/systemd/system/display-manager.service" 2>/dev/null || echo display-manager.service)")"
	refuse "ada desktop ($dm) yang memakai layar HDMI." "a desktop ($dm) uses the HDMI screen." \
		"pakai Raspberry Pi OS Lite, atau matikan desktop dulu: sudo systemctl disable display-manager.service, lalu sudo antri-setup lagi." \
		"use Raspberry Pi OS Lite, or turn the desktop off first: sudo systemctl disable display-manager.service, then sudo antri-setup again."
fi

# --- What is it? ----------------------------------------------------------
board=
if [ -r "$ROOT/proc/device-tree/model" ]; then
	board="$(tr -d '\0' <"$ROOT/proc/device-tree/model")"
fi
if [ -e "$ROOT/etc/rpi-issue" ] || [ -e "$ROOT/etc/apt/sources.list.d/raspi.list" ] || [ -e "$ROOT/etc/apt/sources.list.d/raspi.sources" ]; then
	flavour="Raspberry Pi OS"
else
	flavour="Debian"
fi
echo "antri-setup: $flavour $os_codename arm64, ${board:-papan tidak dikenal / unknown board}"
if [ "$running" = 0 ]; then
	say "Sistem tidak sedang berjalan (chroot atau pembuatan image): layanan aktif pada boot berikutnya." \
		"Not a running system (a chroot or an image build): the services start at the next boot."
fi
case "$board" in
"Raspberry Pi 5"* | "Raspberry Pi Compute Module 5"* | "Raspberry Pi 500"*)
	if [ "$flavour" != "Raspberry Pi OS" ]; then
		say "Peringatan: Raspberry Pi 5 butuh kernel Raspberry Pi OS (driver RP1 untuk tombol GPIO, USB dan Ethernet)." \
			"Warning: a Raspberry Pi 5 needs Raspberry Pi OS's kernel (the RP1 driver for GPIO buttons, USB and Ethernet)."
	fi
	;;
"Raspberry Pi"*) ;;
*)
	say "Peringatan: ini bukan Raspberry Pi; tombol GPIO mungkin tidak ada." \
		"Warning: this is not a Raspberry Pi; there may be no GPIO buttons."
	;;
esac

# --- 1. Packages ----------------------------------------------------------
step 1/6 "Paket layar antrean (cage, chromium) dan pendukungnya" "Kiosk packages (cage, chromium) and helpers"
if [ -n "$ROOT" ]; then
	admindir="--admindir=$ROOT/var/lib/dpkg"
else
	admindir=
fi
missing=
for p in $PACKAGES; do
	# shellcheck disable=SC2086 # admindir is empty or one word
	if [ "$(dpkg-query $admindir -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null)" != "ii " ]; then
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	echo "    apt-get install$missing"
	# The sources stay as Raspberry Pi OS set them; only the lists are refreshed.
	# shellcheck disable=SC2086 # a list of package names
	if ! DEBIAN_FRONTEND=noninteractive apt-get update -q ||
		! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing; then
		failed "Paket$missing tidak bisa dipasang. Periksa jaringan (ping deb.debian.org) dan sumber apt." \
			"Could not install$missing. Check the network (ping deb.debian.org) and the apt sources."
	fi
else
	echo "    sudah terpasang / already installed"
fi

# --- 2. Users and groups --------------------------------------------------
step 2/6 "Pengguna sistem antri dan antri-kiosk" "System users antri and antri-kiosk"
# antri (antrid, groups gpio, lp, dialout) and antri-kiosk (the screen:
# video, render, input, audio). Raspberry Pi OS already has the gpio group:
# sysusers keeps it and only adds antri to it.
if ! systemd-sysusers ${ROOT:+--root="$ROOT"} antri.conf antri-kiosk.conf; then
	failed "systemd-sysusers gagal membuat pengguna antri / antri-kiosk." "systemd-sysusers could not create the users antri / antri-kiosk."
fi
for g in gpio lp dialout; do
	if ! awk -F: -v g="$g" '$1 == g { n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == "antri") f = 1 } END { exit !f }' "$ROOT/etc/group"; then
		failed "pengguna antri bukan anggota grup $g." "user antri is not in group $g."
	fi
done
echo "    antri: gpio lp dialout; antri-kiosk: video render input audio"

# --- 3. Units: antrid, first boot, kiosk, antri.local ------------------------
step 3/6 "Layanan systemd: antrid, antri-firstboot, layar antrean, antri.local" \
	"systemd units: antrid, antri-firstboot, the kiosk screen, antri.local"
for unit in antri-firstboot.service antrid.service seatd.service antri-kiosk.service antri-mdns-alias.service avahi-daemon.service systemd-timesyncd.service; do
	if ! sysctl_ enable "$unit" >/dev/null 2>&1; then
		failed "systemctl enable $unit gagal." "systemctl enable $unit failed."
	fi
done
# The kiosk owns tty1 (it conflicts with getty@tty1, which would otherwise
# also autologin there when raspi-config set console autologin); the other
# consoles (Ctrl+Alt+F2) and SSH stay for the technician.
sysctl_ mask getty@tty1.service >/dev/null 2>&1 || failed "systemctl mask getty@tty1.service gagal." "systemctl mask getty@tty1.service failed."
sysctl_ set-default graphical.target >/dev/null 2>&1 || failed "systemctl set-default graphical.target gagal." "systemctl set-default graphical.target failed."
if [ "$running" = 1 ]; then
	systemctl daemon-reload
fi
echo "    enabled: antri-firstboot antrid seatd antri-kiosk antri-mdns-alias; tty1 = antri-kiosk; default graphical.target"

# --- 4. udev --------------------------------------------------------------
step 4/6 "Aturan udev: printer (/dev/antri-printer) dan GPIO" "udev rules: printer (/dev/antri-printer) and GPIO"
for r in 60-antri-printer.rules 60-antri-gpio.rules; do
	[ -f "$ROOT/lib/udev/rules.d/$r" ] || [ -f "$ROOT/usr/lib/udev/rules.d/$r" ] ||
		failed "aturan udev $r tidak ada; pasang ulang paket antri." "udev rule $r is missing; reinstall the antri package."
done
if [ "$running" = 1 ] && command -v udevadm >/dev/null 2>&1; then
	udevadm control --reload-rules || true
	udevadm trigger --subsystem-match=usbmisc --subsystem-match=gpio --subsystem-match=tty || true
	udevadm settle --timeout=10 || true
	if [ -e /dev/antri-printer ]; then
		echo "    printer USB: /dev/antri-printer -> $(readlink /dev/antri-printer)"
	fi
	chips="$(ls /dev/gpiochip* 2>/dev/null | tr '\n' ' ')"
	echo "    GPIO: ${chips:-tidak ada /dev/gpiochip* / no /dev/gpiochip*}"
fi

# --- 5. The boot partition ------------------------------------------------
step 5/6 "Berkas di partisi boot ($BOOT)" "Files on the boot partition ($BOOT)"
new_toml=0
if [ ! -f "$BOOT/antri.toml" ]; then
	cp "$SHARE/antrid.example.toml" "$BOOT/antri.toml" ||
		failed "tidak bisa menulis $BOOT/antri.toml." "could not write $BOOT/antri.toml."
	new_toml=1
	echo "    antri.toml (contoh / the example: edit it)"
else
	echo "    antri.toml ada / present"
fi
for f in BACA-SAYA.txt wifi.txt.contoh; do
	if [ ! -f "$BOOT/$f" ] && [ -f "$SHARE/boot/$f" ]; then
		cp "$SHARE/boot/$f" "$BOOT/$f" || true
	fi
done

# --- 6. Apply antri.toml now (the same script runs at every boot) -----------
step 6/6 "Menerapkan antri.toml: token, nama host, zona waktu" "Applying antri.toml: tokens, hostname, time zone"
status=0
if ANTRI_ROOT="$ROOT" ANTRI_BOOT="$BOOT" "$FIRSTBOOT"; then
	if [ "$running" = 1 ]; then
		systemctl restart --no-block antrid.service || true
	fi
else
	status=1
fi
tz="$(readlink "$ROOT/etc/localtime" 2>/dev/null | sed 's#.*/zoneinfo/##')"
if [ "$running" = 1 ] && command -v timedatectl >/dev/null 2>&1; then
	tz="$(timedatectl show -p Timezone --value 2>/dev/null || echo "$tz")"
fi
host="$(cat "$ROOT/etc/hostname" 2>/dev/null || echo antri)"
echo "    zona waktu / time zone: ${tz:-?}; nama host / hostname: $host"

# --- Next steps -----------------------------------------------------------
echo
if [ "$status" != 0 ]; then
	echo "antri-setup: SELESAI, TETAPI antri.toml PERLU DIPERBAIKI / DONE, BUT antri.toml NEEDS FIXING"
	say "Perbaiki $BOOT/antri.toml (baris yang disebut di atas), lalu jalankan sudo antri-setup lagi atau nyalakan ulang." \
		"Fix $BOOT/antri.toml (the lines named above), then run sudo antri-setup again or reboot."
	exit 1
fi
echo "antri-setup: SELESAI / DONE"
if [ "$new_toml" = 1 ]; then
	say "1. Isi antri.toml: matikan Pi (sudo poweroff), buka kartu SD di laptop (drive \"bootfs\"), edit antri.toml; atau di sini: sudo nano $BOOT/antri.toml" \
		"1. Fill in antri.toml: shut the Pi down (sudo poweroff), open the SD card on a laptop (drive \"bootfs\"), edit antri.toml; or here: sudo nano $BOOT/antri.toml"
else
	say "1. antri.toml sudah diterapkan; token yang kosong sudah dibuat dan ditulis ke $BOOT/antri.toml." \
		"1. antri.toml is applied; empty tokens were generated and written to $BOOT/antri.toml."
fi
say "2. Nyalakan ulang (sudo reboot): layar HDMI menampilkan papan antrean; jika ada kesalahan, layar merah menjelaskannya." \
	"2. Reboot (sudo reboot): the HDMI screen shows the queue board; on a problem a red screen explains it."
say "3. Dari laptop di jaringan yang sama: http://antri.local:8080/admin (atau http://$host.local:8080/admin)" \
	"3. From a laptop on the same network: http://antri.local:8080/admin (or http://$host.local:8080/admin)"
exit 0
