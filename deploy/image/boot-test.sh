#!/bin/sh
# make image-test: boot the SD image (all three partitions) with its own kernel
# and initrd under qemu-system-aarch64 -M virt, and pass when antrid's /healthz
# answers (database ok) through a port forwarded to 127.0.0.1 (gokrazy-style integration
# test). Real Pi firmware and device trees cannot be emulated: see the manual
# smoke test in deploy/README.md.
#
#   deploy/image/boot-test.sh [IMAGE [DIR]]
#     IMAGE  the SD image (default: the newest dist/antri-*-arm64.img)
#     DIR    its vmlinuz and initrd.img (default dist/image; build.sh writes them)
# First boot runs too: the image's antri.toml (the example) is validated and
# installed before antrid starts.
# Environment: APPEND (extra kernel options, e.g. overlayroot=tmpfs:recurse=0
# to test the read-only root), PORT (host port, default one from 20000-29999), TIMEOUT seconds
# (default 600).
# Needs: qemu-system-arm (qemu-system-aarch64), curl.
set -eu

img="${1:-$(ls -t dist/antri-*-arm64.img 2>/dev/null | head -n1)}"
dir="${2:-dist/image}"
PORT="${PORT:-$((20000 + $$ % 10000))}"
TIMEOUT="${TIMEOUT:-600}"
for f in "$img" "$dir/vmlinuz" "$dir/initrd.img"; do
	[ -f "$f" ] || { echo "boot-test: ${f:-the image} missing; run make image first" >&2; exit 1; }
done

# Another program answering on the port would make the test pass falsely.
if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
	echo "boot-test: something already listens on 127.0.0.1:$PORT; set PORT to a free port" >&2
	exit 1
fi

log="$(mktemp "${TMPDIR:-/tmp}/antri-boot.XXXXXX.log")"
# restrict=on: the guest reaches nothing but the forwarded port (no outside
# traffic from the test). The kiosk has no GPU under -M virt and timesyncd no
# network: both are masked. -snapshot keeps the image unchanged.
qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 1024 \
	-nographic -no-reboot -snapshot \
	-kernel "$dir/vmlinuz" -initrd "$dir/initrd.img" \
	-append "root=LABEL=antri-root rw console=ttyAMA0 panic=-1 systemd.mask=antri-kiosk.service systemd.mask=systemd-timesyncd.service systemd.mask=antri-mdns-alias.service ${APPEND:-}" \
	-drive "file=$img,format=raw,if=none,id=sd" -device virtio-blk-pci,drive=sd \
	-netdev "user,id=net,restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:8080" -device virtio-net-pci,netdev=net \
	-serial "file:$log" -monitor none -display none </dev/null &
qemu=$!
trap 'kill "$qemu" 2>/dev/null || true' EXIT

start=$(date +%s)
while :; do
	# The emulated board has no printer and no GPIO, so /healthz answers 503
	# with those two parts not ok; the appliance is up when it answers at all
	# and its database is ok.
	body="$(curl -sS --max-time 3 "http://127.0.0.1:$PORT/healthz" 2>/dev/null)" || body=""
	if printf '%s' "$body" | grep -q '"database":{"ok":true' && kill -0 "$qemu" 2>/dev/null; then
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
