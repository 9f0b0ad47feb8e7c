#!/bin/sh
# Started by antri-kiosk.service: wait for antrid, then show /display full
# screen with sound allowed (the voice call plays without a click).
# ANTRI_KIOSK_FLAGS (from a drop-in of antri-kiosk.service) adds Chromium
# flags, e.g. --force-device-scale-factor=1.5 for a small panel; the emulated
# board test (deploy/image/e2e) adds --remote-debugging-port to read the DOM.
set -u
run="${ANTRI_RUN:-/run/antri}"              # tests point these elsewhere
board="${ANTRI_BOARD:-http://localhost:8080}" # antrid, as antrid.service listens
url="$board/display"
if [ -f "$run/firstboot-error.html" ]; then
	url="file://$run/firstboot-error.html"
else
	# antrid may still be opening its database; up to 90 s.
	i=0
	while [ "$i" -lt 90 ] && ! curl -s -o /dev/null --max-time 2 "$board/healthz"; do
		sleep 1
		i=$((i + 1))
	done
fi
# --password-store=basic: with no keyring on the appliance, Chromium's network
# service otherwise waits for one over D-Bus at start and is killed and
# restarted ("Network service crashed"), seen on Raspberry Pi 4s running
# Raspberry Pi OS and on the emulated board, where the kiosk tab's first
# navigation was lost with it (also the first-boot error page's, once).
#
# Chromium is not told the board's address but a local page that goes there
# and tries again while it is still showing: under load (the emulated board,
# a Pi 3 at boot) Chromium's network service can crash while the first
# navigation is under way, and that navigation is then lost for good, leaving
# a blank tab (found by the emulated board test, deploy/image/e2e). A file://
# page does not go through the network service, so it survives and retries.
# The first-boot error page is a local file already.
case "$url" in
http://*)
	loader="${HOME:-/run/antri-kiosk}/memuat.html"
	cat >"$loader" <<EOF
<!doctype html>
<html lang="id"><meta charset="utf-8"><title>Antri</title>
<style>body{background:#0b3d5c;color:#fff;font:3vw sans-serif;display:grid;place-items:center;height:100vh;margin:0;text-align:center}</style>
<p>Menyiapkan layar antrean&hellip;<br><small>Preparing the queue board&hellip;</small></p>
<script>
// Go to the board once antrid answers (asked every 2 s; after 5 misses go
// anyway, the board's own error shows then). While this page is still here
// 30 s after going, go again: a lost navigation leaves it showing.
const page = "$url", health = new URL("/healthz", page).href;
let misses = 0;
async function go() {
  try { await fetch(health, {mode: "no-cors", cache: "no-store"}); }
  catch (e) { if (++misses < 5) return setTimeout(go, 2000); }
  location.replace(page);
  setTimeout(go, 30000);
}
go();
</script>
</html>
EOF
	url="file://$loader"
	;;
esac
exec cage -d -s -- chromium \
	--kiosk --noerrdialogs --disable-infobars --no-first-run \
	--disable-translate --disable-features=Translate,MediaRouter \
	--password-store=basic \
	--check-for-update-interval=31536000 \
	--autoplay-policy=no-user-gesture-required \
	--ozone-platform=wayland \
	--user-data-dir="${HOME:-/run/antri-kiosk}/chromium" \
	--disk-cache-dir=/dev/null \
	${ANTRI_KIOSK_FLAGS:-} \
	"$url"
