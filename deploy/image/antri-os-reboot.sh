#!/bin/sh
# antri-os-reboot: finish a security update that needs a reboot (a new kernel
# or libc: unattended-upgrades leaves /run/reboot-required) only when no
# citizen is affected: outside the office's opening hours ([office] open and
# close in /etc/antri/antri.toml, in its timezone) and with nobody waiting or
# at a counter. Started every 10 minutes by antri-os-reboot.timer.
#
# open/close are the ticket-taking hours; officers go on serving the people
# already waiting after close, so the queue must also be empty (antrid's
# /api/state). An office without open/close is always open: it is never
# rebooted automatically; the journal says a reboot is pending and a
# technician reboots by hand (or adds the hours to antri.toml).
#
# Environment (tests): ANTRI_CONFIG, ANTRI_REBOOT_REQUIRED (the flag file),
# ANTRI_NOW (local HH:MM instead of the clock), ANTRI_STATE_URL, ANTRI_REBOOT
# (the command that reboots, default systemctl reboot).
set -eu

conf="${ANTRI_CONFIG:-/etc/antri/antri.toml}"
flag="${ANTRI_REBOOT_REQUIRED:-/run/reboot-required}"
state_url="${ANTRI_STATE_URL:-http://127.0.0.1:8080/api/state}"
reboot="${ANTRI_REBOOT:-systemctl reboot}"

[ -f "$flag" ] || exit 0

# One pass over [office]: "OPEN CLOSE TIMEZONE", "-" for a key left out.
hours="$(awk '
	/^[ \t]*\[/ { in_office = ($0 ~ /^[ \t]*\[office\][ \t]*(#.*)?$/); next }
	in_office && /^[ \t]*(open|close|timezone)[ \t]*=/ {
		k = $0; sub(/[ \t]*=.*/, "", k); gsub(/[ \t]/, "", k)
		v = $0; sub(/^[^=]*=[ \t]*["\047]/, "", v); sub(/["\047].*/, "", v)
		val[k] = v
	}
	END {
		printf "%s %s %s\n", (val["open"] == "" ? "-" : val["open"]),
			(val["close"] == "" ? "-" : val["close"]),
			(val["timezone"] == "" ? "Asia/Jakarta" : val["timezone"])
	}' "$conf" 2>/dev/null)" || hours=""
set -- $hours
open="${1:--}" close="${2:--}" tz="${3:-Asia/Jakarta}"

if [ "$open" = - ] || [ "$close" = - ]; then
	echo "antri-os-reboot: reboot pending after a security update, but $conf has no [office] open/close (always open): reboot by hand when the office is quiet"
	exit 0
fi
case "$open$close" in
[0-2][0-9]:[0-5][0-9][0-2][0-9]:[0-5][0-9]) ;;
*)
	echo "antri-os-reboot: [office] open/close in $conf are not HH:MM ($open, $close); not rebooting" >&2
	exit 1
	;;
esac

now="${ANTRI_NOW:-$(TZ="$tz" date +%H:%M)}"
minutes() { h="${1%%:*}" m="${1##*:}"; echo $((${h#0} * 60 + ${m#0})); }
n="$(minutes "$now")" o="$(minutes "$open")" c="$(minutes "$close")"
if [ "$o" -le "$c" ]; then
	[ "$n" -ge "$o" ] && [ "$n" -lt "$c" ] && inside=1 || inside=0
else # open past midnight, e.g. 20:00-02:00
	[ "$n" -ge "$o" ] || [ "$n" -lt "$c" ] && inside=1 || inside=0
fi
if [ "$inside" = 1 ]; then
	echo "antri-os-reboot: reboot pending; waiting for the office to close ($close $tz, now $now)"
	exit 0
fi

# After close: wait until the last citizen has been served. A top-level
# waiting list with a ticket, or a counter with a current ticket, is a busy
# office; an antrid that does not answer is no reason to wait.
if state="$(curl -fsS --max-time 5 "$state_url" 2>/dev/null)"; then
	case "$state" in
	*'"waiting":[{'* | *'"current":{'*)
		echo "antri-os-reboot: reboot pending; the office is closed ($now) but citizens are still waiting or being served"
		exit 0
		;;
	esac
fi

echo "antri-os-reboot: rebooting to finish a security update (office closed at $close $tz, now $now, queue empty)"
exec $reboot
