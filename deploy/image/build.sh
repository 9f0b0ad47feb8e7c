#!/bin/sh
# make image: a Raspberry Pi SD card image of Debian bookworm arm64 with Antri,
# built only from Debian's archive and the antri .deb, without loop devices or
# mounts.
#
#   deploy/image/build.sh          -> dist/antri-<version>-arm64.img
#                                     dist/image/{vmlinuz,initrd.img,root.img} for boot-test.sh
#
# Environment:
#   MIRROR   Debian mirror URI (default: the first one in this machine's apt sources)
#   SECURITY_MIRROR  Debian security mirror URI (default: the one in this
#            machine's apt sources, else http://deb.debian.org/debian-security)
#   SUITE    bookworm (default); the image is built from SUITE, SUITE-updates
#            and SUITE-security, so a card built today has today's kernel and
#            security fixes
#   IMAGE_MIRROR, IMAGE_SECURITY_MIRROR  what the image's own apt sources name
#            (default deb.debian.org; a build mirror on the LAN is not
#            reachable from an office)
#   ANTRI_DEB the arm64 package (default: built with deploy/deb/build.sh arm64)
#   WORK     scratch folder (default: a new temp dir, removed at the end)
#   DIST     output folder (default: dist)
#
# Needs (Debian packages): mmdebstrap qemu-user-static binfmt-support
# dosfstools mtools fdisk e2fsprogs, run as root (mmdebstrap's root mode:
# file owners in the image) on any architecture. On a non-arm64 host the arm64
# maintainer scripts run under qemu-user: binfmt_misc must be mounted and
# qemu-aarch64 enabled (done below when possible).
#
# Time and disk (2-core x86-64 under qemu-user): see docs/PERFORMANCE.md.
# About 3 GB in WORK, 3.5 GB image (sparse).
set -eu

top="$(cd "$(dirname "$0")/../.." && pwd)"
here="$top/deploy/image"
cd "$top"
export SUITE="${SUITE:-bookworm}"
DIST="${DIST:-dist}"
mkdir -p "$DIST/image"
DIST="$(cd "$DIST" && pwd)"

# host_mirror GREP-ARGS: the first archive URI in this machine's apt sources
# that matches (deb822 URIs: lines and one-line deb entries).
host_mirror() {
	sed -n 's/^URIs:[[:space:]]*//p; s/^deb[[:space:]]\+\(\[[^]]*\][[:space:]]\+\)\?\([^[:space:]]*\).*/\2/p' \
		/etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | grep "$@" | head -n1
}
MIRROR="${MIRROR:-$(host_mirror -v security)}"
[ -n "$MIRROR" ] || { echo "image/build.sh: set MIRROR to a Debian mirror URI" >&2; exit 1; }
SECURITY_MIRROR="${SECURITY_MIRROR:-$(host_mirror security)}"
SECURITY_MIRROR="${SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
export IMAGE_MIRROR="${IMAGE_MIRROR:-http://deb.debian.org/debian}"
export IMAGE_SECURITY_MIRROR="${IMAGE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

if [ -z "${ANTRI_DEB:-}" ]; then
	ANTRI_DEB="$(sh "$top/deploy/deb/build.sh" arm64 | tail -n1)"
fi
ANTRI_DEB="$(cd "$(dirname "$ANTRI_DEB")" && pwd)/$(basename "$ANTRI_DEB")"
version="$(dpkg-deb -f "$ANTRI_DEB" Version)"

if [ "$(dpkg --print-architecture)" != arm64 ]; then
	if [ ! -e /proc/sys/fs/binfmt_misc/register ]; then
		mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	fi
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
fi

if [ -z "${WORK:-}" ]; then
	WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/antri-image.XXXXXX")"
	trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
rootfs="$WORK/rootfs"
rm -rf "$rootfs"

t0=$(date +%s)
stamp() { echo "image/build.sh: $1 after $(($(date +%s) - t0)) s" >&2; }

# busybox: initramfs-tools puts it in the initrd, and overlayroot's initrd
# script (the optional read-only root) needs its grep.
# Packages: the Pi boot chain (raspi-firmware puts the firmware, kernel,
# device trees and initrd on the FAT partition), networking with mDNS, the
# clock (no RTC on a Pi), Wi-Fi, the kiosk (cage, chromium, and seatd, which
# gives cage the screen: see antri-kiosk.service), and unattended-upgrades (security
# fixes; reboots only outside opening hours, antri-os-reboot below).
# libnss-systemd: antri-mdns-alias runs as a DynamicUser, which D-Bus (and so
# avahi-publish) refuses unless the system resolves its name.
# xwayland: bookworm's cage (0.1.4) gives up before starting Chromium when it
# cannot create its XWayland server ("Cannot find Xwayland binary"), leaving the
# screen black; Chromium itself runs on Wayland, so Xwayland (started lazily)
# never runs and costs disk only. tzdata and espeak-ng: the antri package
# depends on them (time zones; espeak-ng says the office's service and counter
# names), and customize.sh installs it with dpkg, which fetches nothing.
packages="systemd-sysv,udev,dbus,kmod,initramfs-tools,linux-image-arm64,raspi-firmware,firmware-brcm80211,\
systemd-timesyncd,systemd-resolved,avahi-daemon,libnss-mdns,wpasupplicant,iproute2,hostname,curl,ca-certificates,\
cage,xwayland,chromium,fonts-dejavu-core,libpam-systemd,libnss-systemd,avahi-utils,overlayroot,busybox,unattended-upgrades,seatd,\
tzdata,espeak-ng"
components="main non-free-firmware"

# mkinitramfs under qemu-user takes ~16 minutes a run, and the kernel and
# raspi-firmware installs each trigger one. update-initramfs is diverted to a
# no-op while packages install and run exactly once at the end, with a short
# MODULES=list (Pi SD card + qemu virt disk + ext4) instead of MODULES=most.
mmdebstrap \
	--mode=root --variant=minbase --architectures=arm64 \
	--include="$packages" \
	--dpkgopt=force-confold --dpkgopt=force-confdef \
	--aptopt='APT::Install-Recommends "false"' \
	--setup-hook='mkdir -p "$1/etc/default" "$1/etc/initramfs-tools/conf.d"' \
	--setup-hook="cp '$here/raspi-firmware.default' \"\$1/etc/default/raspi-firmware\"" \
	--setup-hook="cp '$here/initramfs-antri.conf' \"\$1/etc/initramfs-tools/conf.d/antri.conf\"" \
	--setup-hook="cp '$here/initramfs-modules' \"\$1/etc/initramfs-tools/modules\"" \
	--essential-hook='chroot "$1" dpkg-divert --local --rename --add /usr/sbin/update-initramfs' \
	--essential-hook='printf "#!/bin/sh\necho update-initramfs: deferred by antri image build\n" >"$1/usr/sbin/update-initramfs"; chmod 0755 "$1/usr/sbin/update-initramfs"' \
	--customize-hook="sh '$here/customize.sh' \"\$1\" '$ANTRI_DEB'" \
	"$SUITE" "$rootfs" \
	"deb $MIRROR $SUITE $components" \
	"deb $MIRROR $SUITE-updates $components" \
	"deb $SECURITY_MIRROR $SUITE-security $components"
stamp "root filesystem"

img="$DIST/antri-$version-arm64.img"
sh "$here/assemble.sh" "$rootfs" "$img" "$DIST/image" >/dev/null
stamp "image $img ($(du -h --apparent-size "$img" | cut -f1))"
echo "$img"
