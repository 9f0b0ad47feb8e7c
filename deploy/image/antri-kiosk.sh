#!/bin/sh
# Started by antri-kiosk.service: wait for antrid, then show /display full
# screen with sound allowed (the voice call plays without a click).
# ANTRI_KIOSK_FLAGS (from a drop-in of antri-kiosk.service) adds Chromium
# flags, e.g. --force-device-scale-factor=1.5 for a small panel.
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
# Chromium's DevTools on the loopback only, for the watch below (and the
# emulated board test): a page cannot use it (Chromium refuses other hosts'
# names and websocket origins), and whoever runs code on the Pi has the screen
# anyway.
devtools="${ANTRI_DEVTOOLS:-127.0.0.1:9222}"
cage -d -s -- chromium \
	--kiosk --noerrdialogs --disable-infobars --no-first-run \
	--disable-translate --disable-features=Translate,MediaRouter \
	--password-store=basic \
	--check-for-update-interval=31536000 \
	--autoplay-policy=no-user-gesture-required \
	--ozone-platform=wayland \
	--user-data-dir="${HOME:-/run/antri-kiosk}/chromium" \
	--disk-cache-dir=/dev/null \
	--remote-debugging-port="${devtools##*:}" \
	${ANTRI_KIOSK_FLAGS:-} \
	"$url" &
kiosk=$!
trap 'kill "$kiosk" 2>/dev/null' TERM INT

# untitled lists the ids of the tabs whose page has no title: a navigation
# that never committed (a loaded page has its <title>, or its address as its
# title). The list is Chromium's pretty-printed JSON, one field a line, each
# tab's object opened by a "{" line and closed by a "}" line ("}, {" both).
untitled() {
	curl -s --max-time 5 "http://$devtools/json/list" | awk '
		/[}]/ { if (type ~ /"page"/ && title == "") print id }
		/[{]/ { id = ""; title = "x"; type = "" }
		/"id":/ { id = $0; sub(/.*"id": *"/, "", id); sub(/".*/, "", id) }
		/"title": *"",?$/ { title = "" }
		/"type":/ { type = $0 }'
}

# The watch: the kiosk's first navigation can be lost for good (above, and
# it happened to the local error page too on the emulated board). A tab with
# no title for three looks 10 s apart is replaced by a new tab opened to the
# same address, which Chromium shows in its place.
every="${ANTRI_KIOSK_WATCH_S:-10}" # tests look more often
(
	sleep "$((every * 2))"
	strikes=0
	while kill -0 "$kiosk" 2>/dev/null; do
		stale="$(untitled)"
		if [ -z "$stale" ]; then
			strikes=0
		elif [ "$((strikes += 1))" -ge 3 ]; then
			echo "antri-kiosk: halaman layar tidak termuat; dibuka ulang di tab baru ($url)" >&2
			curl -s --max-time 10 -X PUT "http://$devtools/json/new?$url" >/dev/null
			for id in $stale; do
				curl -s --max-time 5 "http://$devtools/json/close/$id" >/dev/null
			done
			strikes=0
			sleep "$((every * 5))"
		fi
		sleep "$every"
	done
) &
wait "$kiosk"
