#!/bin/sh
# antri-backup: the nightly copy of the office's database to a USB drive labelled
# ANTRI-BACKUP, for an office without headquarters (docs/FLEET.md, "Restore a dead card").
# antri-backup.timer runs it at night, 90-antri-backup.rules as soon as the drive is
# plugged in; when no such drive is there it does nothing. Run as root by
# antri-backup.service: it mounts the drive, writes the backup as the antri user
# (antrid backup: an online copy that never stalls the queue, rotated, within the
# drive's free space), and unmounts it again, so the drive may be pulled out at any time
# outside the minutes of a backup. Installed as /usr/lib/antri/antri-backup.
set -eu

LABEL=ANTRI-BACKUP
DEVICE=${ANTRI_BACKUP_DEVICE:-/dev/disk/by-label/$LABEL}
MOUNT=${ANTRI_BACKUP_MOUNT:-/run/antri-backup}
ANTRID=${ANTRID:-/usr/bin/antrid}
CONFIG=${ANTRI_CONFIG:-/etc/antri/antri.toml}
DATA=${ANTRI_DATA:-/var/lib/antri}
KEEP=${ANTRI_BACKUP_KEEP:-14}

if [ ! -e "$DEVICE" ]; then
	echo "antri-backup: tidak ada drive USB berlabel $LABEL; cadangan dilewati"
	exit 0
fi
fstype=$(blkid -o value -s TYPE "$DEVICE" || true)
uid=$(id -u antri)
gid=$(id -g antri)
case "$fstype" in
vfat | exfat) owner="uid=$uid,gid=$gid,umask=0077" ;; # no owners on the drive itself
ext2 | ext3 | ext4) owner="" ;;
*)
	echo "antri-backup: drive $LABEL berformat '${fstype:-tidak dikenal}'; format ulang sebagai FAT32, exFAT atau ext4 dengan label $LABEL" >&2
	exit 1
	;;
esac

mkdir -p "$MOUNT"
mount -t "$fstype" -o "noexec,nosuid,nodev,noatime${owner:+,$owner}" "$DEVICE" "$MOUNT"
trap 'sync; umount "$MOUNT" || umount -l "$MOUNT"' EXIT
folder="$MOUNT/antri"
mkdir -p "$folder"
case "$fstype" in
ext*) chown "$uid:$gid" "$folder" && chmod 0750 "$folder" ;;
esac
setpriv --reuid="$uid" --regid="$gid" --init-groups -- \
	"$ANTRID" backup -config "$CONFIG" -data "$DATA" -to "$folder" -keep "$KEEP"
