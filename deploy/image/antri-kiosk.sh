#!/bin/sh
# Started by antri-kiosk.service: wait for antrid, then show /display full
# screen with sound allowed (the voice call plays without a click).
# ANTRI_KIOSK_FLAGS (from a drop-in of antri-kiosk.service) adds Chromium
# flags, e.g. --force-device-scale-factor=1.5 for a small panel; the emulated
# board test (deploy/image/e2e) adds --remote-debugging-port to read the DOM.
set -u
run="${ANTRI_RUN:-/run/antri}" # tests point this elsewhere
url="http://localhost:8080/display"
if [ -f "$run/firstboot-error.html" ]; then
	url="file://$run/firstboot-error.html"
else
	# antrid may still be opening its database; up to 90 s.
	i=0
	while [ "$i" -lt 90 ] && ! curl -s -o /dev/null --max-time 2 http://localhost:8080/healthz; do
		sleep 1
		i=$((i + 1))
	done
fi
exec cage -d -s -- chromium \
	--kiosk --noerrdialogs --disable-infobars --no-first-run \
	--disable-translate --disable-features=Translate,MediaRouter \
	--check-for-update-interval=31536000 \
	--autoplay-policy=no-user-gesture-required \
	--ozone-platform=wayland \
	--user-data-dir="${HOME:-/run/antri-kiosk}/chromium" \
	--disk-cache-dir=/dev/null \
	${ANTRI_KIOSK_FLAGS:-} \
	"$url"
