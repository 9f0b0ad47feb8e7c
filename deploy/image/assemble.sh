#!/bin/sh
# Assemble the SD card image from a finished root filesystem, without loop
# devices or mounts (called by build.sh; rerunnable on its own):
#
#   deploy/image/assemble.sh ROOTFS IMAGE-FILE [TEST-DIR]
#
# Partitions (MBR, which every Pi's boot ROM reads):
#   1  FAT32  ANTRI-BOOT  256 MiB  firmware, kernel, initrd, device trees,
#                                  cmdline.txt, config.txt and the technician's
#                                  antri.toml / wifi.txt   (mkfs.vfat + mcopy)
#   2  ext4   antri-root           the system                (mke2fs -d)
#   3  ext4   antri-data  1 GiB    /var/lib/antri: SQLite, the only regular
#                                  writer, so the root can be read-only
# TEST-DIR gets the image's vmlinuz and initrd.img for boot-test.sh, which
# boots IMAGE-FILE itself as qemu's disk.
# Needs: dosfstools mtools fdisk e2fsprogs (mke2fs, debugfs). ROOTFS is left as it was.
set -eu

rootfs="$1"
img="$2"
testdir="${3:-}"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/var/tmp}/antri-assemble.XXXXXX")"
trap 'rm -rf "$work"' EXIT

boot_mib=256
data_mib="${DATA_MIB:-1024}"

# 1. FAT boot partition from /boot/firmware, plus the technician's files.
boot="$work/boot.img"
mkfs.vfat -C -F 32 -n ANTRI-BOOT "$boot" $((boot_mib * 1024)) >/dev/null
mcopy -s -i "$boot" "$rootfs"/boot/firmware/* ::/
mcopy -i "$boot" "$rootfs/usr/share/antri/antrid.example.toml" ::/antri.toml
mcopy -i "$boot" "$here/wifi.txt.contoh" ::/wifi.txt.contoh
mcopy -i "$boot" "$here/BACA-SAYA.txt" ::/BACA-SAYA.txt

# 2. ext4 root, without the FAT files (they live on partition 1) and
# without /var/lib/antri's contents (partition 3 is mounted there).
mkdir "$work/firmware"
find "$rootfs/boot/firmware" -mindepth 1 -maxdepth 1 -exec mv {} "$work/firmware/" \;
restore() { find "$work/firmware" -mindepth 1 -maxdepth 1 -exec mv {} "$rootfs/boot/firmware/" \; ; }
used_mib=$(du -sm "$rootfs" | cut -f1)
root_mib=$((used_mib + used_mib / 4 + 512))
root="$work/root.img"
if ! mke2fs -q -t ext4 -L antri-root -E root_owner=0:0 -d "$rootfs" "$root" "${root_mib}M"; then
	restore
	exit 1
fi
restore

# 3. ext4 data partition owned by antri, mode 0750 (as StateDirectory= wants).
ids="$(awk -F: '$1 == "antri" { print $3 ":" $4 }' "$rootfs/etc/passwd")"
[ -n "$ids" ] || { echo "assemble.sh: no antri user in $rootfs" >&2; exit 1; }
mkdir -m 0750 "$work/data"
data="$work/data.img"
mke2fs -q -t ext4 -L antri-data -E "root_owner=$ids" -d "$work/data" "$data" "${data_mib}M"
# mke2fs -d keeps the owner but not the mode of the top folder.
debugfs -w -R "sif / mode 040750" "$data" >/dev/null 2>&1

# Partition table on the image file, then the filesystems at their offsets.
rm -f "$img"
truncate -s $((4 + boot_mib + root_mib + data_mib))M "$img"
sfdisk --quiet "$img" <<SFDISK
label: dos
start=4MiB, size=${boot_mib}MiB, type=c, bootable
start=$((4 + boot_mib))MiB, size=${root_mib}MiB, type=83
start=$((4 + boot_mib + root_mib))MiB, size=${data_mib}MiB, type=83
SFDISK
dd if="$boot" of="$img" bs=1M seek=4 conv=notrunc,sparse status=none
dd if="$root" of="$img" bs=1M seek=$((4 + boot_mib)) conv=notrunc,sparse status=none
dd if="$data" of="$img" bs=1M seek=$((4 + boot_mib + root_mib)) conv=notrunc,sparse status=none

if [ -n "$testdir" ]; then
	mkdir -p "$testdir"
	cp "$rootfs"/boot/vmlinuz-* "$testdir/vmlinuz"
	cp "$rootfs"/boot/initrd.img-* "$testdir/initrd.img"
fi
echo "$img"
