#!/bin/sh
# Build the antri Debian packages: dist/antri_<version>_<arch>.deb.
#
#   deploy/deb/build.sh [arm64] [armhf] [amd64]     (default: all three)
#
# Environment:
#   VERSION       package version (default: from `git describe --tags --always`)
#   DIST          output folder (default: dist)
#   ANTRI_BIN_DIR take antrid (and antri-hq) from DIR/<arch>/ instead of
#                 cross-compiling them (the tests pass the antrid they built)
#   EXAMPLE_CONFIG the example config (default: deploy/antrid.example.toml)
#   DEB_COMPRESS  dpkg-deb compressor (default xz; the tests use none for speed)
#
# Needs go, dpkg-deb (dpkg), and nothing root-only: dpkg-deb
# --root-owner-group makes every file root:root in the package.
set -eu

top="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$top"
deploy="$top/deploy"
DIST="${DIST:-dist}"
EXAMPLE_CONFIG="${EXAMPLE_CONFIG:-$deploy/antrid.example.toml}"

if [ -z "${VERSION:-}" ]; then
	# v1.2.0 -> 1.2.0; v1.2.0-3-gabc123 -> 1.2.0+3.gabc123; no tag -> 0.0~gabc123.
	# A bare hash (no tag) may start with a digit too, so ask for a tag explicitly.
	if d="$(git describe --tags --dirty 2>/dev/null)"; then
		d="${d#v}"
	else
		d="$(git describe --always --dirty 2>/dev/null || echo unknown)"
		d="0.0~g$d"
	fi
	case "$d" in
	0.0~g*) VERSION="$(echo "$d" | sed -e 's/-/./g')" ;;
	[0-9]*) VERSION="$(echo "$d" | sed -e 's/-\([0-9][0-9]*\)-g/+\1.g/' -e 's/-/./g')" ;;
	*) VERSION="0.0~g$(echo "$d" | sed -e 's/-/./g')" ;;
	esac
fi
case "$VERSION" in
[0-9]*) ;;
*) echo "build.sh: VERSION=$VERSION must start with a digit (Debian policy 5.6.12)" >&2; exit 1 ;;
esac

if [ ! -f "$EXAMPLE_CONFIG" ]; then
	echo "build.sh: $EXAMPLE_CONFIG is missing; it becomes /etc/antri/antri.toml (set EXAMPLE_CONFIG)" >&2
	exit 1
fi

[ $# -gt 0 ] || set -- arm64 armhf amd64
mkdir -p "$DIST"

for arch in "$@"; do
	case "$arch" in
	arm64) goenv="GOARCH=arm64" ;;
	armhf) goenv="GOARCH=arm GOARM=7" ;;
	amd64) goenv="GOARCH=amd64" ;;
	*) echo "build.sh: unknown architecture $arch (arm64, armhf or amd64)" >&2; exit 1 ;;
	esac

	stage="$(mktemp -d "${TMPDIR:-/tmp}/antri-deb.XXXXXX")"
	trap 'rm -rf "$stage"' EXIT
	root="$stage/root"

	# Binaries.
	install -d -m 0755 "$root/usr/bin"
	if [ -n "${ANTRI_BIN_DIR:-}" ]; then
		install -m 0755 "$ANTRI_BIN_DIR/$arch/antrid" "$root/usr/bin/antrid"
		if [ -f "$ANTRI_BIN_DIR/$arch/antri-hq" ]; then
			install -m 0755 "$ANTRI_BIN_DIR/$arch/antri-hq" "$root/usr/bin/antri-hq"
		fi
	else
		for cmd in antrid antri-hq; do
			[ -d "cmd/$cmd" ] || continue
			# shellcheck disable=SC2086 # goenv is a list of assignments
			env CGO_ENABLED=0 GOOS=linux $goenv go build -trimpath \
				-ldflags "-s -w -X main.version=$VERSION" \
				-o "$root/usr/bin/$cmd" "./cmd/$cmd"
		done
	fi

	# systemd, udev, journald, sysusers, tmpfiles.
	install -D -m 0644 "$deploy/antrid.service" "$root/lib/systemd/system/antrid.service"
	install -D -m 0644 "$deploy/firstboot/antri-firstboot.service" "$root/lib/systemd/system/antri-firstboot.service"
	install -D -m 0755 "$deploy/firstboot/antri-firstboot.sh" "$root/usr/lib/antri/antri-firstboot"
	install -D -m 0755 "$deploy/antri-update.sh" "$root/usr/lib/antri/antri-update"
	install -D -m 0644 "$deploy/antri-update-watch.service" "$root/lib/systemd/system/antri-update-watch.service"
	install -D -m 0644 "$deploy/antri-update-watch.timer" "$root/lib/systemd/system/antri-update-watch.timer"
	for r in "$deploy"/udev/*.rules; do
		install -D -m 0644 "$r" "$root/lib/udev/rules.d/$(basename "$r")"
	done
	install -D -m 0644 "$deploy/journald.conf.d/antri.conf" "$root/usr/lib/systemd/journald.conf.d/antri.conf"
	install -D -m 0644 "$deploy/sysusers.d/antri.conf" "$root/usr/lib/sysusers.d/antri.conf"
	install -D -m 0644 "$deploy/sysusers.d/antri-kiosk.conf" "$root/usr/lib/sysusers.d/antri-kiosk.conf"
	install -D -m 0644 "$deploy/tmpfiles.d/antri.conf" "$root/usr/lib/tmpfiles.d/antri.conf"

	# The kiosk session (cage + Chromium on tty1) and the antri.local alias,
	# one copy for both routes: the SD image build and antri-setup (Raspberry
	# Pi OS) enable them; the package alone does not (a server has no screen).
	install -D -m 0755 "$deploy/image/antri-kiosk.sh" "$root/usr/lib/antri/antri-kiosk"
	install -D -m 0644 "$deploy/image/antri-kiosk.service" "$root/lib/systemd/system/antri-kiosk.service"
	install -D -m 0644 "$deploy/image/pam.d-antri-kiosk" "$root/etc/pam.d/antri-kiosk"
	install -D -m 0755 "$deploy/image/antri-mdns-alias.sh" "$root/usr/lib/antri/antri-mdns-alias"
	install -D -m 0644 "$deploy/image/antri-mdns-alias.service" "$root/lib/systemd/system/antri-mdns-alias.service"
	# antri-setup: Raspberry Pi OS into the appliance; it puts these next to
	# antri.toml on the boot partition, as the SD image has them.
	install -D -m 0755 "$deploy/rpios/antri-setup.sh" "$root/usr/sbin/antri-setup"
	install -D -m 0644 "$deploy/image/BACA-SAYA.txt" "$root/usr/share/antri/boot/BACA-SAYA.txt"
	install -D -m 0644 "$deploy/image/wifi.txt.contoh" "$root/usr/share/antri/boot/wifi.txt.contoh"

	# Config: the example for reference, and the live file as a conffile
	# (kept, never overwritten, across upgrades).
	install -D -m 0644 "$EXAMPLE_CONFIG" "$root/usr/share/antri/antrid.example.toml"
	install -D -m 0640 "$EXAMPLE_CONFIG" "$root/etc/antri/antri.toml"

	# Documentation.
	install -D -m 0644 "$deploy/README.md" "$root/usr/share/doc/antri/README.md"
	if [ -f LICENSE ]; then
		install -D -m 0644 LICENSE "$root/usr/share/doc/antri/copyright"
	fi

	# Control area.
	install -d -m 0755 "$root/DEBIAN"
	for s in postinst prerm postrm; do
		install -m 0755 "$deploy/deb/DEBIAN/$s" "$root/DEBIAN/$s"
	done
	printf '%s\n' /etc/antri/antri.toml /etc/pam.d/antri-kiosk >"$root/DEBIAN/conffiles"
	size="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
	cat >"$root/DEBIAN/control" <<CONTROL
Package: antri
Version: $VERSION
Architecture: $arch
Maintainer: Antri <antri@localhost>
Installed-Size: $size
Depends: systemd (>= 247), tzdata, espeak-ng
Recommends: avahi-daemon, systemd-timesyncd
Section: misc
Priority: optional
Homepage: https://github.com/antri-id/antri
Description: queue appliance for Indonesian public service offices
 Antri runs the queue of a one-stop public service office (LTSP / MPP) on a
 Raspberry Pi: ticket kiosk with an ESC/POS printer, GPIO buttons at the
 counters, a waiting-room display over websocket, service-standard
 indicators and monthly reports, and store-and-forward sync to headquarters.
CONTROL
	(cd "$root" && find . \( -path ./DEBIAN -o -path ./etc \) -prune -o -type f -print | sed 's#^\./##' | LC_ALL=C sort | xargs md5sum) >"$root/DEBIAN/md5sums"

	out="$DIST/antri_${VERSION}_${arch}.deb"
	dpkg-deb --root-owner-group -Z"${DEB_COMPRESS:-xz}" --build "$root" "$out" >/dev/null
	echo "$out"
	rm -rf "$stage"
	trap - EXIT
done
