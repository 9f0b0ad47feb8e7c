#!/bin/sh
# mmdebstrap customize hook for the Antri image: runs on the build host with
# $1 = the arm64 root filesystem, $2 = the antri .deb.
set -eu
r="$1"
deb="$2"
here="$(cd "$(dirname "$0")" && pwd)"

# The antri package: user, units, udev rules, first boot (maintainer scripts
# run in the chroot under qemu-user).
cp "$deb" "$r/tmp/antri.deb"
chroot "$r" dpkg -i /tmp/antri.deb
rm -f "$r/tmp/antri.deb"

# Kiosk and the antri.local alias: the package ships their user, PAM session,
# launchers and units (one copy for the image and Raspberry Pi OS's
# antri-setup); the image creates the user and enables the units below.
chroot "$r" systemd-sysusers antri-kiosk.conf

# Networking: DHCP on any wired port, systemd-resolved, mDNS by avahi.
mkdir -p "$r/etc/systemd/network"
cat >"$r/etc/systemd/network/20-antri-wired.network" <<'NET'
[Match]
Name=e*

[Network]
DHCP=yes
MulticastDNS=no
NET
mkdir -p "$r/etc/systemd/resolved.conf.d"
printf '[Resolve]\nMulticastDNS=no\nLLMNR=no\n' >"$r/etc/systemd/resolved.conf.d/antri.conf"

# Mounts: SD-card friendly; /boot/firmware may be absent (qemu boot test).
cat >"$r/etc/fstab" <<'FSTAB'
# Antri SD card. The queue data has its own partition so the root can be
# made read-only (overlayroot=tmpfs:recurse=0 in cmdline.txt, deploy/README.md).
# Boot and data are nofail so a missing partition still gives a console;
# the device timeout stays systemd's 90 s (udev is slow under emulation).
LABEL=antri-root  /              ext4  defaults,noatime,commit=60  0 1
LABEL=ANTRI-BOOT  /boot/firmware vfat  defaults,noatime,nofail,umask=0022  0 2
LABEL=antri-data  /var/lib/antri ext4  defaults,noatime,nofail  0 2
tmpfs             /tmp           tmpfs defaults,nosuid,nodev,size=64M  0 0
FSTAB

echo antri >"$r/etc/hostname"
printf '127.0.0.1\tlocalhost\n127.0.1.1\tantri\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$r/etc/hosts"

for unit in systemd-networkd.service systemd-resolved.service systemd-timesyncd.service \
	avahi-daemon.service antri-mdns-alias.service seatd.service antri-kiosk.service; do
	chroot "$r" systemctl enable "$unit" >/dev/null
done
chroot "$r" systemctl set-default graphical.target >/dev/null
chroot "$r" systemctl mask getty@tty1.service >/dev/null
# No password login at all: the appliance is managed by its config file.
chroot "$r" passwd --lock root >/dev/null

# Operating system updates (issue 14): the image's apt sources name the
# release, its updates and the security archive on Debian's own mirrors (not
# the build machine's), so `apt update` on an office Pi fetches security fixes;
# unattended-upgrades installs them daily and antri-os-reboot.timer reboots
# only when the office is closed and its queue empty.
suite="${SUITE:-bookworm}"
rm -f "$r/etc/apt/sources.list"
mkdir -p "$r/etc/apt/sources.list.d"
cat >"$r/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: ${IMAGE_MIRROR:-http://deb.debian.org/debian}
Suites: $suite $suite-updates
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${IMAGE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
Suites: $suite-security
Components: main non-free-firmware
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
install -m 0644 "$here/apt-20auto-upgrades" "$r/etc/apt/apt.conf.d/20auto-upgrades"
install -m 0644 "$here/apt-52antri-unattended-upgrades" "$r/etc/apt/apt.conf.d/52antri-unattended-upgrades"
install -m 0755 "$here/antri-os-reboot.sh" "$r/usr/lib/antri/antri-os-reboot"
install -m 0644 "$here/antri-os-reboot.service" "$r/lib/systemd/system/antri-os-reboot.service"
install -m 0644 "$here/antri-os-reboot.timer" "$r/lib/systemd/system/antri-os-reboot.timer"
chroot "$r" systemctl enable antri-os-reboot.timer >/dev/null

# Run mkinitramfs once, now, for the one installed kernel: put the real
# update-initramfs back and let its post-update hook (raspi-firmware) copy
# kernel, initrd and device trees to /boot/firmware.
rm -f "$r/usr/sbin/update-initramfs"
chroot "$r" dpkg-divert --local --rename --remove /usr/sbin/update-initramfs
kver="$(ls "$r/lib/modules" | head -n1)"
chroot "$r" update-initramfs -c -k "$kver"
# raspi-firmware's kernel hook (run again now that the initrd exists).
if [ -x "$r/etc/kernel/postinst.d/z50-raspi-firmware" ]; then
	chroot "$r" /etc/kernel/postinst.d/z50-raspi-firmware "$kver"
fi
grep -q 'root=LABEL=antri-root' "$r/boot/firmware/cmdline.txt" || {
	echo "customize.sh: cmdline.txt does not boot LABEL=antri-root:" >&2
	cat "$r/boot/firmware/cmdline.txt" >&2
	exit 1
}

# Smaller image: apt lists and caches come back with `apt update`.
rm -rf "$r"/var/lib/apt/lists/* "$r"/var/cache/apt/*.bin "$r"/var/cache/apt/archives/*.deb
