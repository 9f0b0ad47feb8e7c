#!/bin/sh
# Build the gpio-sim kernel module (and irq_sim, which it needs) out of tree
# for one exact Debian arm64 kernel, on any host, for the emulated-board test
# only: Debian's kernel has CONFIG_GPIO_SIM and CONFIG_IRQ_SIM off, and these
# modules are never put in the shipped image.
#
#   deploy/image/e2e/gpio-sim.sh KERNEL-RELEASE PACKAGE-VERSION OUT-DIR
#     e.g. 6.1.0-57-arm64 6.1.192-3 dist/e2e/modules
#   -> OUT-DIR/gpio-sim.ko OUT-DIR/irq_sim.ko
#
# How: Debian's packages for exactly that kernel, downloaded with a private apt
# state (the host's dpkg and apt configuration stay untouched):
#   linux-headers-<release> (arm64: .config, Module.symvers, generated headers)
#   linux-headers-<abi>-common (all), linux-kbuild-<x.y> (the HOST's
#   architecture: modpost, fixdep, genksyms as host binaries, so nothing runs
#   under qemu-user), linux-source-<x.y> (gpio-sim.c, gpiolib.h, irq_sim.c).
# The cross compiler is Debian's gcc-12 for aarch64 (gcc-aarch64-linux-gnu),
# the same gcc-12 the kernel was built with.
#
# irq_sim.c is built in tree only (CONFIG_IRQ_SIM is a bool); as a module it
# gets a MODULE_LICENSE and calls generic_handle_irq() instead of
# handle_simple_irq(irq_to_desc()), because irq_to_desc is not exported. The
# effect is the same: the simulated IRQ's flow handler is handle_simple_irq.
#
# Environment: MIRROR, SECURITY_MIRROR (default deb.debian.org), SUITE
# (default bookworm). Needs: apt, dpkg-deb, xz-utils, make, gcc-aarch64-linux-gnu.
set -eu

kver="$1" pkgver="$2" out="$3"
abi="${kver%-arm64}"     # 6.1.0-57
series="${kver%%.0-*}"   # 6.1 (linux-kbuild-6.1, linux-source-6.1)
SUITE="${SUITE:-bookworm}"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
SECURITY_MIRROR="${SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
hostarch="$(dpkg --print-architecture)"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
if [ -f "$out/gpio-sim.ko" ] && [ -f "$out/irq_sim.ko" ] && [ "$(cat "$out/kernel" 2>/dev/null)" = "$kver $pkgver" ]; then
	echo "gpio-sim.sh: $out has the modules for $kver ($pkgver)" >&2
	exit 0
fi
for tool in apt-get dpkg-deb xz make aarch64-linux-gnu-gcc-12; do
	command -v "$tool" >/dev/null || {
		echo "gpio-sim.sh: $tool missing (Debian packages: apt dpkg xz-utils make gcc-aarch64-linux-gnu)" >&2
		exit 1
	}
done

work="$(mktemp -d "${TMPDIR:-/var/tmp}/antri-gpio-sim.XXXXXX")"
trap 'rm -rf "$work"' EXIT
a="$work/apt"
mkdir -p "$a/lists/partial" "$a/cache/archives/partial" "$work/deb" "$work/x" "$work/src" "$work/m"
: >"$a/status"
key=/usr/share/keyrings/debian-archive-keyring.gpg
for s in "$MIRROR $SUITE" "$MIRROR $SUITE-updates" "$SECURITY_MIRROR $SUITE-security"; do
	echo "deb [arch=arm64,$hostarch signed-by=$key] $s main"
done >"$a/sources.list"
apt() {
	apt-get -q -o Dir::State="$a" -o Dir::State::Lists="$a/lists" -o Dir::State::status="$a/status" \
		-o Dir::Cache="$a/cache" -o Dir::Etc::SourceList="$a/sources.list" \
		-o Dir::Etc::SourceParts=/nonexistent -o APT::Architectures="$hostarch,arm64" \
		-o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}
apt update >"$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; exit 1; }
if ! (cd "$work/deb" && apt download \
	"linux-headers-$kver:arm64=$pkgver" "linux-headers-$abi-common=$pkgver" \
	"linux-kbuild-$series:$hostarch=$pkgver" "linux-source-$series=$pkgver") >"$work/apt.log" 2>&1; then
	cat "$work/apt.log" >&2
	echo "gpio-sim.sh: Debian no longer serves kernel $pkgver (a newer security kernel replaced it): rebuild the image (make image)" >&2
	exit 1
fi
for d in "$work"/deb/linux-headers-*.deb "$work"/deb/linux-kbuild-*.deb; do
	dpkg-deb -x "$d" "$work/x"
done
dpkg-deb --fsys-tarfile "$work"/deb/linux-source-*.deb |
	tar -xO "./usr/src/linux-source-$series.tar.xz" |
	tar -xJ -C "$work/src" "linux-source-$series/drivers/gpio/gpio-sim.c" \
		"linux-source-$series/drivers/gpio/gpiolib.h" "linux-source-$series/kernel/irq/irq_sim.c"
s="$work/src/linux-source-$series"
cp "$s/drivers/gpio/gpio-sim.c" "$s/drivers/gpio/gpiolib.h" "$work/m/"
sed -e 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' "$s/kernel/irq/irq_sim.c" >"$work/m/irq_sim.c"
grep -q 'generic_handle_irq(irqnum);' "$work/m/irq_sim.c" || {
	echo "gpio-sim.sh: irq_sim.c of $pkgver changed; update the patch above" >&2
	exit 1
}
printf '\nMODULE_LICENSE("GPL");\nMODULE_DESCRIPTION("interrupt simulator (antri e2e test build)");\n' >>"$work/m/irq_sim.c"
printf 'obj-m := irq_sim.o gpio-sim.o\n' >"$work/m/Kbuild"

# The headers' Makefile includes the common tree by its absolute path.
h="$work/x/usr/src/linux-headers-$kver"
sed -i "s#^include /usr/src/#include $work/x/usr/src/#" "$h/Makefile"
make -s -C "$h" M="$work/m" DEB_BUILD_ARCH="$hostarch" DEB_HOST_ARCH=arm64 \
	DEB_HOST_GNU_TYPE=aarch64-linux-gnu modules >&2
cp "$work/m/gpio-sim.ko" "$work/m/irq_sim.ko" "$out/"
echo "$kver $pkgver" >"$out/kernel"
echo "gpio-sim.sh: built $out/gpio-sim.ko and irq_sim.ko for $kver ($pkgver)" >&2
