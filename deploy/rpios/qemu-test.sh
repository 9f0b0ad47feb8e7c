#!/bin/sh
# make rpios-test: the Raspberry Pi OS route end to end on the closest stand-in
# this machine has (no Raspberry Pi OS archive, no Pi 5 emulation): a Debian
# trixie arm64 root filesystem shaped like Raspberry Pi OS Lite.
#
#   1. the arm64 .deb (deploy/deb/build.sh arm64, or ANTRI_DEB);
#   2. mmdebstrap: trixie arm64 with what Lite has that antri-setup meets
#      (systemd, NetworkManager, avahi-daemon, sudo, tzdata, curl), a user pi,
#      /etc/rpi-issue, /boot/firmware; plus Debian's arm64 kernel for step 5
#      (Raspberry Pi OS has its own kernel there), its initramfs run skipped;
#   3. in the chroot under qemu-user, as a technician would:
#      apt-get install ./antri.deb, then antri-setup (it installs cage and
#      chromium from the network), then antri-setup again (must change nothing);
#   4. checks on the tree: units enabled, tty1 given to the kiosk, users and
#      groups, udev rules, time zone, antri.toml applied, apt sources and the
#      pi user untouched;
#   5. boot under qemu-system-aarch64 -M virt with a FAT "bootfs" disk on
#      /boot/firmware holding an edited antri.toml and a wifi.txt: first boot
#      must apply them, antrid answer /healthz through a forwarded port, the
#      kiosk start (virtio-gpu); a test-only unit writes what systemd, udev,
#      timedatectl and NetworkManager say to the FAT disk and powers off.
#
# Environment: MIRROR (default deb.debian.org), WORK (scratch, default a temp
# dir removed at the end; KEEP=1 keeps it), ANTRI_DEB, ROOTFS_TAR (reuse the
# tarball of steps 2-3 from an earlier run's WORK, for iterating on step 5),
# PORT, BOOT_TIMEOUT (seconds, default 3600: a busy 2-core machine emulating
# 2 cores took 700-850 s to /healthz and more for Chromium).
# Needs root and: mmdebstrap arch-test qemu-user-static binfmt-support
# qemu-system-arm dosfstools mtools e2fsprogs xz-utils curl, and the network.
set -eu

top="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$top"
MIRROR="${MIRROR:-http://deb.debian.org/debian}"
PORT="${PORT:-$((30000 + $$ % 10000))}"
BOOT_TIMEOUT="${BOOT_TIMEOUT:-3600}"

t0=$(date +%s)
stamp() { echo "rpios-test: $1 ($(($(date +%s) - t0)) s)" >&2; }
fail() {
	echo "rpios-test: FAIL: $*" >&2
	exit 1
}
checks=0
check() { # check DESCRIPTION COMMAND...: one assertion, named in the log
	what="$1"
	shift
	if "$@"; then
		checks=$((checks + 1))
		echo "rpios-test: ok   $what"
	else
		fail "$what"
	fi
}

[ "$(id -u)" = 0 ] || fail "run as root (mmdebstrap's root mode, chroot)"
for tool in mmdebstrap qemu-system-aarch64 mkfs.vfat mcopy mke2fs xz curl; do
	command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing (see the Needs line in $0)"
done
if [ "$(dpkg --print-architecture)" != arm64 ]; then
	[ -e /proc/sys/fs/binfmt_misc/register ] || mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	[ -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ] || update-binfmts --enable qemu-aarch64
fi

if [ -z "${WORK:-}" ]; then
	WORK="$(mktemp -d "${TMPDIR:-/var/tmp}/antri-rpios.XXXXXX")"
	[ "${KEEP:-}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
WORK="$(cd "$WORK" && pwd)"
r="$WORK/rootfs"

# --- 1. the package -----------------------------------------------------------
if [ -z "${ANTRI_DEB:-}" ]; then
	ANTRI_DEB="$(DIST="$WORK/dist" DEB_COMPRESS=none sh deploy/deb/build.sh arm64 | tail -n1)"
fi
stamp "package $(basename "$ANTRI_DEB")"

# The technician's antri.toml: tokens left empty, an office in WITA.
technician_toml() { # technician_toml OFFICE-ID TIMEZONE
	sed -e "s/^id = \"mpp-kota-contoh\"/id = \"$1\"/" \
		-e "s#^timezone = \"Asia/Jakarta\"#timezone = \"$2\"#" \
		-e 's/^admin_token = "[^"]*"/admin_token = ""/' \
		-e 's/^token = "[^"]*"/token = ""/' \
		deploy/antrid.example.toml
}

# --- 2 and 3. Raspberry Pi OS Lite stand-in, then the technician's steps -------
rm -rf "$r"
mkdir -p "$r"
if [ -n "${ROOTFS_TAR:-}" ]; then
	tar -C "$r" -xpf "$ROOTFS_TAR"
	stamp "root filesystem from $ROOTFS_TAR"
else
	technician_toml mpp-kota-makassar Asia/Makassar >"$WORK/antri.toml"
	cp "$ANTRI_DEB" "$WORK/antri.deb"
	cat >"$WORK/lite.sh" <<'LITE'
#!/bin/sh
# Inside the chroot: what Raspberry Pi OS Lite has that this stand-in lacks.
set -eu
echo "Raspberry Pi reference 2025-10-01 (stand-in: Debian trixie arm64, antri rpios-test)" >/etc/rpi-issue
useradd -m -s /bin/bash -G sudo,video,audio,input,render,dialout pi
groupadd -r gpio && usermod -aG gpio pi
echo raspberrypi >/etc/hostname
printf '127.0.0.1\tlocalhost\n127.0.1.1\traspberrypi\n' >/etc/hosts
ln -sf /usr/share/zoneinfo/Europe/London /etc/localtime
mkdir -p /boot/firmware
echo 'console=serial0,115200 console=tty1 root=PARTUUID=00000000-02 rootfstype=ext4 fsck.repair=yes rootwait' >/boot/firmware/cmdline.txt
printf 'dtoverlay=vc4-kms-v3d\n[all]\n' >/boot/firmware/config.txt
LITE
	# The same steps a technician takes, in the chroot, with the network.
	cat >"$WORK/technician.sh" <<'TECH'
#!/bin/sh
set -eu
cp /tmp/rpios-test/antri.toml /boot/firmware/antri.toml
md5sum /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null >/tmp/rpios-test/apt.md5 || true
grep '^pi:' /etc/passwd >/tmp/rpios-test/pi.before
apt-get install -y -q --no-install-recommends /tmp/rpios-test/antri.deb
antri-setup >/tmp/rpios-test/setup1.log 2>&1 || { cat /tmp/rpios-test/setup1.log; exit 1; }
cat /tmp/rpios-test/setup1.log
# Idempotent: a second run changes nothing (every file under /etc, /boot,
# /usr/lib/sysusers.d, /var/lib/antri*; modes, links and contents).
snap() { find /etc /boot /var/lib/antri /var/lib/antri-firstboot -xdev \( -type f -o -type l -o -type d \) -printf '%p %m %u:%g %l\n' | sort; find /etc /boot -xdev -type f -exec md5sum {} + | sort; }
snap >/tmp/rpios-test/snap1
antri-setup >/tmp/rpios-test/setup2.log 2>&1 || { cat /tmp/rpios-test/setup2.log; exit 1; }
snap >/tmp/rpios-test/snap2
dpkg-query -W -f='${Package} ${Status}\n' cage chromium fonts-dejavu-core seatd libnss-systemd avahi-utils antri >/tmp/rpios-test/packages
TECH
	mmdebstrap --mode=root --variant=minbase --architectures=arm64 \
		--include=systemd-sysv,udev,dbus,kmod,tzdata,network-manager,avahi-daemon,libnss-mdns,sudo,iproute2,ca-certificates,curl,libpam-systemd,systemd-timesyncd,linux-image-arm64 \
		--aptopt='APT::Install-Recommends "false"' \
		--essential-hook='chroot "$1" dpkg-divert --local --rename --add /usr/sbin/update-initramfs' \
		--essential-hook='printf "#!/bin/sh\necho update-initramfs: not needed, rpios-test builds its own initrd\n" >"$1/usr/sbin/update-initramfs"; chmod 0755 "$1/usr/sbin/update-initramfs"' \
		--customize-hook="mkdir -p \"\$1/tmp/rpios-test\" && cp '$WORK/antri.deb' '$WORK/antri.toml' '$WORK/lite.sh' '$WORK/technician.sh' \"\$1/tmp/rpios-test/\"" \
		--customize-hook='chroot "$1" sh /tmp/rpios-test/lite.sh' \
		--customize-hook='chroot "$1" sh /tmp/rpios-test/technician.sh' \
		--customize-hook="chroot \"\$1\" sh -c 'cd /tmp && apt-get download -q busybox-static' && mv \"\$1\"/tmp/busybox-static_*.deb '$WORK/'" \
		--customize-hook="mkdir -p '$WORK/out' && cp -a \"\$1/tmp/rpios-test/.\" '$WORK/out/'" \
		trixie "$r" "$MIRROR"
	stamp "mmdebstrap, antri installed, antri-setup run twice"
	if [ "${KEEP:-}" = 1 ]; then
		tar -C "$r" -cpf "$WORK/rootfs.tar" .
	fi
fi

# --- 4. what antri-setup left in the tree ----------------------------------------
o="$WORK/out"
if [ -d "$o" ]; then
	check "antri-setup saw Raspberry Pi OS trixie arm64 and finished" grep -q 'Raspberry Pi OS trixie arm64' "$o/setup1.log"
	check "antri-setup said what to do next" grep -q 'sudo reboot' "$o/setup1.log"
	check "cage, chromium, fonts, seatd, libnss-systemd and avahi-utils installed from the network" \
		sh -c "[ \$(grep -c 'install ok installed' '$o/packages') = 7 ]"
	check "second antri-setup installed nothing" grep -q 'sudah terpasang / already installed' "$o/setup2.log"
	check "second antri-setup changed nothing" cmp -s "$o/snap1" "$o/snap2"
	check "apt sources untouched" sh -c "cd '$r' && sed 's# /# #' '$o/apt.md5' | md5sum --quiet -c -"
	check "user pi untouched" sh -c "grep '^pi:' '$r/etc/passwd' | cmp -s - '$o/pi.before'"
fi
link_is() { [ "$(readlink "$r/$1")" = "$2" ]; }
link_ends() { case "$(readlink "$r/$1")" in *"$2") return 0 ;; esac; return 1; }
check "antrid enabled" link_ends etc/systemd/system/multi-user.target.wants/antrid.service /antrid.service
check "antri-firstboot enabled" link_ends etc/systemd/system/multi-user.target.wants/antri-firstboot.service /antri-firstboot.service
check "seatd enabled" link_ends etc/systemd/system/multi-user.target.wants/seatd.service /seatd.service
check "kiosk enabled on graphical.target" link_ends etc/systemd/system/graphical.target.wants/antri-kiosk.service /antri-kiosk.service
check "antri.local alias enabled" link_ends etc/systemd/system/multi-user.target.wants/antri-mdns-alias.service /antri-mdns-alias.service
check "graphical.target is the default" link_ends etc/systemd/system/default.target /graphical.target
check "tty1 given to the kiosk (getty@tty1 masked)" link_is etc/systemd/system/getty@tty1.service /dev/null
check "udev rules installed" test -f "$r/usr/lib/udev/rules.d/60-antri-gpio.rules" -o -f "$r/lib/udev/rules.d/60-antri-gpio.rules"
check "antri in the gpio group" sh -c "grep '^gpio:' '$r/etc/group' | grep -q antri"
check "antri-kiosk user in video, render, input" sh -c "for g in video render input; do grep \"^\$g:\" '$r/etc/group' | grep -q antri-kiosk || exit 1; done"
check "time zone Asia/Makassar from antri.toml" link_ends etc/localtime /zoneinfo/Asia/Makassar
check "hostname from [office] id" grep -qx mpp-kota-makassar "$r/etc/hostname"
check "tokens generated and written back to /boot/firmware" \
	sh -c "grep -Eq '^admin_token = \"[0-9a-f]{32}\"' '$r/boot/firmware/antri.toml' && cmp -s '$r/boot/firmware/antri.toml' '$r/etc/antri/antri.toml'"
stamp "tree checks"

# --- 5. boot -------------------------------------------------------------------
kver="$(ls "$r/lib/modules" | head -n1)"
[ -n "$kver" ] || fail "no kernel modules in the root filesystem"
cp "$r/boot/vmlinuz-$kver" "$WORK/vmlinuz"

# initrd: a static busybox and the modules to reach an ext4 root on virtio-blk
# (Debian builds both as modules), loaded in dependency order.
bb="$(ls "$WORK"/busybox-static_*.deb 2>/dev/null | head -n1)"
[ -n "$bb" ] || fail "no busybox-static package in $WORK (rerun without ROOTFS_TAR)"
i="$WORK/initrd"
rm -rf "$i"
mkdir -p "$i/bin" "$i/mod" "$i/proc" "$i/dev" "$i/sys" "$i/newroot"
dpkg-deb --fsys-tarfile "$bb" | tar -xO ./usr/bin/busybox >"$i/bin/busybox" 2>/dev/null ||
	dpkg-deb --fsys-tarfile "$bb" | tar -xO ./bin/busybox >"$i/bin/busybox"
chmod 0755 "$i/bin/busybox"
ln -s busybox "$i/bin/sh"
dep="$r/lib/modules/$kver/modules.dep"
: >"$i/mod/order"
add_module() { # add_module NAME: its dependencies first, then itself
	local path n d # dash and bash have local; the recursion needs it
	path="$(grep -E "(^|/)$1\.ko(\.[a-z]+)?:" "$dep" | head -n1 | cut -d: -f1)"
	[ -n "$path" ] || fail "module $1 not in $dep"
	grep -qx "$path" "$i/mod/order" && return 0
	for d in $(grep -E "^$path:" "$dep" | cut -d: -f2); do
		add_module "$(basename "$d" | sed 's/\.ko.*//')"
	done
	if ! grep -qx "$path" "$i/mod/order"; then
		echo "$path" >>"$i/mod/order"
		n="$(basename "$path" | sed 's/\.ko.*//')"
		case "$path" in
		*.xz) xz -dc "$r/lib/modules/$kver/$path" >"$i/mod/$n.ko" ;;
		*) cp "$r/lib/modules/$kver/$path" "$i/mod/$n.ko" ;;
		esac
	fi
}
# crc32c_generic: ext4's soft dependency (modules.softdep), not in modules.dep.
for m in virtio_blk crc32c_generic ext4; do add_module "$m"; done
cat >"$i/init" <<'INIT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t devtmpfs dev /dev
for p in $(/bin/busybox cat /mod/order); do
	/bin/busybox insmod "/mod/$(/bin/busybox basename "$p" | /bin/busybox sed 's/\.ko.*//').ko"
done
n=0
while [ ! -b /dev/vda ] && [ "$n" -lt 100 ]; do /bin/busybox sleep 0.1; n=$((n + 1)); done
/bin/busybox mount -t ext4 -o rw /dev/vda /newroot || { echo "rpios-test initrd: no root on /dev/vda"; /bin/busybox sh; }
/bin/busybox umount /dev /proc
exec /bin/busybox switch_root /newroot /sbin/init
INIT
chmod 0755 "$i/init"
# The host may have no cpio: busybox's own, run through qemu-user.
(cd "$i" && find . | "$i/bin/busybox" cpio -o -H newc 2>/dev/null | gzip -1) >"$WORK/initrd.img"

# The VM boots what antri-setup left, plus a test-only reporter.
cat >"$r/usr/local/sbin/rpios-test-report" <<'REPORT'
#!/bin/sh
# rpios-test only: wait for antrid and the kiosk, write what the system says
# to the FAT partition (read by the host after power-off), power off.
n=0
until curl -s -o /dev/null http://127.0.0.1:8080/healthz || [ "$n" -ge 1200 ]; do sleep 1; n=$((n + 1)); done
n=0
until pgrep -u antri-kiosk chromium >/dev/null || [ "$n" -ge 900 ]; do sleep 1; n=$((n + 1)); done
# /display is open once Chromium holds its websocket to antrid.
ws() { ss -Htnp state established '( dport = :8080 )' | grep -c chromium; }
n=0
until [ "$(ws)" -gt 0 ] || [ "$n" -ge 900 ]; do sleep 1; n=$((n + 1)); done
sleep 30 # let it draw
# The host takes its screendump now (it watches the console for this line).
echo "rpios-test: screen ready" >/dev/kmsg
sleep 10
udevadm settle --timeout=30
# antri.local: the alias unit restarts until avahi is up; wait for it to be
# active and for avahi to answer for the name (from this host: the VM's
# user-mode network carries no multicast to the host).
n=0
until systemctl is-active -q antri-mdns-alias.service || [ "$n" -ge 300 ]; do sleep 1; n=$((n + 1)); done
n=0
until avahi-resolve -4 -n antri.local >/tmp/mdns 2>/dev/null || [ "$n" -ge 20 ]; do sleep 6; n=$((n + 1)); done
{
	echo "healthz $(curl -s http://127.0.0.1:8080/healthz | cut -c1-200)"
	for u in antri-firstboot antrid seatd antri-kiosk antri-mdns-alias avahi-daemon NetworkManager; do
		echo "active $u $(systemctl is-active "$u.service")"
	done
	echo "default $(systemctl get-default)"
	echo "getty@tty1 $(systemctl is-enabled getty@tty1.service 2>&1)"
	echo "timezone $(timedatectl show -p Timezone --value)"
	echo "hostname $(hostname)"
	echo "mdns $(cut -f2 /tmp/mdns 2>/dev/null)"
	echo "ip $(hostname -I | cut -d' ' -f1)"
	echo "office $(sed -n 's/^id = "\([^"]*\)".*/\1/p' /etc/antri/antri.toml | head -n1)"
	echo "nm-connections $(nmcli -g NAME connection show | tr '\n' ',')"
	echo "nm-wifi-mode $(stat -c %a /etc/NetworkManager/system-connections/antri-wifi.nmconnection 2>&1)"
	echo "kiosk-processes $(pgrep -u antri-kiosk -c)"
	echo "kiosk-chromium $(pgrep -u antri-kiosk chromium | head -n1)"
	echo "kiosk-session $(loginctl list-sessions --no-legend | grep antri-kiosk | tr -s ' ')"
	echo "kiosk-websockets $(ws)"
	echo "dri $(ls /dev/dri | tr '\n' ' ')"
	for c in /dev/gpiochip*; do [ -e "$c" ] && echo "gpiochip $c $(stat -c '%G %a' "$c")"; done
	echo "antrid-groups $(ps -o group=,supgrp= -C antrid | tr -s ' ')"
	echo "--- antri-firstboot"
	journalctl -b -u antri-firstboot --no-pager -o cat | tail -n 20
	echo "--- antri-kiosk (the unit, then its logind session: cage and Chromium)"
	journalctl -b -u antri-kiosk --no-pager -o cat | tail -n 10
	journalctl -b _UID="$(id -u antri-kiosk)" --no-pager -o cat | tail -n 40
	echo "--- antri-mdns-alias"
	journalctl -b -u antri-mdns-alias --no-pager -o cat | tail -n 10
	echo "--- failed units"
	systemctl --failed --no-legend
} >/boot/firmware/rpios-report.txt 2>&1
sync
systemctl poweroff
REPORT
chmod 0755 "$r/usr/local/sbin/rpios-test-report"
cat >"$r/etc/systemd/system/rpios-test-report.service" <<'UNIT'
[Unit]
Description=rpios-test only: report to the boot partition, then power off
After=antrid.service antri-firstboot.service NetworkManager.service
[Service]
Type=simple
ExecStart=/usr/local/sbin/rpios-test-report
[Install]
WantedBy=multi-user.target
UNIT
ln -sf /etc/systemd/system/rpios-test-report.service "$r/etc/systemd/system/multi-user.target.wants/rpios-test-report.service"

# Raspberry Pi OS mounts the FAT partition by PARTUUID; the VM's disks have
# labels. A longer device timeout than systemd's 90 s: udev under emulation on
# a loaded machine can take longer, and a missing /boot/firmware means
# emergency mode (as on Raspberry Pi OS, which has no nofail there either).
cat >"$r/etc/fstab" <<'FSTAB'
/dev/vda        /               ext4  defaults,noatime                        0 1
LABEL=bootfs    /boot/firmware  vfat  defaults,x-systemd.device-timeout=600s  0 2
FSTAB

# The SD card's FAT partition: what antri-setup left on /boot/firmware, then
# the technician edits antri.toml on a laptop (another office, WIT, Windows
# line ends) and adds wifi.txt. First boot must apply both.
boot="$WORK/bootfs.img"
rm -f "$boot"
# Lower case, as Raspberry Pi OS names it (mkfs.vfat warns about that).
mkfs.vfat -C -F 32 -n bootfs "$boot" $((64 * 1024)) >/dev/null 2>&1
mcopy -s -i "$boot" "$r"/boot/firmware/* ::/
technician_toml mpp-kota-jayapura Asia/Jayapura | sed 's/$/\r/' >"$WORK/edited.toml"
mcopy -o -i "$boot" "$WORK/edited.toml" ::/antri.toml
printf 'SSID=Kantor MPP\r\nPASSWORD=rahasia-sekali\r\nCOUNTRY=ID\r\n' >"$WORK/wifi.txt"
mcopy -i "$boot" "$WORK/wifi.txt" ::/wifi.txt
find "$r/boot/firmware" -mindepth 1 -delete

root="$WORK/root.img"
rm -f "$root"
mb=$(($(du -sm "$r" | cut -f1) + 512))
mke2fs -q -t ext4 -L rootfs -E root_owner=0:0 -d "$r" "$root" "${mb}M"
stamp "disks and initrd"

if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
	fail "something already listens on 127.0.0.1:$PORT; set PORT"
fi
log="$WORK/console.log"
# The QEMU monitor on a FIFO, for the screendump. The console log is emptied
# first: a kept WORK's log of an earlier boot (ROOTFS_TAR) says "screen ready"
# before qemu has truncated it, and the screendump was taken at power-on.
mon="$WORK/monitor.fifo"
rm -f "$mon" "$WORK/screen.ppm"
: >"$log"
mkfifo "$mon"
# restrict=on: the guest reaches nothing but the forwarded port. virtio-gpu
# gives cage a DRM device; the keyboard an input device (an HDMI TV has
# none; see deploy/README.md).
qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 \
	-no-reboot \
	-kernel "$WORK/vmlinuz" -initrd "$WORK/initrd.img" \
	-append "console=ttyAMA0 panic=-1 ${APPEND:-}" \
	-drive "file=$root,format=raw,if=none,id=root" -device virtio-blk-pci,drive=root \
	-drive "file=$boot,format=raw,if=none,id=boot" -device virtio-blk-pci,drive=boot \
	-netdev "user,id=net,restrict=on,hostfwd=tcp:127.0.0.1:$PORT-:8080" -device virtio-net-pci,netdev=net,romfile= \
	-device virtio-gpu-pci -device virtio-keyboard-pci \
	-serial "file:$log" -monitor stdio -display none <"$mon" >"$WORK/monitor.log" 2>"$WORK/qemu.err" &
qemu=$!
exec 3>"$mon"
trap 'kill "$qemu" 2>/dev/null || true; [ "${KEEP:-}" = 1 ] || rm -rf "$WORK"' EXIT

started=$(date +%s)
healthz=""
while kill -0 "$qemu" 2>/dev/null; do
	if [ -z "$healthz" ]; then
		body="$(curl -sS --max-time 3 "http://127.0.0.1:$PORT/healthz" 2>/dev/null)" || body=""
		if printf '%s' "$body" | grep -q '"database":{"ok":true'; then
			healthz="$body"
			stamp "/healthz answered through the forwarded port $(($(date +%s) - started)) s after power-on"
		fi
	fi
	if [ ! -f "$WORK/screen.ppm" ] && grep -q 'rpios-test: screen ready' "$log"; then
		echo "screendump $WORK/screen.ppm" >&3
		stamp "screendump of the HDMI output (virtio-gpu) taken"
	fi
	if [ $(($(date +%s) - started)) -ge "$BOOT_TIMEOUT" ]; then
		tail -n 60 "$log" >&2
		fail "no power-off within $BOOT_TIMEOUT s"
	fi
	sleep 2
done
wait "$qemu" || true
stamp "VM powered off $(($(date +%s) - started)) s after power-on"

report="$WORK/report.txt"
mtype -i "$boot" ::/rpios-report.txt >"$report" 2>/dev/null || {
	tail -n 80 "$log" >&2
	cat "$WORK/qemu.err" >&2
	fail "no report on the boot partition"
}
sed 's/^/rpios-test: VM | /' "$report"
# The report and the screendump (PPM, what the HDMI output showed) stay as
# the run's artefacts, pass or fail.
ARTEFACTS="${ARTEFACTS:-$top/dist/rpios-test}"
mkdir -p "$ARTEFACTS"
cp "$report" "$ARTEFACTS/report.txt"
if [ -f "$WORK/screen.ppm" ]; then cp "$WORK/screen.ppm" "$ARTEFACTS/screen.ppm"; fi
field() { sed -n "s/^$1 //p" "$report" | head -n1; }
check "/healthz answered from the host" test -n "$healthz"
check "antri-firstboot ran" [ "$(field 'active antri-firstboot')" = active ]
check "antrid active" [ "$(field 'active antrid')" = active ]
check "seatd active (cage takes the screen through it)" [ "$(field 'active seatd')" = active ]
check "kiosk session active with Chromium running" sh -c "[ '$(field 'active antri-kiosk')' = active ] && [ -n '$(field kiosk-chromium)' ]"
check "Chromium opened /display (its websocket to antrid is up)" [ "$(field kiosk-websockets)" -gt 0 ]
check "antri.local alias active" [ "$(field 'active antri-mdns-alias')" = active ]
check "avahi answers antri.local with the VM's address" sh -c "[ -n '$(field mdns)' ] && [ '$(field mdns)' = '$(field ip)' ]"
check "booted into graphical.target" [ "$(field default)" = graphical.target ]
check "edited antri.toml applied at boot: office" [ "$(field office)" = mpp-kota-jayapura ]
check "edited antri.toml applied at boot: hostname" [ "$(field hostname)" = mpp-kota-jayapura ]
check "edited antri.toml applied at boot: time zone (timedatectl)" [ "$(field timezone)" = Asia/Jayapura ]
check "wifi.txt became a NetworkManager connection" sh -c "echo '$(field nm-connections)' | grep -q antri-wifi"
check "the Wi-Fi connection file is 0600" [ "$(field nm-wifi-mode)" = 600 ]
mtype -i "$boot" ::/antri.toml >"$WORK/back.toml"
check "tokens generated at boot written back to the FAT partition" grep -Eq '^admin_token = "[0-9a-f]{32}"' "$WORK/back.toml"
check "wifi.txt marked as applied" sh -c "mdir -b -i '$boot' ::/ | grep -q 'wifi.txt.terpasang'"
if grep -q '^gpiochip ' "$report"; then
	check "udev gave /dev/gpiochip* to group gpio, mode 660" sh -c "! grep '^gpiochip ' '$report' | grep -v ' gpio 660$'"
fi
stamp "PASS: $checks checks; report and screendump in $ARTEFACTS"
