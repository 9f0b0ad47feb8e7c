#!/bin/sh
# make image-test: boot the image's root filesystem with its own kernel and
# initrd under qemu-system-aarch64 -M virt, and pass when antrid's /healthz
# answers through a port forwarded to 127.0.0.1 (gokrazy-style integration
# test). Real Pi firmware and device trees cannot be emulated: see the manual
# smoke test in deploy/README.md.
#
#   deploy/image/boot-test.sh [DIR]   DIR has vmlinuz, initrd.img, root.img
#                                     (default dist/image, written by build.sh)
# Environment: PORT (host port, default 18080), TIMEOUT seconds (default 600).
# Needs: qemu-system-arm (qemu-system-aarch64), curl.
set -eu

dir="${1:-dist/image}"
PORT="${PORT:-18080}"
TIMEOUT="${TIMEOUT:-600}"
for f in vmlinuz initrd.img root.img; do
	[ -f "$dir/$f" ] || { echo "boot-test: $dir/$f missing; run make image first" >&2; exit 1; }
done

log="$(mktemp "${TMPDIR:-/tmp}/antri-boot.XXXXXX.log")"
# restrict=on: the guest reaches nothing but the forwarded port (no outside
# traffic from the test). The kiosk has no GPU under -M virt and timesyncd no
# network: both are masked. -snapshot keeps root.img unchanged.
qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 \
	-nographic -no-reboot -snapshot \
	-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
	-append "root=LABEL=antri-root rw console=ttyAMA0 panic=-1 systemd.mask=antri-kiosk.service systemd.mask=systemd-timesyncd.service systemd.mask=antri-mdns-alias.service" \
	-drive "file=$dir/root.img,format=raw,if=none,id=root" -device virtio-blk-pci,drive=root \
	-netdev "user,id=net,restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:8080" -device virtio-net-pci,netdev=net \
	-serial "file:$log" -monitor none -display none </dev/null &
qemu=$!
trap 'kill "$qemu" 2>/dev/null || true' EXIT

start=$(date +%s)
while :; do
	if body="$(curl -fsS --max-time 3 "http://127.0.0.1:$PORT/healthz" 2>/dev/null)"; then
		echo "boot-test: /healthz answered after $(($(date +%s) - start)) s: $body"
		exit 0
	fi
	if ! kill -0 "$qemu" 2>/dev/null; then
		echo "boot-test: qemu exited before /healthz answered; console log:" >&2
		tail -n 60 "$log" >&2
		exit 1
	fi
	if [ $(($(date +%s) - start)) -ge "$TIMEOUT" ]; then
		echo "boot-test: no /healthz after $TIMEOUT s; console log:" >&2
		tail -n 60 "$log" >&2
		exit 1
	fi
	sleep 2
done
